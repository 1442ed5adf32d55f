"""Fixtures for the HTTP API tests (imported by each test module; a conftest.py here would shadow
tests/conftest.py for `from conftest import ...`): the app over a SQLite store and a local media dir (tmp_path)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings

PROJECT = "demo-dreamreel"  # the emulators' project: one firebase-admin app per name and process
UNLIMITED = {"max_active_films": 0, "rate_limit": 0}
"""Per-person limits off: for tests that ask for many films (test_api_limits.py tests the limits)."""


@pytest.fixture
def api(tmp_path) -> TestClient:
    """Auth mode `local`: every call is the one user "local"."""
    with TestClient(create_app(Settings(data_dir=tmp_path, **UNLIMITED)), base_url="http://127.0.0.1") as client:
        yield client


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def mint_token(uid: str, project: str = PROJECT, expires_in: int = 3600) -> str:
    """An unsigned Firebase ID token, which firebase-admin accepts only with FIREBASE_AUTH_EMULATOR_HOST set."""
    now = int(time.time())
    claims = {"iss": f"https://securetoken.google.com/{project}", "aud": project, "sub": uid,
              "user_id": uid, "iat": now - 10, "exp": now + expires_in, "auth_time": now - 10}
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


@pytest.fixture
def firebase_api(tmp_path, monkeypatch) -> TestClient:
    """Auth mode `firebase` with emulator-style unsigned tokens (no emulator needs to run)."""
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    settings = Settings(data_dir=tmp_path, auth="firebase", firebase_project=PROJECT, **UNLIMITED)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
def as_user() -> Callable[[str], dict[str, str]]:
    return lambda uid: {"Authorization": f"Bearer {mint_token(uid)}"}


FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}
VIDEO = bytes(range(256)) * 64  # 16 KiB


def finished_film(api: TestClient, root) -> str:
    """A film asked for through the API, with the files the pipeline leaves and its status done."""
    film_id = api.post("/api/films", json=FORM).json()["id"]
    folder = root / "films" / film_id
    folder.mkdir(parents=True)
    (folder / "film.mp4").write_bytes(VIDEO)
    (folder / "poster.jpg").write_bytes(b"\xff\xd8\xff poster")
    (folder / "film.vtt").write_text("WEBVTT\n")
    (folder / "film.srt").write_text("1\n00:00:00,500 --> 00:00:02,000\nThe lamp burned.\n")
    api.app.state.stores.requests.set_status(
        film_id, "done", result={"video": "v", "poster": "p", "subtitles": "s", "srt": "r"})
    return film_id
