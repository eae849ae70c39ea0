"""Replaying the hand-written provider responses kept in `exchanges/`."""

import json
from pathlib import Path
from typing import Any

import httpx

FOLDER = Path(__file__).parent / "exchanges"


def exchange(provider: str, name: str) -> dict[str, Any]:
    """Return one recorded response as written in its file."""
    loaded: dict[str, Any] = json.loads((FOLDER / provider / f"{name}.json").read_text())
    return loaded


def body_of(recorded: dict[str, Any]) -> bytes:
    """Return the response body's bytes as the server sends them."""
    if "ndjson" in recorded:
        return "".join(json.dumps(chunk) + "\n" for chunk in recorded["ndjson"]).encode()
    if "text" in recorded:
        return str(recorded["text"]).encode()
    return json.dumps(recorded["body"]).encode()


def response(provider: str, name: str) -> httpx.Response:
    """Return the recorded response as httpx would receive it."""
    recorded = exchange(provider, name)
    return httpx.Response(
        recorded["status"], headers=recorded["headers"], content=body_of(recorded)
    )
