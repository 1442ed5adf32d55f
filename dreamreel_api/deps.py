"""What routes depend on: settings, the stores, the current user (as `Annotated` types)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dreamreel_api.errors import FormError
from dreamreel_api.settings import Settings
from dreamreel_assets.models import MediaRef, Script
from dreamreel_assets.stores.media import LocalMediaStore, MediaStore
from dreamreel_assets.stores.requests import (
    RequestRecord,
    cut_folder,
    PageMark,
    RequestStore,
    SqliteRequestStore,
)

log = logging.getLogger("dreamreel_api")
T = TypeVar("T")

FIREBASE_APP_NAME = "dreamreel-api"
"""The API's own firebase-admin app, apart from the pipeline's when both run in one process."""

FILM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
"""Ids the API accepts in paths: request ids (`new_request_id`) and readable film ids."""


SCRIPTS_KEPT = 256
FILMS_KEPT = 1000
REMEMBERED_KEPT = 256
"""Scripts kept in memory for the film pages being polled (a few tens of KB each)."""


@dataclass
class Stores:
    requests: RequestStore
    media: MediaStore
    firebase_app: object | None = None
    film_fresh_s: float = 0.0
    """How long a film's record read from the store answers again (0: read it every time)."""
    _films: OrderedDict[str, tuple[float, RequestRecord | None]] = field(default_factory=OrderedDict, repr=False)
    _scripts: dict[str, tuple[object, Script]] = field(default_factory=dict, repr=False)
    _remembered: dict[str, tuple[float, object]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remembered(self, key: str, fresh_s: float, build: Callable[[], T]) -> T:
        """`build()`, reused for `fresh_s` seconds (for answers that are the same for everyone)."""
        now = time.monotonic()
        entry = self._remembered.get(key)
        if entry is None or now - entry[0] > fresh_s:
            entry = (now, build())
            if len(self._remembered) >= REMEMBERED_KEPT:  # pages anyone may ask for: keep it bounded
                self._remembered.clear()
            self._remembered[key] = entry
        return entry[1]

    def forget(self, key: str) -> None:
        """Forget `key` and the keys under it (`key:...`, e.g. every page of the gallery)."""
        for known in [k for k in self._remembered if k == key or k.startswith(f"{key}:")]:
            self._remembered.pop(known, None)

    def film(self, film_id: str) -> RequestRecord | None:
        """The film's record, read again once it is `film_fresh_s` old: everyone following a film
        costs the store one read per period however often their pages poll."""
        if not self.film_fresh_s:
            return self.requests.get(film_id)
        now = time.monotonic()
        with self._lock:
            entry = self._films.get(film_id)
        if entry is not None and now - entry[0] <= self.film_fresh_s:
            return entry[1]
        record = self.requests.get(film_id)
        with self._lock:
            self._films[film_id] = (now, record)
            self._films.move_to_end(film_id)
            while len(self._films) > FILMS_KEPT:
                self._films.popitem(last=False)
        return record

    def forget_film(self, film_id: str) -> None:
        """After this API changed the film (shared it, asked for a fix): read it fresh next time."""
        with self._lock:
            self._films.pop(film_id, None)

    @property
    def media_is_local(self) -> bool:
        return isinstance(self.media, LocalMediaStore)

    def script(self, record: RequestRecord) -> Script | None:
        """The film's script as its script stage saved it (`script.json`), None until written.
        Kept per film until the file (local) or the run that wrote it (remote) changes."""
        entry = record.progress.get("script")
        if entry is None or not entry.done:
            return None
        ref = media_ref(record.id, "script.json")
        if self.media_is_local:
            path = self.media.local_path(ref)
            version: object = path.stat().st_mtime_ns if path.is_file() else None
        else:
            version = (record.run_id, entry.note)
        with self._lock:
            cached = self._scripts.pop(record.id, None)
            if cached is not None and cached[0] == version:
                self._scripts[record.id] = cached
                return cached[1]
        script = self._read_script(ref)
        if script is not None:
            with self._lock:
                self._scripts[record.id] = (version, script)
                while len(self._scripts) > SCRIPTS_KEPT:  # the least recently read go first
                    del self._scripts[next(iter(self._scripts))]
        return script

    def _read_script(self, ref: MediaRef) -> Script | None:
        try:
            if not self.media_is_local:
                ref = self.media.existing(ref.key)
                if ref is None:
                    return None
            return Script.model_validate_json(self.media.local_path(ref).read_bytes())
        except (OSError, ValueError) as error:
            log.warning("cannot read %s: %s", ref.key, error)
            return None


def open_stores(settings: Settings) -> Stores:
    """The stores `settings` name (the Dagster resources choose the same way from DREAMREEL_STORE)."""
    app = None
    if settings.store == "firestore" or settings.auth == "firebase":
        from dreamreel_assets.stores.firebase_app import firebase_app

        bucket = settings.bucket if settings.store == "firestore" else None
        app = firebase_app(settings.firebase_project, credentials_file=settings.firebase_credentials,
                           bucket=bucket, name=FIREBASE_APP_NAME)
    if settings.store == "sqlite":
        return Stores(SqliteRequestStore(settings.sqlite_path), LocalMediaStore(settings.data_dir), app)
    from firebase_admin import firestore, storage

    from dreamreel_assets.stores.firebase_storage import FirebaseMediaStore
    from dreamreel_assets.stores.firestore import FirestoreRequestStore

    return Stores(
        FirestoreRequestStore(firestore.client(app), collection=settings.firestore_collection),
        FirebaseMediaStore(storage.bucket(settings.bucket, app=app), settings.data_dir),
        app,
        film_fresh_s=settings.film_fresh_seconds,
    )


# Dependencies that do no I/O are `async def`: FastAPI runs each sync one in its thread pool,
# and those hops, not the work, were most of the time of a status request.

async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_stores(request: Request) -> Stores:
    return request.app.state.stores


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoresDep = Annotated[Stores, Depends(get_stores)]

bearer = HTTPBearer(auto_error=False, description="A Firebase ID token (auth mode `firebase`).")


@dataclass(frozen=True)
class User:
    uid: str


LOCAL_USER = User("local")


def _not_signed_in(reason: str) -> HTTPException:
    return HTTPException(401, reason, headers={"WWW-Authenticate": "Bearer"})


async def optional_user(
    settings: SettingsDep, stores: StoresDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User | None:
    """The signed-in user, None when no token was sent; 401 for a token that does not verify."""
    if settings.auth == "local":
        return LOCAL_USER
    if credentials is None:
        return None
    # Verifying may fetch Google's certificates: off the event loop.
    return await run_in_threadpool(verified_user, credentials.credentials, stores.firebase_app)


def verified_user(token: str, firebase_app) -> User:
    from firebase_admin import auth, exceptions

    try:
        claims = auth.verify_id_token(token, app=firebase_app)
    except auth.CertificateFetchError as error:
        log.error("cannot fetch Firebase certificates: %s", error)
        raise HTTPException(503, "Sign-in cannot be checked right now; try again soon") from None
    except (ValueError, exceptions.FirebaseError):
        raise _not_signed_in("Your sign-in is not valid or has expired; sign in again") from None
    uid = claims.get("uid") or claims.get("sub")
    if not isinstance(uid, str) or not uid:
        raise _not_signed_in("Your sign-in names no user")
    return User(uid)


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise _not_signed_in("Sign in first")
    return user


OptionalUserDep = Annotated[User | None, Depends(optional_user)]
UserDep = Annotated[User, Depends(current_user)]


def not_found() -> HTTPException:
    return HTTPException(404, "No such film")


def lookup_film(film_id: str, stores: Stores) -> RequestRecord | None:
    """The record of a well-formed id; None for anything else (a bad id is just not a film)."""
    return stores.film(film_id) if FILM_ID.match(film_id) else None


def find_film(film_id: str, stores: Stores) -> RequestRecord:
    """The record of a well-formed id; 404 for anything else."""
    record = lookup_film(film_id, stores)
    if record is None:
        raise not_found()
    return record


def visible_film(film_id: str, stores: StoresDep, user: OptionalUserDep) -> RequestRecord:
    """A film the user may see: theirs, or shared (shared ones without signing in, too).
    Others read as missing, never as forbidden."""
    record = lookup_film(film_id, stores)
    if record is not None and record.shared:
        return record
    if user is None:  # the same answer whether or not the film exists
        raise _not_signed_in("Sign in first")
    if record is None or record.user_id != user.uid:
        raise not_found()
    return record


def own_film(film_id: str, stores: StoresDep, user: UserDep) -> RequestRecord:
    record = find_film(film_id, stores)
    if record.user_id != user.uid:
        raise not_found()
    return record


VisibleFilm = Annotated[RequestRecord, Depends(visible_film)]
OwnFilm = Annotated[RequestRecord, Depends(own_film)]


# --- media URLs a <video> element can load (it sends no Authorization header) -------------------

def media_signature(settings: Settings, film_id: str, name: str, expires: int) -> str:
    message = f"{film_id}/{name}/{expires}".encode()
    return hmac.new(settings.media_secret.encode(), message, hashlib.sha256).hexdigest()[:32]


SIGNATURE_STEP_S = 600
"""Expiry times are rounded up to this step, so a page that polls gets the same URLs for a while
(and the browser keeps its cached pictures) instead of a new URL every time."""


def signed_media_path(settings: Settings, film_id: str, name: str) -> str:
    expires = (int(time.time()) // SIGNATURE_STEP_S + 1) * SIGNATURE_STEP_S + settings.media_url_seconds
    return f"/api/films/{film_id}/{name}?exp={expires}&sig={media_signature(settings, film_id, name, expires)}"


def signature_is_valid(settings: Settings, film_id: str, name: str, exp: str | None, sig: str | None) -> bool:
    if not exp or not sig or len(exp) > 12 or not (exp.isascii() and exp.isdigit()) or int(exp) < time.time():
        return False
    return hmac.compare_digest(media_signature(settings, film_id, name, int(exp)), sig)


def media_ref(film_id: str, file_name: str) -> MediaRef:
    """Where the pipeline keeps a film's files (`films/<film id>/...`); routes only need the key."""
    return MediaRef(key=f"films/{film_id}/{file_name}", sha256="")


def version_ref(film_id: str, number: int, file_name: str) -> MediaRef:
    """A file of one version of the film's final cut (`films/<film id>/cuts/<n>/...`)."""
    return MediaRef(key=f"{cut_folder(film_id, number)}{file_name}", sha256="")


def playing_ref(record: RequestRecord, file_name: str) -> MediaRef:
    """A file of the cut people see: the newest version that passed its checks; for a film made
    before versions, the file directly under `films/<film id>/`."""
    playing = record.playing_version
    return media_ref(record.id, file_name) if playing is None else version_ref(record.id, playing.number, file_name)


# --- limits per person ----------------------------------------------------------------------------


@dataclass
class RateLimiter:
    """At most `limit` accepted requests per person in any `window_s` seconds (a sliding window,
    kept in this API process: with several workers each keeps its own)."""

    limit: int
    window_s: float
    _hits: dict[str, deque] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, who: str, now: float | None = None) -> int | None:
        """Record one request and return None, or the whole seconds to wait when over the limit."""
        if self.limit <= 0:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(who, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window_s - now))
            hits.append(now)
            if len(self._hits) > 100_000:  # forget the quietest people rather than grow without end
                for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s]:
                    del self._hits[key]
        return None


def too_many(detail: str, retry_after_s: int) -> HTTPException:
    return HTTPException(429, detail, headers={"Retry-After": str(retry_after_s)})


ACTIVE_RETRY_S = 60
"""What a person over their films-in-progress limit is told to wait: films take minutes."""


def check_limits(settings: Settings, stores: Stores, limiter: RateLimiter, user: User) -> None:
    """429 (with Retry-After) when the person has too many films in progress or asked too often."""
    if settings.max_active_films and stores.requests.count_active(user.uid) >= settings.max_active_films:
        raise too_many(f"You have {settings.max_active_films} films waiting or being made: ask for more "
                       f"when one of them is done", ACTIVE_RETRY_S)
    wait_s = limiter.take(user.uid)
    if wait_s is not None:
        minutes = max(1, round(settings.rate_window_seconds / 60))
        raise too_many(f"Too many films and fixes asked for: at most {settings.rate_limit} every "
                       f"{minutes} minutes; try again in {wait_s} s", wait_s)


async def get_limiter(request: Request) -> RateLimiter:
    return request.app.state.limiter


LimiterDep = Annotated[RateLimiter, Depends(get_limiter)]


# --- pages of films -------------------------------------------------------------------------------

Cursor = Annotated[str | None, Query(max_length=300, description="`next_cursor` of the page before")]


def page_mark(cursor: str | None) -> PageMark | None:
    """The mark a cursor carries; 422 naming the field for anything this API did not give out."""
    if cursor is None:
        return None
    try:
        return PageMark.decode(cursor)
    except ValueError as error:
        raise FormError([{"field": "cursor", "message": str(error)}]) from None


def next_cursor(records: list, limit: int) -> str | None:
    return PageMark.after(records[-1]).encode() if len(records) == limit else None
