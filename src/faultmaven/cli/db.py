"""`faultmaven db`: the database's schema."""

import typer

from faultmaven.cli.runtime import console, open_engine

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Apply every migration the database lacks (data is kept)."""
    from faultmaven.services.database import describe_database
    from faultmaven.store.migrate import current_revision

    engine = open_engine(upgrade=True)
    console.print(
        f"database {describe_database(engine)} is at migration {current_revision(engine)}"
    )
