"""What the request form offers: genres (with their moods), styles (with a picture), voices, lengths."""

from __future__ import annotations

import hashlib
from typing import get_args

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from dreamreel_api import styles
from dreamreel_api.deps import SettingsDep
from dreamreel_api.schemas import Choice, GenreOption, LanguageOption, Options, Range, StyleOption
from dreamreel_assets.catalog.genres import genres
from dreamreel_assets.catalog.styles import styles as catalog_styles
from dreamreel_assets.catalog.voices import voices
from dreamreel_assets.languages import LANGUAGES
from dreamreel_assets.models import MINUTES_MAX, MINUTES_MIN, THEME_MAX, THEME_MIN, Aspect

router = APIRouter(prefix="/api", tags=["options"])

ENGLISH_ONLY_NOTE = ("Films are in English here: this server writes scripts with its built-in writer, "
                     "which writes English only. Other languages need a language-model writer.")


@router.get("/options", response_model=Options)
def options(settings: SettingsDep) -> Options:
    return Options(
        genres=[GenreOption(id=g.name, label=g.label, description=g.description, mood=g.mood)
                for g in genres().values()],
        styles=[StyleOption(id=s.name, label=s.label, image=f"/api/styles/{s.name}.png") for s in catalog_styles().values()],
        voices=[Choice(id=v.name, label=v.label) for v in voices().values()],
        minutes=Range(min=MINUTES_MIN, max=MINUTES_MAX, default=MINUTES_MIN),
        lengths=list(range(MINUTES_MIN, MINUTES_MAX + 1)),
        aspects=list(get_args(Aspect)),
        theme=Range(min=THEME_MIN, max=THEME_MAX, default=THEME_MIN),
        languages=[LanguageOption(id=code, label=LANGUAGES[code].native, name=LANGUAGES[code].name)
                   for code in settings.languages],
        languages_note=None if len(settings.languages) > 1 else ENGLISH_ONLY_NOTE,
        subtitles=[Choice(id="soft", label="Subtitles the viewer can switch on"),
                   Choice(id="burned", label="Burned into the picture (for phones)")],
    )


@router.get("/styles/{style}.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}, 404: {"description": "No such style"}})
async def style_picture(style: str, request: Request) -> Response:
    if style not in catalog_styles():
        raise HTTPException(404, "No such style")
    png = await run_in_threadpool(styles.style_png, style)
    etag = '"' + hashlib.sha256(png).hexdigest()[:16] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(png, media_type="image/png", headers=headers)
