"""What the API answers with. The form itself is `FilmRequest` (the domain model), never copied here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from dreamreel_api.deps import signed_media_path
from dreamreel_api.settings import Settings
from dreamreel_assets.stores.requests import RequestRecord, Status

FORM_FIELDS = ("genre", "theme", "style", "minutes", "aspect")
"""What the web form sends; the rest of FilmRequest (seed, preview length) is not the public's to set."""

MEDIA_FILES = {"video": "film.mp4", "poster": "poster.jpg", "subtitles": "film.vtt"}
"""Result name -> file name under `films/<film id>/` (as `final_cut` writes them)."""

STAGES = ("character_sheets", "keyframes", "clips", "narration", "music", "final_cut")
"""Stages that report progress into the request, in the order a person reads them."""


class Choice(BaseModel):
    id: str
    label: str


class GenreOption(Choice):
    mood: str


class StyleOption(Choice):
    image: str


class Range(BaseModel):
    min: int
    max: int
    default: int


class Options(BaseModel):
    genres: list[GenreOption]
    styles: list[StyleOption]
    voices: list[Choice]
    minutes: Range
    lengths: list[int]
    aspects: list[str]
    theme: Range


class Created(BaseModel):
    id: str
    status: Status
    created_at: datetime


class Stage(BaseModel):
    stage: str
    done: int
    total: int
    note: str


class FilmUrls(BaseModel):
    video: str | None = None
    poster: str | None = None
    subtitles: str | None = None


class GalleryFilm(BaseModel):
    """A shared film as anyone may see it: no user id, nothing private."""

    id: str
    genre: str | None
    style: str | None
    theme: str | None
    minutes: int | None
    aspect: str | None
    created_at: datetime
    urls: FilmUrls


class FilmSummary(GalleryFilm):
    """One of my films: what the gallery shows, plus its state."""

    status: Status
    updated_at: datetime
    shared: bool
    error: str | None


class FilmDetail(FilmSummary):
    mine: bool
    progress: list[Stage]


class FilmList(BaseModel):
    films: list[FilmSummary]


class Shared(BaseModel):
    id: str
    shared: bool


class Gallery(BaseModel):
    films: list[GalleryFilm]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _minutes(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def form_of(record: RequestRecord) -> dict[str, Any]:
    """The form fields of a record, read leniently: anyone may have written the document."""
    fields = record.fields
    return {
        "genre": _text(fields.get("genre")), "style": _text(fields.get("style")),
        "theme": _text(fields.get("theme")), "minutes": _minutes(fields.get("minutes")),
        "aspect": _text(fields.get("aspect")) or "16:9",
    }


def urls_of(record: RequestRecord, settings: Settings, signed: bool) -> FilmUrls:
    """API paths of the finished files (signed for a private film, so a <video> element can load them)."""
    urls = {}
    for name in MEDIA_FILES:
        if name in record.result:
            urls[name] = (signed_media_path(settings, record.id, name) if signed
                          else f"/api/films/{record.id}/{name}")
    return FilmUrls(**urls)


def summary(record: RequestRecord, settings: Settings) -> FilmSummary:
    return FilmSummary(
        id=record.id, status=record.status, **form_of(record), created_at=record.created_at,
        updated_at=record.updated_at, shared=record.shared, error=record.error,
        urls=urls_of(record, settings, signed=not record.shared),
    )


def progress_of(record: RequestRecord) -> list[Stage]:
    order = {stage: i for i, stage in enumerate(STAGES)}
    names = sorted(set(STAGES) | set(record.progress), key=lambda s: (order.get(s, len(order)), s))
    stages = []
    for name in names:
        entry = record.progress.get(name)
        stages.append(Stage(stage=name, done=entry.done if entry else 0, total=entry.total if entry else 0,
                            note=entry.note if entry else ""))
    return stages


def detail(record: RequestRecord, settings: Settings, viewer: str) -> FilmDetail:
    return FilmDetail(**summary(record, settings).model_dump(), mine=record.user_id == viewer,
                      progress=progress_of(record))


def gallery_film(record: RequestRecord) -> GalleryFilm:
    return GalleryFilm(id=record.id, **form_of(record), created_at=record.created_at,
                       urls=FilmUrls(**{name: f"/api/films/{record.id}/{name}"
                                        for name in MEDIA_FILES if name in record.result}))
