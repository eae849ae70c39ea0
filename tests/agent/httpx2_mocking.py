"""Lets respx replay exchanges for clients built on httpx2 (the openai and anthropic SDKs).

respx patches httpx and httpcore; these SDK versions send through httpx2, a fork with the same
transport interface. This mocker patches httpx2's default transport the way respx's own
httpcore mocker patches httpcore: requests are converted to httpx requests for the router,
and the router's httpx responses back to httpx2 responses. The SDK above runs unchanged.
"""

from typing import Any

import httpx
import httpx2
from respx.mocks import AbstractRequestMocker

NAME = "httpx2"


class Httpx2Mocker(AbstractRequestMocker):
    """respx mocker for `httpx2.HTTPTransport` (sync clients)."""

    name = NAME
    targets = ["httpx2._transports.default.HTTPTransport"]
    target_methods = ["handle_request"]

    @classmethod
    def to_httpx_request(cls, **kwargs: Any) -> httpx.Request:
        request: httpx2.Request = kwargs["request"]
        return httpx.Request(
            request.method,
            str(request.url),
            headers=list(request.headers.raw),
            content=request.read(),
        )

    @classmethod
    def from_sync_httpx_response(
        cls, httpx_response: httpx.Response, target: Any, **kwargs: Any
    ) -> httpx2.Response:
        return httpx2.Response(
            httpx_response.status_code,
            headers=list(httpx_response.headers.raw),
            content=httpx_response.read(),
            request=kwargs["request"],
        )
