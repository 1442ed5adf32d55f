"""The API's settings: one object, read from the environment once, at start.

    DREAMREEL_STORE              sqlite (default) | firestore: where requests are queued, and with
                                 firestore, media in Firebase Storage (as the Dagster resources choose)
    DREAMREEL_DATA_DIR           local data: the SQLite file, the local media store or Storage cache (out)
    DREAMREEL_API_AUTH           local (one user, "local"; loopback only) | firebase (ID tokens)
    DREAMREEL_API_HOST / _PORT   where `python -m dreamreel_api` listens (127.0.0.1:8000)
    DREAMREEL_API_WORKERS        API processes (1)
    DREAMREEL_API_MAX_BODY       largest request body in bytes (16 KiB)
    DREAMREEL_API_SECRET         key that signs media URLs (random per process when unset: set it
                                 when several API processes serve the same films)
    DREAMREEL_API_CLIENT_DIR     the built web client served at / (client/dist; none: API only)
    DREAMREEL_API_FILM_FRESH_SECONDS  with Firestore, how long a film read answers again (5: pages
                                 polling a film cost one read per 5 s however many poll; 0: none)
    DREAMREEL_API_CORS_ORIGINS   web app origins hosted apart from the API that may call it, comma
                                 separated (e.g. https://yours.web.app); none by default
    DREAMREEL_API_MAX_ACTIVE_FILMS  films one person may have waiting or being made at once (3; 0: no limit)
    DREAMREEL_API_RATE_LIMIT     new films and fixes one person may ask for per window (10; 0: no limit)
    DREAMREEL_API_RATE_WINDOW    that window in seconds (600)
    DREAMREEL_API_PREVIEW_SECONDS  make every film asked for a preview this long (20-600 s), for
                                 trying the whole loop quickly and for the browser tests; unset: off
    DREAMREEL_PROFILE            gpu or gpu-fast: films are written by a language model, so the form
                                 offers every language; anything else: the embedded writer, English only
    DREAMREEL_MODERATION         words (default: the word list shipped in the package) | openai (an
                                 OpenAI-compatible moderation endpoint) | off: what themes and fix notes
                                 are checked with; a service that cannot decide refuses them (503)
    DREAMREEL_MODERATION_URL / _MODEL / _API_KEY / _TIMEOUT   openai: the endpoint's base URL, its
                                 model (omni-moderation-latest), key, seconds to wait (10)
    DREAMREEL_FIREBASE_PROJECT, DREAMREEL_FIREBASE_BUCKET, DREAMREEL_FIREBASE_CREDENTIALS
    DREAMREEL_FIREBASE_WEB_API_KEY, DREAMREEL_FIREBASE_AUTH_DOMAIN   the web app's sign-in config
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dreamreel_assets.languages import PROFILE_WRITERS, writer_languages
from dreamreel_assets.models import MINUTES_MAX, PREVIEW_MIN_SECONDS
from dreamreel_assets.moderation import DEFAULT_MODERATION_MODEL, DEFAULT_TIMEOUT_S, ModerationSettings


def _origin(value: str) -> str:
    """`scheme://host[:port]` as browsers send it in Origin, or ValueError saying what is wrong."""
    if value == "*":
        raise ValueError("'*' would let any web page use the API with its visitors' tokens: name the web app's origins")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{value!r} is not an origin like https://yours.web.app (scheme and host, no path)")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    store: Literal["sqlite", "firestore"] = "sqlite"
    data_dir: Path = Path("out")
    firestore_collection: str = "requests"
    auth: Literal["local", "firebase"] = "local"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    max_body_bytes: int = Field(16 * 1024, ge=1024)
    page_size: int = Field(50, ge=1, le=500)
    """Films per page of my films and of the gallery (a page asks for up to this many)."""
    max_active_films: int = Field(3, ge=0, le=1000)
    rate_limit: int = Field(10, ge=0, le=100_000)
    rate_window_seconds: int = Field(600, ge=1, le=86_400)
    media_secret: str = Field(default_factory=lambda: secrets.token_hex(32), repr=False)
    media_url_seconds: int = Field(3600, ge=60)
    firebase_project: str | None = None
    firebase_bucket: str | None = None
    firebase_credentials: str | None = None
    firebase_web_api_key: str | None = None
    firebase_auth_domain: str | None = None
    client_dir: Path | None = None
    cors_origins: tuple[str, ...] = ()
    film_fresh_seconds: float = Field(5.0, ge=0, le=60)
    preview_seconds: int | None = Field(None, ge=PREVIEW_MIN_SECONDS, le=MINUTES_MAX * 60)
    profile: Literal["embedded", "gpu", "gpu-fast"] = "embedded"
    moderation: Literal["words", "openai", "off"] = "words"
    moderation_url: str | None = None
    moderation_model: str = DEFAULT_MODERATION_MODEL
    moderation_api_key: str | None = Field(None, repr=False)
    moderation_timeout_seconds: float = Field(DEFAULT_TIMEOUT_S, gt=0, le=120)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value):
        if isinstance(value, str):
            value = [part for part in re.split(r"[\s,]+", value) if part]
        return tuple(_origin(part) for part in value)

    @model_validator(mode="after")
    def _safe(self) -> Settings:
        if self.auth == "local" and not is_loopback(self.host):
            raise ValueError(
                f"auth 'local' lets anyone who can connect act as the one user: it only listens on "
                f"loopback, not {self.host!r} (use DREAMREEL_API_AUTH=firebase)"
            )
        if (self.store == "firestore" or self.auth == "firebase") and not self.firebase_project:
            raise ValueError("Firebase needs a project: set DREAMREEL_FIREBASE_PROJECT")
        problem = self.moderation_settings.problem()
        if problem:
            raise ValueError(problem)
        return self

    @property
    def moderation_settings(self) -> ModerationSettings:
        return ModerationSettings(backend=self.moderation, base_url=self.moderation_url, model=self.moderation_model,
                                  api_key=self.moderation_api_key, timeout_s=self.moderation_timeout_seconds)

    @property
    def writer(self) -> str:
        """The script writer the film job of this profile uses."""
        return PROFILE_WRITERS[self.profile]

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages films can be asked for: those the writer writes."""
        return writer_languages(self.writer)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "requests.sqlite"

    @property
    def bucket(self) -> str:
        return self.firebase_bucket or f"{self.firebase_project}.appspot.com"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if env is None else env
        names = {
            "data_dir": "DREAMREEL_DATA_DIR", "auth": "DREAMREEL_API_AUTH", "host": "DREAMREEL_API_HOST",
            "port": "DREAMREEL_API_PORT", "workers": "DREAMREEL_API_WORKERS", "max_body_bytes": "DREAMREEL_API_MAX_BODY",
            "media_secret": "DREAMREEL_API_SECRET", "firebase_project": "DREAMREEL_FIREBASE_PROJECT",
            "firebase_bucket": "DREAMREEL_FIREBASE_BUCKET",
            "firebase_credentials": "DREAMREEL_FIREBASE_CREDENTIALS",
            "firebase_web_api_key": "DREAMREEL_FIREBASE_WEB_API_KEY",
            "firebase_auth_domain": "DREAMREEL_FIREBASE_AUTH_DOMAIN",
            "client_dir": "DREAMREEL_API_CLIENT_DIR",
            "preview_seconds": "DREAMREEL_API_PREVIEW_SECONDS",
            "cors_origins": "DREAMREEL_API_CORS_ORIGINS",
            "film_fresh_seconds": "DREAMREEL_API_FILM_FRESH_SECONDS",
            "max_active_films": "DREAMREEL_API_MAX_ACTIVE_FILMS",
            "rate_limit": "DREAMREEL_API_RATE_LIMIT",
            "rate_window_seconds": "DREAMREEL_API_RATE_WINDOW",
            "moderation": "DREAMREEL_MODERATION", "moderation_url": "DREAMREEL_MODERATION_URL",
            "moderation_model": "DREAMREEL_MODERATION_MODEL", "moderation_api_key": "DREAMREEL_MODERATION_API_KEY",
            "moderation_timeout_seconds": "DREAMREEL_MODERATION_TIMEOUT",
        }
        values: dict[str, object] = {field: env[name] for field, name in names.items() if env.get(name)}
        store = env.get("DREAMREEL_STORE", "sqlite")
        values["store"] = "firestore" if store in ("firestore", "firebase") else "sqlite"
        profile = env.get("DREAMREEL_PROFILE", "")
        values["profile"] = profile if profile in ("gpu", "gpu-fast") else "embedded"
        return cls.model_validate({**values, **overrides})


# --- refusing to start on settings that could only fail later -------------------------------------

EMULATOR_VARIABLES = ("FIREBASE_AUTH_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST", "STORAGE_EMULATOR_HOST")


class StartupError(RuntimeError):
    """Settings the API cannot serve with, in words (it refuses to start rather than fail every request)."""


def startup_problems(settings: Settings, env: Mapping[str, str] | None = None) -> list[str]:
    """What would make every request fail (or let anyone in), found before serving any."""
    env = os.environ if env is None else env
    problems = []
    for variable in EMULATOR_VARIABLES:
        value = env.get(variable)
        if value and not is_loopback(urlsplit(value if "://" in value else f"//{value}").hostname or ""):
            problems.append(f"{variable} points at {value}, not this machine: an emulator accepts unsigned "
                            f"sign-ins and unauthenticated writes, so it must listen on loopback")
    needs = []
    if settings.auth == "firebase" and not env.get("FIREBASE_AUTH_EMULATOR_HOST"):
        needs.append("verify sign-ins")
    if settings.store == "firestore" and not (env.get("FIRESTORE_EMULATOR_HOST") or env.get("STORAGE_EMULATOR_HOST")):
        needs.append("use Firestore and Storage")
    if needs:
        problem = credentials_problem(settings.firebase_credentials)
        if problem:
            problems.append(f"Firebase credentials are needed to {' and '.join(needs)}: {problem}")
    return problems


def credentials_problem(credentials_file: str | None) -> str | None:
    """Why no Google credentials can be loaded (a service-account file, or application default ones)."""
    from firebase_admin import credentials
    from google.auth import default
    from google.auth.exceptions import DefaultCredentialsError

    if credentials_file:
        try:
            credentials.Certificate(credentials_file)
        except (OSError, ValueError) as error:
            return f"DREAMREEL_FIREBASE_CREDENTIALS={credentials_file} is not a readable service-account file ({error})"
        return None
    try:
        default()
    except DefaultCredentialsError:
        return ("none were found: set DREAMREEL_FIREBASE_CREDENTIALS to a service-account file "
                "(or GOOGLE_APPLICATION_CREDENTIALS, or run where application default credentials exist)")
    return None


def check_startup(settings: Settings) -> None:
    problems = startup_problems(settings)
    if problems:
        raise StartupError("DreamReel API cannot start: " + "; ".join(problems))