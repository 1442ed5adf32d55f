"""Local single-user mode, safe from web pages on other sites.

In auth mode `local` anyone who reaches the API acts as the one user, so loopback is not enough:
a web page in the user's own browser can reach 127.0.0.1 too. Two ways in are closed here:

- DNS rebinding: a page on evil.example re-resolves its own name to 127.0.0.1 and reads the API
  as same-origin. Its requests still say `Host: evil.example`, so only loopback Host headers
  (localhost, 127.x.x.x, [::1]) are answered.
- Cross-site requests: a form or fetch from another site can send a POST without any CORS
  preflight (a form post with no body would share a film). State-changing requests are taken
  only from this origin or a configured one (`Origin`, and browsers' `Sec-Fetch-Site`), and only
  as JSON when they carry a body (which no form can send). Tools without an Origin (curl, the
  CLI) are unaffected.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from dreamreel_api.errors import ErrorResponse
from dreamreel_api.settings import is_loopback

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def host_name(host: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" -> "::1")."""
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class LocalOnly:
    def __init__(self, app: ASGIApp, allowed_origins: tuple[str, ...] = ()):
        self.app = app
        self.allowed_origins = frozenset(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        problem = self._problem(scope["method"], headers)
        if problem is None:
            await self.app(scope, receive, send)
            return
        status, detail = problem
        await ErrorResponse({"detail": detail}, status_code=status)(scope, receive, send)

    def _problem(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not is_loopback(host_name(host)):
            return 400, ("This DreamReel answers only at its loopback address (127.0.0.1 or localhost): "
                         "it signs everyone in as its one local user")
        if method in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        same_origin = origin in (f"http://{host}", f"https://{host}")
        if origin is not None and not same_origin and origin not in self.allowed_origins:
            return 403, "Requests from other sites are refused: open DreamReel itself to change your films"
        if origin is None and headers.get("sec-fetch-site") == "cross-site":
            return 403, "Requests from other sites are refused: open DreamReel itself to change your films"
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
        if (has_body or content_type) and content_type != "application/json":
            return 415, "Send JSON (Content-Type: application/json)"
        return None
