"""Who may do what: every route of the spec x {anonymous, owner, another user} x {a private film,
a shared film} x {local, firebase}, against the expected status. The table is checked against the
app's own routes, so a new route without its row fails here before it ships."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from api_support import PROJECT, UNLIMITED, mint_token
from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings
from dreamreel_assets.stores.requests import CutVersion

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}
FILES = {"film.mp4": b"\x00\x00\x00\x18ftypmp42", "poster.jpg": b"\xff\xd8\xff poster", "film.vtt": b"WEBVTT\n",
         "film.srt": b"1\n00:00:00,000 --> 00:00:01,000\nHi\n", "thumbnails/s1-sh1.jpg": b"\xff\xd8\xff thumb",
         "timeline.otioz": b"PK\x03\x04 bundle"}
ACTORS = ("anonymous", "owner", "other")

# (method, path) -> {(film, actor): status}; film is "private" or "shared". Anything of a film that
# is not yours and not shared answers like a film that does not exist (404), never 403.
MEDIA = {("private", "anonymous"): 404, ("private", "owner"): 200, ("private", "other"): 404,
         ("shared", "anonymous"): 200, ("shared", "owner"): 200, ("shared", "other"): 200}
PUBLIC = {(film, actor): 200 for film in ("private", "shared") for actor in ACTORS}
OWNER_ONLY = {("private", "anonymous"): 401, ("private", "owner"): 200, ("private", "other"): 404,
              ("shared", "anonymous"): 401, ("shared", "owner"): 200, ("shared", "other"): 404}
EXPECTED = {
    ("get", "/api/config"): PUBLIC,
    ("get", "/api/options"): PUBLIC,
    ("get", "/api/styles/{style}.png"): PUBLIC,
    ("get", "/api/health"): PUBLIC,
    ("get", "/api/gallery"): PUBLIC,
    ("get", "/api/films"): {**OWNER_ONLY, ("private", "other"): 200, ("shared", "other"): 200},
    ("post", "/api/films"): {**OWNER_ONLY, ("private", "owner"): 201, ("shared", "owner"): 201,
                             ("private", "other"): 201, ("shared", "other"): 201},
    ("get", "/api/films/{film_id}"): {**MEDIA, ("private", "anonymous"): 401},
    ("post", "/api/films/{film_id}/fixes"): {**OWNER_ONLY, ("private", "owner"): 409, ("shared", "owner"): 409},
    ("delete", "/api/films/{film_id}"): OWNER_ONLY,
    ("delete", "/api/me"): {**OWNER_ONLY, ("private", "other"): 200, ("shared", "other"): 200},
    ("post", "/api/films/{film_id}/share"): OWNER_ONLY,
    ("delete", "/api/films/{film_id}/share"): OWNER_ONLY,
    ("get", "/api/films/{film_id}/video"): MEDIA,
    ("get", "/api/films/{film_id}/poster"): MEDIA,
    ("get", "/api/films/{film_id}/subtitles"): MEDIA,
    ("get", "/api/films/{film_id}/srt"): MEDIA,
    ("get", "/api/films/{film_id}/timeline"): MEDIA,
    ("get", "/api/films/{film_id}/versions/{number}/video"): MEDIA,
    ("get", "/api/films/{film_id}/thumbnails/{shot_id}"): MEDIA,
}
BODIES = {("post", "/api/films"): FORM, ("post", "/api/films/{film_id}/fixes"): {"stage": "music"}}


def test_every_route_has_its_row():
    app = create_app(Settings(data_dir=os.devnull + "-unused", **UNLIMITED))
    routes = {(method, path) for path, operations in app.openapi()["paths"].items() for method in operations}
    assert routes == set(EXPECTED), "add the new route's row to EXPECTED (and think about who may call it)"


@pytest.fixture(params=["local", "firebase"])
def world(request, tmp_path, monkeypatch):
    """The app in an auth mode, with one private and one shared finished film of "ada"."""
    if request.param == "firebase":
        monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
        settings = Settings(data_dir=tmp_path, auth="firebase", firebase_project=PROJECT, **UNLIMITED)
    else:
        settings = Settings(data_dir=tmp_path, **UNLIMITED)
    client = TestClient(create_app(settings), base_url="http://127.0.0.1")
    store = client.app.state.stores.requests
    owner = "ada" if request.param == "firebase" else "local"
    films = {kind: finished(client, owner, kind) for kind in ("private", "shared")}
    with client:
        yield request.param, client, films


def finished(client: TestClient, owner: str, kind: str, film_id: str | None = None) -> str:
    """A finished film of `owner`, private or shared, with its files (again, when `film_id` is given)."""
    store = client.app.state.stores.requests
    film = store.submit(FORM, user_id=owner, request_id=film_id, replace=film_id is not None).id
    for name, content in FILES.items():
        for folder in ("", "cuts/1/"):  # as made before versions, and its version 1
            path = client.app.state.settings.data_dir / "films" / film / f"{folder}{name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    store.set_status(film, "done", result={"video": "v", "poster": "p", "subtitles": "s", "srt": "r", "timeline": "t"})
    store.save_version(film, CutVersion(number=1, status="passed", created_at=datetime.now(timezone.utc)))
    store.set_shared(film, kind == "shared")
    return film


def headers_for(mode: str, actor: str) -> dict[str, str]:
    if mode == "local" or actor == "anonymous":
        return {}
    return {"Authorization": f"Bearer {mint_token('ada' if actor == 'owner' else 'bob')}"}


def expected_status(mode: str, route: tuple[str, str], film: str, actor: str) -> int | None:
    """What the table says; in local mode everyone is the one user, the owner (no one else exists)."""
    if mode == "local":
        actor = "owner"
    return EXPECTED[route][(film, actor)]


@pytest.mark.parametrize("route", sorted(EXPECTED), ids=lambda r: f"{r[0].upper()} {r[1]}")
def test_who_may_do_what(world, route):
    mode, client, films = world
    method, path = route
    seen = []
    for film in ("private", "shared"):
        for actor in ACTORS:
            url = (path.replace("{film_id}", films[film]).replace("{style}", "noir")
                   .replace("{shot_id}", "s1-sh1").replace("{number}", "1"))
            response = client.request(method.upper(), url, headers=headers_for(mode, actor), json=BODIES.get(route))
            expected = expected_status(mode, route, film, actor)
            seen.append((film, actor, response.status_code, expected))
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/json")
                assert response.json()["detail"]
            if method in ("post", "delete") and path.endswith("/share") and response.status_code == 200:
                client.app.state.stores.requests.set_shared(films[film], film == "shared")  # as it was
            if method == "delete" and not path.endswith("/share") and response.status_code == 200:
                for kind, film_id in films.items():  # deleted: as it was, for the next caller
                    if client.app.state.stores.requests.get(film_id) is None:
                        finished(client, "ada" if mode == "firebase" else "local", kind, film_id)
    assert [s[2] for s in seen] == [s[3] for s in seen], seen
