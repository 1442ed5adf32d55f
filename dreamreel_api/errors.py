"""Every error is JSON a person (or the web client) can read, and none leaks internals.

    401, 404, 413, ...   {"detail": "<what went wrong, in words>"}
    422                  {"detail": [{"field": "theme", "message": "..."}, ...]}
    500                  {"detail": "Something went wrong on our side ..."} (the cause is logged)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("dreamreel_api")


class ErrorResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: an error may echo what was sent, and what was
    sent may hold a lone surrogate, which cannot be encoded as UTF-8 (and would turn a 422 into a 500)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class FormError(Exception):
    """A form refused field by field (answered with 422)."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


def field_errors(errors: Iterable[dict[str, Any]], drop: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """pydantic's errors as [{field, message}]: `field` the dotted location without `drop` prefixes."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        while loc and loc[0] in drop:
            loc = loc[1:]
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            message = "is not a field of this form"
        elif error.get("type") == "json_invalid":
            message = "is not valid JSON"
        out.append({"field": ".".join(loc) or "body", "message": message})
    return out


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    return ErrorResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    return ErrorResponse({"detail": field_errors(error.errors(), drop=("body", "query", "path", "header"))},
                         status_code=422)


async def _form_error(request: Request, error: FormError) -> JSONResponse:
    return ErrorResponse({"detail": error.errors}, status_code=422)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("%s %s failed", request.method, request.url.path)
    return ErrorResponse(
        {"detail": "Something went wrong on our side; please try again later"}, status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(FormError, _form_error)
    app.add_exception_handler(Exception, _unexpected)


class BodyLimit:
    """Refuses a request body over `limit` bytes with 413, before any route reads it: by its
    Content-Length when sent, else by counting (a chunked body is read up to the limit, then replayed)."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            try:
                too_large = int(length) > self.limit
            except ValueError:
                await self._refuse(scope, receive, send, 400, "Content-Length is not a number")
                return
            if too_large:
                await self._refuse(scope, receive, send, 413, self._message())
                return
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(scope, receive, send, 413, self._message())
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    def _message(self) -> str:
        return f"The request is too large: at most {self.limit // 1024} KiB"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
        response = ErrorResponse({"detail": detail}, status_code=status, headers={"Connection": "close"})
        await response(scope, receive, send)
