"""A user's films: ask for one, follow its progress, watch it, share it."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Body, HTTPException, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel, ValidationError

from dreamreel_api.deps import (
    LimiterDep,
    OptionalUserDep,
    OwnFilm,
    SettingsDep,
    StoresDep,
    UserDep,
    Cursor,
    check_limits,
    find_film,
    next_cursor,
    page_mark,
    media_ref,
    playing_ref,
    version_ref,
    not_found,
    signature_is_valid,
    visible_film,
)
from dreamreel_api.errors import FormError, field_errors
from dreamreel_api.moderation import UNAVAILABLE, ModeratorDep, check_moderation
from dreamreel_api.removal import delete_films
from dreamreel_api.schemas import (
    FORM_FIELDS,
    MEDIA_FILES,
    Created,
    Deleted,
    FilmDetail,
    FilmList,
    Shared,
    as_json,
    detail,
    summary,
)
from dreamreel_assets.languages import LANGUAGES
from dreamreel_assets.models import SHOT_ID, FilmRequest, FixRequest
from dreamreel_assets.stores.nudge import nudge
from dreamreel_assets.stores.requests import FilmBusy, FixRecord

log = logging.getLogger("dreamreel_api")

router = APIRouter(prefix="/api/films", tags=["films"])

FORM_EXAMPLE = {"genre": "mystery", "theme": "A lighthouse keeper finds a map that redraws itself",
                "style": "noir", "minutes": 5, "aspect": "16:9"}


def validate_form(form: dict[str, Any], languages: tuple[str, ...]) -> FilmRequest:
    """The form through FilmRequest (the one source of truth), field by field; only form fields,
    and only the languages this server's writer writes."""
    errors = [{"field": str(name), "message": "is not a field of this form"}
              for name in form if name not in FORM_FIELDS]
    try:
        request = FilmRequest.model_validate({k: v for k, v in form.items() if k in FORM_FIELDS})
    except ValidationError as error:
        errors += field_errors(error.errors())
    else:
        if request.language not in languages:
            errors.append({"field": "language", "message": f"{LANGUAGES[request.language].name} is not offered "
                           f"here: this server's script writer writes English only"})
        if not errors:
            return request
    raise FormError(errors)


def body_schema(model: type[BaseModel], title: str, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The spec's request body, from the model that validates it. The routes take the raw JSON and
    validate it themselves, so a bad field is answered in the API's own [{field, message}] form."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    if fields is not None:
        schema["properties"] = {name: schema["properties"][name] for name in fields}
        schema["required"] = [name for name in schema.get("required", []) if name in fields]
    schema.update(title=title, additionalProperties=False)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


TOO_MANY = {429: {"description": "Too many films in progress, or asked for too often: wait Retry-After seconds"}}


@router.post("", status_code=status.HTTP_201_CREATED, response_model=Created,
             responses={422: {"description": "A field is not valid, or refused by moderation: "
                                             "detail = [{field, message}]"}, **TOO_MANY, **UNAVAILABLE},
             openapi_extra=body_schema(FilmRequest, "FilmForm", FORM_FIELDS))
def create_film(
    form: Annotated[dict[str, Any], Body(examples=[FORM_EXAMPLE])],
    user: UserDep, stores: StoresDep, settings: SettingsDep, limiter: LimiterDep, response: Response,
    moderator: ModeratorDep,
) -> Created:
    request = validate_form(form, settings.languages)
    check_moderation(moderator, {"theme": request.theme})
    check_limits(settings, stores, limiter, user)
    fields = request.model_dump(mode="json", include=set(FORM_FIELDS))
    if settings.preview_seconds:
        fields["preview_seconds"] = settings.preview_seconds
    record = stores.requests.submit(fields, user_id=user.uid)
    nudge(settings.data_dir)
    response.headers["Location"] = f"/api/films/{record.id}"
    return Created(id=record.id, status=record.status, created_at=record.created_at)


@router.get("", response_model=FilmList, responses={422: {"description": "Not a cursor this API gave"}})
def my_films(user: UserDep, stores: StoresDep, settings: SettingsDep, cursor: Cursor = None) -> FilmList:
    """My films, newest first, a page at a time (`next_cursor` leads to the next)."""
    records = stores.requests.list_for_user(user.uid, limit=settings.page_size, after=page_mark(cursor))
    return FilmList(films=[summary(r, settings) for r in records], next_cursor=next_cursor(records, settings.page_size))


@router.get("/{film_id}", response_model=FilmDetail)
async def film(film_id: str, user: OptionalUserDep, settings: SettingsDep, stores: StoresDep) -> Response:
    """Status, per-stage progress, scenes and shots with thumbnails as they are drawn: the page
    that follows a film polls this. Shared films can be seen without signing in."""

    def answer() -> Response:  # the store reads, in one trip to the thread pool
        record = visible_film(film_id, stores, user)
        viewer = user.uid if user is not None else None
        return as_json(detail(record, settings, viewer=viewer, script=stores.script(record)),
                       headers={"Cache-Control": "no-store"})

    return await run_in_threadpool(answer)


@router.delete("/{film_id}", response_model=Deleted,
               responses={404: {"description": "No such film, or not yours"}})
def delete_film(record: OwnFilm, stores: StoresDep, settings: SettingsDep, background: BackgroundTasks) -> Deleted:
    """Delete one of my films: its request and gallery entry at once, its files right after; a film
    being made is stopped by the pipeline first. Shared links to it stop working."""
    deleted = [record.id] if stores.requests.delete(record.id) else []
    delete_films(stores, deleted, background, settings.data_dir)
    return Deleted(id=record.id)


FIX_EXAMPLE = {"stage": "keyframes", "shot": "s2-sh1", "note": "the lighthouse at night, lamp lit"}


@router.post("/{film_id}/fixes", status_code=status.HTTP_202_ACCEPTED, response_model=FixRecord,
             responses={409: {"description": "The film is not finished yet (or a fix is under way)"},
                        422: {"description": "Not a valid fix, no such scene or shot in this film, or a note "
                                             "refused by moderation"}, **TOO_MANY, **UNAVAILABLE},
             openapi_extra=body_schema(FixRequest, "FixForm"))
def ask_for_fix(
    record: OwnFilm, form: Annotated[dict[str, Any], Body(examples=[FIX_EXAMPLE])], stores: StoresDep,
    settings: SettingsDep, user: UserDep, limiter: LimiterDep, moderator: ModeratorDep,
) -> FixRecord:
    """Redo one part of a finished film: the pipeline re-materializes that stage for the film,
    reusing everything else; the film stays playable meanwhile."""
    try:
        fix = FixRequest.model_validate(form)
    except ValidationError as error:
        raise FormError(field_errors(error.errors())) from None
    check_target(fix, stores.script(record))
    check_moderation(moderator, {"note": fix.note})
    if record.status == "done":  # (otherwise request_fix refuses it, with 409)
        check_limits(settings, stores, limiter, user)
    try:
        queued = stores.requests.request_fix(record.id, fix)
    except FilmBusy as busy:
        raise HTTPException(409, f"Not now: {busy}") from None
    stores.forget_film(record.id)
    nudge(settings.data_dir)
    return queued


def check_target(fix: FixRequest, script) -> None:
    """The scene or shot must be one of the film's own."""
    if script is None:
        raise HTTPException(409, "Not now: the film has no script yet")
    problem = fix.target_problem(script)
    if problem is not None:
        raise FormError([{"field": problem[0], "message": problem[1]}])


@router.post("/{film_id}/share", response_model=Shared)
def share(record: OwnFilm, stores: StoresDep) -> Shared:
    stores.requests.set_shared(record.id, True)
    stores.forget("gallery")
    stores.forget_film(record.id)
    return Shared(id=record.id, shared=True)


@router.delete("/{film_id}/share", response_model=Shared)
def unshare(record: OwnFilm, stores: StoresDep) -> Shared:
    stores.requests.set_shared(record.id, False)
    stores.forget("gallery")
    stores.forget_film(record.id)
    return Shared(id=record.id, shared=False)


MEDIA_TYPES = {"video": "video/mp4", "poster": "image/jpeg", "subtitles": "text/vtt", "srt": "application/x-subrip",
               "timeline": "application/zip"}
MEDIA_RESPONSES = {
    200: {"description": "The file (video: byte ranges answered with 206)"},
    307: {"description": "Redirect to the file in Firebase Storage"},
    404: {"description": "No such film, not yours and not shared, or not made yet"},
}


def _media(film_id: str, name: str, stores, settings, user, exp: str | None, sig: str | None,
           file_name: str | None = None, media_type: str | None = None, version: int | None = None):
    record = find_film(film_id, stores)
    allowed = (record.shared or (user is not None and user.uid == record.user_id)
               or signature_is_valid(settings, record.id, name, exp, sig))
    if not allowed or (file_name is None and version is None and name not in record.result):
        raise not_found()
    if version is not None:
        if not any(v.number == version and v.status == "passed" for v in record.versions):
            raise not_found()
        ref = version_ref(record.id, version, "film.mp4")
    else:
        ref = media_ref(record.id, file_name) if file_name else playing_ref(record, MEDIA_FILES[name])
    if not stores.media_is_local:
        return RedirectResponse(stores.media.url(ref), status_code=307)
    path = stores.media.local_path(ref)
    if not path.is_file():
        raise HTTPException(404, "The film's file is missing")
    cache = "public, max-age=3600" if record.shared else "private, max-age=3600"
    download = f"{record.id}.otioz" if name == "timeline" else None
    return FileResponse(path, media_type=media_type or MEDIA_TYPES[name], headers={"Cache-Control": cache},
                        filename=download)


Exp = Annotated[str | None, Query(include_in_schema=False)]
Sig = Annotated[str | None, Query(include_in_schema=False)]


@router.get("/{film_id}/video", responses=MEDIA_RESPONSES, response_class=FileResponse)
def video(film_id: str, stores: StoresDep, settings: SettingsDep, user: OptionalUserDep,
          exp: Exp = None, sig: Sig = None):
    return _media(film_id, "video", stores, settings, user, exp, sig)


@router.get("/{film_id}/poster", responses=MEDIA_RESPONSES, response_class=FileResponse)
def poster(film_id: str, stores: StoresDep, settings: SettingsDep, user: OptionalUserDep,
           exp: Exp = None, sig: Sig = None):
    return _media(film_id, "poster", stores, settings, user, exp, sig)


@router.get("/{film_id}/subtitles", responses=MEDIA_RESPONSES, response_class=FileResponse)
def subtitles(film_id: str, stores: StoresDep, settings: SettingsDep, user: OptionalUserDep,
              exp: Exp = None, sig: Sig = None):
    return _media(film_id, "subtitles", stores, settings, user, exp, sig)


@router.get("/{film_id}/srt", responses=MEDIA_RESPONSES, response_class=FileResponse)
def srt(film_id: str, stores: StoresDep, settings: SettingsDep, user: OptionalUserDep,
        exp: Exp = None, sig: Sig = None):
    """The subtitles as SubRip (`.srt`), for editors and players that take no WebVTT."""
    return _media(film_id, "srt", stores, settings, user, exp, sig)


@router.get("/{film_id}/timeline", responses=MEDIA_RESPONSES, response_class=FileResponse)
def timeline(film_id: str, stores: StoresDep, settings: SettingsDep, user: OptionalUserDep,
             exp: Exp = None, sig: Sig = None):
    """The film as an editable timeline: an OpenTimelineIO bundle (`.otioz`) holding the timeline
    (clips with their cross-fades, narration and music tracks, scene and subtitle markers) and every
    media file it uses, for DaVinci Resolve, Premiere (OTIO plug-in), Blender and other editors."""
    return _media(film_id, "timeline", stores, settings, user, exp, sig)


VersionNumber = Annotated[int, Path(ge=1, le=1_000_000, description="The version's number (`versions` of the film)")]


@router.get("/{film_id}/versions/{number}/video", responses=MEDIA_RESPONSES, response_class=FileResponse)
def version_video(film_id: str, number: VersionNumber, stores: StoresDep, settings: SettingsDep,
                  user: OptionalUserDep, exp: Exp = None, sig: Sig = None):
    """One version of the film that passed its checks (the newest of them is also `/video`);
    404 for a version that failed or is still being checked."""
    return _media(film_id, f"versions/{number}/video", stores, settings, user, exp, sig,
                  media_type="video/mp4", version=number)


ShotId = Annotated[str, Path(pattern=SHOT_ID)]


@router.get("/{film_id}/thumbnails/{shot_id}", responses=MEDIA_RESPONSES, response_class=FileResponse)
def thumbnail(film_id: str, shot_id: ShotId, stores: StoresDep, settings: SettingsDep,
              user: OptionalUserDep, exp: Exp = None, sig: Sig = None):
    """A shot's keyframe, small (JPEG), once it is drawn."""
    return _media(film_id, f"thumbnails/{shot_id}", stores, settings, user, exp, sig,
                  file_name=f"thumbnails/{shot_id}.jpg", media_type="image/jpeg")
