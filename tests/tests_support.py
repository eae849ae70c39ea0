"""Small helpers shared by test modules (kept apart from fixtures)."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a loopback port in a thread; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def upload_evidence(client: httpx.Client, case_id: str, name: str, data: bytes) -> dict[str, Any]:
    """Upload one file as evidence of the case; fail the test unless it was accepted."""
    response = client.post(f"/v1/cases/{case_id}/evidence", files={"file": (name, data)})
    assert response.status_code == 201, response.text
    evidence: dict[str, Any] = response.json()
    return evidence


def ask_diagnosis(client: httpx.Client, case_id: str, question: str) -> dict[str, Any]:
    """Ask the case a question; return the diagnosis of the answer."""
    response = client.post(f"/v1/cases/{case_id}/messages", json={"content": question})
    assert response.status_code == 200, response.text
    diagnosis: dict[str, Any] = response.json()["diagnosis"]
    return diagnosis
