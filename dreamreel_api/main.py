"""The FastAPI app: `create_app(settings)`; `serve()` runs it with uvicorn on loopback by default."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse

from dreamreel_api import styles
from dreamreel_api.deps import RateLimiter, Stores, open_stores
from dreamreel_api.errors import BodyLimit, install_error_handlers
from dreamreel_api.guard import LocalOnly
from dreamreel_api.hygiene import HeadAndRange
from dreamreel_api.routers import config, films, gallery, me, options
from dreamreel_api.settings import Settings, StartupError, check_startup, is_loopback
from dreamreel_assets.moderation import build_moderator


def create_app(settings: Settings | None = None, stores: Stores | None = None) -> FastAPI:
    """The API over the stores `settings` name (or `stores`, given ready-made, e.g. by tests)."""
    settings = settings or Settings.from_env()
    if stores is None:
        check_startup(settings)
    app = FastAPI(title="DreamReel API", version="0.1.0",
                  summary="Ask for a short film, follow it being made, watch and share it.")
    app.state.settings = settings
    app.state.stores = stores or open_stores(settings)
    app.state.limiter = RateLimiter(settings.rate_limit, settings.rate_window_seconds)
    app.state.moderator = build_moderator(settings.moderation_settings)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    if settings.auth == "local":
        app.add_middleware(LocalOnly, allowed_origins=settings.cors_origins)
    app.add_middleware(HeadAndRange)
    for router in (config.router, options.router, films.router, gallery.router, me.router):
        app.include_router(router)
    if settings.cors_origins:  # added last: outermost, so refusals and errors carry CORS headers too
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "ngrok-skip-browser-warning"],
            expose_headers=["Location"], max_age=600,
        )

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    if settings.client_dir is not None:
        serve_client(app, settings.client_dir)
    return app


RUNTIME_CONFIG = "dreamreel.json"


def serve_client(app: FastAPI, folder: Path) -> None:
    """The built web app at `/`: its files as they are, and index.html for every page route
    (React Router draws the page), so /films/<id> can be opened or reloaded directly."""
    folder = folder.resolve()
    index = folder / "index.html"
    if not index.is_file():
        raise SystemExit(f"no built web client in {folder}: run `make client`")

    @app.get("/{path:path}", include_in_schema=False)
    def client_file(path: str) -> FileResponse:
        if path == "api" or path.startswith("api/"):
            raise HTTPException(404, "No such API route")
        if path == RUNTIME_CONFIG:  # for a web app hosted apart: served from here, its API is here
            raise HTTPException(404, "Not found")
        candidate = (folder / path).resolve()
        if path and candidate.is_relative_to(folder) and candidate.is_file():
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def serve(settings: Settings | None = None) -> None:
    """Run the API with uvicorn (127.0.0.1:8000 unless DREAMREEL_API_HOST/PORT say otherwise), in
    DREAMREEL_API_WORKERS processes (each builds its app from the same environment)."""
    import uvicorn

    settings = settings or Settings.from_env()
    if settings.auth == "local" and not is_loopback(settings.host):  # Settings refuses it too
        raise SystemExit("auth 'local' only listens on loopback")
    try:
        check_startup(settings)
    except StartupError as error:
        raise SystemExit(str(error)) from None
    options = {"host": settings.host, "port": settings.port, "proxy_headers": False, "server_header": False}
    if settings.workers == 1:
        # The form's style pictures are drawn on first use: draw them now, while nobody waits.
        threading.Thread(target=styles.draw_all, name="style-pictures", daemon=True).start()
        uvicorn.run(create_app(settings), **options)
        return
    # Every worker must sign media URLs with the same key, or one's URLs fail on the other.
    os.environ.setdefault("DREAMREEL_API_SECRET", settings.media_secret)
    uvicorn.run("dreamreel_api.main:create_app", factory=True, workers=settings.workers, **options)
