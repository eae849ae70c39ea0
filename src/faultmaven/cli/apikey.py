"""`faultmaven apikey`: create, list and revoke API keys."""

from typing import Annotated

import typer

from faultmaven.cli.runtime import console, open_engine

app = typer.Typer(help="API keys.", no_args_is_help=True)


@app.command()
def create(tenant: Annotated[str, typer.Option(help="Tenant the key acts for.")]) -> None:
    """Create a key; it is printed once, alone on the last line, and stored only as a hash."""
    from faultmaven.services.apikeys import create_api_key

    new_key = create_api_key(open_engine(), tenant)
    console.print(
        f"created key {new_key.key_id} for tenant {new_key.tenant}; it is shown only once:"
    )
    print(new_key.key)


@app.command("list")
def list_keys(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's keys.")] = None,
) -> None:
    """List keys (never their secrets)."""
    from faultmaven.services.apikeys import list_api_keys

    for info in list_api_keys(open_engine(), tenant):
        state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
        console.print(
            f"{info.key_id}  {info.tenant}  created {info.created_at:%Y-%m-%d %H:%M}  {state}"
        )


@app.command()
def revoke(
    key_id: Annotated[str, typer.Argument(help="Id of the key (see `apikey list`).")],
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    from faultmaven.services.apikeys import revoke_api_key

    revoke_api_key(open_engine(), key_id)
    console.print(f"revoked key {key_id}")
