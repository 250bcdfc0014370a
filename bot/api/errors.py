"""Errors answered as JSON `{"error": code, "detail": text}`, so clients can act on the code."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse


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


async def api_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return JSONResponse(
        {"error": error.code, "detail": error.detail},
        status_code=error.status,
        headers=error.headers,
    )
