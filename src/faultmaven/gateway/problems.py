"""Every error as `application/problem+json` (RFC 9457): type, title, status, detail."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from faultmaven.domain.errors import AuthenticationError, FaultMavenError

PROBLEM_TYPE_BASE = "https://faultmaven.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

_logger = logging.getLogger(__name__)


def problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    """Return a problem document."""
    slug = title.lower().replace(" ", "-")
    return {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """Return a problem document as a response."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        problem(status, title, detail, **extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def problem_of(error: FaultMavenError) -> dict[str, Any]:
    """Return the problem document for a domain error (also used inside event streams)."""
    return problem(error.status, error.title, error.detail)


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, FaultMavenError)
    if not isinstance(error, AuthenticationError):
        _logger.info(
            "%s %s -> %s: %s", request.method, request.url.path, error.status, error.detail
        )
    return problem_response(error.status, error.title, error.detail)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item.get("type", "")}
        for item in error.errors()
    ]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return problem_response(422, "Invalid input", detail, errors=errors)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
    return problem_response(error.status_code, title, str(error.detail))


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    _logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(500, "Internal error", "the server failed; see its log for details")


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error the app returns a problem document."""
    app.add_exception_handler(FaultMavenError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
