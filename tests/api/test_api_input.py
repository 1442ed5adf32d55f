"""Hostile input: text that hides or reorders itself, lone surrogates, malformed query values and
Range headers, HEAD requests. Never a 500; every error JSON in one shape."""

import os

import pytest
from api_support import PROJECT, VIDEO, api, finished_film  # noqa: F401 (a fixture)

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


@pytest.mark.parametrize("theme, message", [
    ("\u200b\u200b\u200b\u200b\u200b", "must have at least 3 visible characters"),
    ("  \u2060\u00ad a  ", "must have at least 3 visible characters"),
    ("\u0301\u0301\u0301\u0301", "must have at least 3 visible characters"),
    ("A map \u202egnp.exe", "must not contain bidirectional control characters (U+202E)"),
    ("A map \u2066hidden\u2069", "must not contain bidirectional control characters (U+2066)"),
    ("A map \u0378 here", "must not contain unassigned code points (U+0378)"),
    ("A map \ue000 here", "must not contain private-use characters (U+E000)"),
    ("A map\u0007 here", "must not contain control characters (U+0007)"),
])
def test_themes_that_hide_or_reorder_text_are_refused_saying_why(api, theme, message):
    response = api.post("/api/films", json={**FORM, "theme": theme})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "theme" and problem["message"].startswith(message), problem


def test_emoji_and_other_scripts_are_welcome(api):
    for theme in ("🐉🍞🏔", "👩‍👩‍👧 at the seaside", "灯台守が地図を見つける", "Ein Drache backt Brot"):
        assert api.post("/api/films", json={**FORM, "theme": theme}).status_code == 201, theme


@pytest.mark.parametrize("body", [
    b'{"genre": "mystery", "theme": "A map \\ud800 here", "style": "noir", "minutes": 5}',
    b'{"genre": "\\ud800", "theme": "A lighthouse keeper", "style": "noir"}',
    b'{"\\udfff": 1, "genre": "mystery", "theme": "A lighthouse keeper", "style": "noir"}',
    b'{"genre": "mystery", "theme": "A lighthouse keeper", "style": "noir", "minutes": "\\ud83d"}',
])
def test_lone_surrogates_anywhere_are_a_422_never_a_500(api, body):
    response = api.post("/api/films", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_a_fix_note_needs_visible_words_and_no_tricks(api, tmp_path):
    film = finished_film(api, tmp_path)
    for note, message in [("\u200b\u200b\u200b\u200b", "at least 3 visible characters"),
                          ("brighter \u202e", "bidirectional control characters (U+202E)")]:
        response = api.post(f"/api/films/{film}/fixes", json={"stage": "music", "note": note})
        assert response.status_code == 422 and message in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("query", [
    "exp=%C2%B2&sig=abc", "exp=" + "9" * 5000 + "&sig=abc", "exp=%ED%A0%80&sig=%ED%A0%80",
    "exp=1&sig=%FF", "exp=&sig=", "exp=-1&sig=x", "exp=1e9&sig=x", "exp=%00&sig=%00",
])
def test_malformed_media_links_are_a_404_never_a_500(tmp_path, query):
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app
    from dreamreel_api.settings import Settings

    os.environ["FIREBASE_AUTH_EMULATOR_HOST"] = "127.0.0.1:9099"
    try:
        with TestClient(create_app(Settings(data_dir=tmp_path, auth="firebase", firebase_project=PROJECT)),
                        base_url="http://127.0.0.1") as client:
            film = client.app.state.stores.requests.submit(FORM, user_id="ada").id
            client.app.state.stores.requests.set_status(film, "done", result={"video": "v"})
            response = client.get(f"/api/films/{film}/video?{query}")
    finally:
        del os.environ["FIREBASE_AUTH_EMULATOR_HOST"]
    assert response.status_code == 404, response.text
    assert response.json() == {"detail": "No such film"}


@pytest.mark.parametrize("header", ["bytes=oops", "bytes=5-2x", "items=0-10", "bytes=", "bytes=--1", "\u00ff"])
def test_an_invalid_range_is_ignored_and_the_whole_file_sent(api, tmp_path, header):
    film = finished_film(api, tmp_path)
    response = api.get(f"/api/films/{film}/video", headers={"Range": header.encode("latin-1")})
    assert response.status_code == 200 and response.content == VIDEO


def test_a_valid_range_is_still_honoured(api, tmp_path):
    film = finished_film(api, tmp_path)
    response = api.get(f"/api/films/{film}/video", headers={"Range": "bytes=10-19"})
    assert response.status_code == 206 and response.content == VIDEO[10:20]


def test_head_works_on_every_get_route(api, tmp_path):
    film = finished_film(api, tmp_path)
    api.post(f"/api/films/{film}/share")
    paths = [path.replace("{film_id}", film).replace("{style}", "noir").replace("{shot_id}", "s1-sh1")
             for path, operations in api.app.openapi()["paths"].items() if "get" in operations]
    assert len(paths) >= 10
    for path in paths:
        got, head = api.get(path), api.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"" and head.headers.get("content-type") == got.headers.get("content-type"), path
