"""HTTP as clients may send it: HEAD on every GET route, and Range headers that make no sense ignored.

- HEAD: FastAPI answers only the methods a route names; HTTP says every GET resource answers
  HEAD too, with the same headers and no body. A HEAD request runs as a GET whose body is dropped.
- Range: a header that is not a valid `bytes=` range set is ignored, as RFC 9110 (14.2) says a
  server may, and the whole file is sent, rather than answered with an error.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BYTE_RANGES = re.compile(r"^bytes=\s*(\d+-\d*|-\d+)(\s*,\s*(\d+-\d*|-\d+))*\s*$")


class HeadAndRange:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(name, value) for name, value in scope["headers"]
                   if name.lower() != b"range" or BYTE_RANGES.match(value.decode("latin-1"))]
        scope = {**scope, "headers": headers}
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
