"""What the API answers with. The form itself is `FilmRequest` (the domain model), never copied here."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel

from dreamreel_api.deps import signed_media_path
from dreamreel_api.settings import Settings
from dreamreel_assets.models import Script
from dreamreel_assets.stores.requests import FixRecord, QueueEstimate, RequestRecord, Status, VersionStatus

FORM_FIELDS = ("genre", "theme", "style", "minutes", "aspect", "language", "subtitles")
"""What the web form sends; the rest of FilmRequest (seed, preview length) is not the public's to set."""

MEDIA_FILES = {"video": "film.mp4", "poster": "poster.jpg", "subtitles": "film.vtt", "srt": "film.srt",
               "timeline": "timeline.otioz"}
"""Result name -> file name in the playing cut's folder, `films/<film id>/cuts/<n>/` (as `final_cut`
writes them; directly under `films/<film id>/` for films made before versions)."""

STAGES = ("script", "character_sheets", "keyframes", "narration", "music", "clips", "final_cut")
"""Stages that report progress into the request, in the order they run."""


def as_json(model: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """The model as the response, serialized once. Routes that poll often return this (and keep
    `response_model` for the spec): FastAPI would otherwise validate the model a second time."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)


class Choice(BaseModel):
    id: str
    label: str


class GenreOption(Choice):
    description: str
    """A line about the genre, shown under its label."""
    mood: str


class StyleOption(Choice):
    image: str


class LanguageOption(Choice):
    name: str
    """In English; `label` is the language's own name for itself."""


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
    languages: list[LanguageOption]
    """What films can be made in here: every language when a language model writes the scripts,
    English alone with the embedded writer."""
    languages_note: str | None = None
    """Why other languages are not offered, in words; null when they are."""
    subtitles: list[Choice]


class Created(BaseModel):
    id: str
    status: Status
    created_at: datetime


class Stage(BaseModel):
    stage: str
    done: int
    total: int
    note: str


class Config(BaseModel):
    """What the web client needs to know before anything else: how people sign in."""

    auth: str
    firebase: dict[str, str] | None = None


class ShotOutline(BaseModel):
    id: str
    description: str
    thumbnail: str | None = None
    """The shot's keyframe, small, once it is drawn."""


class SceneOutline(BaseModel):
    index: int
    title: str
    shots: list[ShotOutline]


class FilmUrls(BaseModel):
    video: str | None = None
    poster: str | None = None
    subtitles: str | None = None
    """WebVTT, for the player's track."""
    srt: str | None = None
    """The same cues as SubRip, to download."""
    timeline: str | None = None
    """The film as an editable OpenTimelineIO bundle (`.otioz`: timeline and media), to download."""


class GalleryFilm(BaseModel):
    """A shared film as anyone may see it: no user id, nothing private."""

    id: str
    genre: str | None
    style: str | None
    theme: str | None
    minutes: int | None
    aspect: str | None
    language: str = "en"
    subtitles: str = "soft"
    """soft: a track the player can show; burned: drawn into the picture (no track to show)."""
    created_at: datetime
    title: str | None = None
    urls: FilmUrls


class FilmQueue(BaseModel):
    """Where a film that is not finished stands in the run queue, and when it should start and be
    ready: estimates (from the run times this server measured), refreshed as runs start and stages
    finish. The status stays `running` while the film's run waits, so this tells waiting from made."""

    position: int
    """0: being made; 1: the next film to start; 2: the one after; ..."""
    estimated_start: datetime | None
    estimated_finish: datetime | None
    measured_films: int
    """How many finished films of its kind the estimate comes from (0: a first guess)."""
    updated_at: datetime
    """When the estimate was made."""


class FilmSummary(GalleryFilm):
    """One of my films: what the gallery shows, plus its state."""

    status: Status
    updated_at: datetime
    shared: bool
    error: str | None
    queue: FilmQueue | None
    """While the film waits to start or is being made: its place in the queue and estimated
    times; null otherwise (and before the server has estimated them)."""


class FilmVersion(BaseModel):
    """One final cut of the film. Each cut is checked before anyone sees it: the newest that passed
    is the one playing (the film's own `urls`); a failed one never replaces it."""

    number: int
    status: VersionStatus
    """checking: just made, its checks running; passed: shown (the newest); failed: never shown."""
    created_at: datetime
    duration: float | None
    """Seconds."""
    playing: bool
    """The version the film's player plays."""
    failed_checks: list[str]
    reason: str | None
    """Why it failed, in words (what each failed check found)."""
    video: str | None = None
    """This version's video, for passed versions."""


class FilmDetail(FilmSummary):
    mine: bool
    progress: list[Stage]
    scenes: list[SceneOutline]
    """Empty until the script is written."""
    fixes: list[FixRecord]
    versions: list[FilmVersion]
    """Every final cut, newest first (empty for films made before versions)."""


class FilmList(BaseModel):
    films: list[FilmSummary]
    next_cursor: str | None = None
    """Give it as `cursor` for the next (older) page; null on the last page."""


class Shared(BaseModel):
    id: str
    shared: bool


class Gallery(BaseModel):
    films: list[GalleryFilm]
    next_cursor: str | None = None
    """Give it as `cursor` for the next (older) page; null on the last page."""


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
        "language": _text(fields.get("language")) or "en",
        "subtitles": _text(fields.get("subtitles")) or "soft",
    }


def urls_of(record: RequestRecord, settings: Settings, signed: bool) -> FilmUrls:
    """API paths of the finished files (signed for a private film, so a <video> element can load them)."""
    urls = {}
    for name in MEDIA_FILES:
        if name in record.result:
            urls[name] = (signed_media_path(settings, record.id, name) if signed
                          else f"/api/films/{record.id}/{name}")
    return FilmUrls(**urls)


def title_of(record: RequestRecord) -> str | None:
    """The script's title, which the script stage reports as its progress note."""
    entry = record.progress.get("script")
    return entry.note or None if entry is not None and entry.done else None


def _utc(moment: datetime | None) -> datetime | None:
    """A time with its zone: a naive one (anyone may have written the document) is taken as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def queue_of(record: RequestRecord) -> FilmQueue | None:
    """The film's place in the queue while it waits or is made; never on a finished film."""
    estimate: QueueEstimate | None = record.queue
    if estimate is None or record.status not in ("queued", "running"):
        return None
    return FilmQueue(position=estimate.position, estimated_start=_utc(estimate.estimated_start),
                     estimated_finish=_utc(estimate.estimated_finish),
                     measured_films=estimate.measured_films, updated_at=_utc(estimate.updated_at))


def summary(record: RequestRecord, settings: Settings) -> FilmSummary:
    return FilmSummary(
        id=record.id, status=record.status, **form_of(record), created_at=record.created_at,
        updated_at=record.updated_at, shared=record.shared, error=record.error, title=title_of(record),
        urls=urls_of(record, settings, signed=not record.shared), queue=queue_of(record),
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


def outline_of(record: RequestRecord, script: Script | None, settings: Settings) -> list[SceneOutline]:
    """Scenes and shots, each shot with its thumbnail once drawn. Keyframes are drawn in script
    order, so the first `done` shots of the keyframes stage have theirs (and all, once done)."""
    if script is None:
        return []
    keyframes = record.progress.get("keyframes")
    drawn = len(script.shots) if record.status == "done" else (keyframes.done if keyframes else 0)
    scenes, number = [], 0
    for scene in script.scenes:
        shots = []
        for shot in scene.shots:
            number += 1
            thumbnail = None
            if number <= drawn:
                name = f"thumbnails/{shot.id}"
                thumbnail = (signed_media_path(settings, record.id, name) if not record.shared
                             else f"/api/films/{record.id}/{name}")
            shots.append(ShotOutline(id=shot.id, description=shot.description, thumbnail=thumbnail))
        scenes.append(SceneOutline(index=scene.index, title=scene.title, shots=shots))
    return scenes


def versions_of(record: RequestRecord, settings: Settings) -> list[FilmVersion]:
    """The film's cuts, newest first; passed ones with their video (signed for a private film)."""
    playing = record.playing_version
    versions = []
    for version in reversed(record.versions):
        video = None
        if version.status == "passed":
            name = f"versions/{version.number}/video"
            video = (signed_media_path(settings, record.id, name) if not record.shared
                     else f"/api/films/{record.id}/{name}")
        versions.append(FilmVersion(
            number=version.number, status=version.status, created_at=_utc(version.created_at),
            duration=version.duration_s, playing=playing is not None and version.number == playing.number,
            failed_checks=version.failed_checks, reason=version.reason, video=video,
        ))
    return versions


def detail(record: RequestRecord, settings: Settings, viewer: str | None, script: Script | None) -> FilmDetail:
    return FilmDetail(**summary(record, settings).model_dump(), mine=record.user_id == viewer,
                      progress=progress_of(record), scenes=outline_of(record, script, settings),
                      fixes=record.fixes if record.user_id == viewer else [],
                      versions=versions_of(record, settings))


def gallery_film(record: RequestRecord) -> GalleryFilm:
    return GalleryFilm(id=record.id, **form_of(record), created_at=record.created_at, title=title_of(record),
                       urls=FilmUrls(**{name: f"/api/films/{record.id}/{name}"
                                        for name in MEDIA_FILES if name in record.result}))


class Deleted(BaseModel):
    """A film deleted: gone from every list now; its files are removed in the background, and a
    film being made is stopped by the pipeline first (within a minute)."""

    id: str
    deleted: bool = True


class DataDeleted(BaseModel):
    """Everything of one person deleted: every film they asked for, shared or not, made or being made."""

    films_deleted: int
