"""Errors answered as JSON `{"error": code, "detail": text}`, so clients can act on the code.

Every error the entry point sends has that shape: its own refusals (ApiError), FastAPI's and
Starlette's (an unknown path, a wrong method, a query that does not validate) and anything
unexpected, which is a 500 logged without its message, as that may quote a client's words.
"""

from __future__ import annotations

import logging
import traceback
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("reflect.entry")

INTERNAL_ERROR = "The entry point could not finish this request. Please try again."


class ApiError(Exception):
    """A request the entry point refuses, with the status and a code a client can rely on."""

    def __init__(
        self, status: int, code: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


def error_response(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


async def api_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.code, error.detail, error.headers)


async def http_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """FastAPI's own 404 and 405 (and any other HTTPException): the code is the status's name,
    such as `not_found` or `method_not_allowed`."""
    assert isinstance(error, HTTPException)
    code = HTTPStatus(error.status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    return error_response(error.status_code, code, str(error.detail), error.headers)


async def validation_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """A query or path parameter that does not validate: 422 `invalid_request` naming the
    fields, never echoing the values sent."""
    assert isinstance(error, RequestValidationError)
    fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return error_response(422, "invalid_request", f"The request does not validate: {fields}.")


class UnexpectedErrors:
    """ASGI middleware: an exception nothing else handled becomes a 500 `internal_error`. The
    log gets its type and where it was raised, not its message (it may quote the client)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as error:
            log.error(
                "unexpected %s on %s %s; its message is not logged\n%s",
                type(error).__name__,
                scope["method"],
                scope["path"],
                "".join(traceback.format_tb(error.__traceback__)).rstrip(),
            )
            if not started:
                await error_response(500, "internal_error", INTERNAL_ERROR)(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Gives every error response of `app` the `{"error", "detail"}` shape."""
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_middleware(UnexpectedErrors)
