"""A real HTTP server on loopback that speaks the OpenAI Chat Completions protocol.

It answers with the hand-written responses of exchanges/openai, in order, and keeps every
request it received, so tests can drive the API and the CLI through the real `openai` SDK.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agent.replay import body_of, exchange


class ChatCompletionsServer:
    """Answers `POST /v1/chat/completions` with recorded responses, in order; keeps requests."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def next_reply(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.requests.append(request)
            name = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return exchange("openai", name)


def _handler(server: ChatCompletionsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            request = json.loads(self.rfile.read(length))
            if self.path != "/v1/chat/completions":
                self.send_error(404)
                return
            reply = server.next_reply(request)
            body = body_of(reply)
            self.send_response(reply["status"])
            for name, value in reply["headers"].items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    return Handler


@contextmanager
def chat_completions(replies: list[str]) -> Iterator[tuple[ChatCompletionsServer, str]]:
    """Serve the replies on a loopback port; yield the server and its base URL."""
    recorded = ChatCompletionsServer(replies)
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorded))
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorded, f"http://127.0.0.1:{http.server_address[1]}/v1"
    finally:
        http.shutdown()
        http.server_close()
