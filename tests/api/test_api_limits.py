"""Limits per person (films in progress, a rate of new films and fixes) and paging."""

import pytest
from api_support import PROJECT, UNLIMITED, as_user  # noqa: F401 (a fixture)
from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def client_for(tmp_path, monkeypatch=None, **settings) -> TestClient:
    if settings.get("auth") == "firebase":
        monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
        settings["firebase_project"] = PROJECT
    return TestClient(create_app(Settings(data_dir=tmp_path, **settings)), base_url="http://127.0.0.1")


def theme(number: int) -> dict:
    return {**FORM, "theme": f"A lighthouse keeper finds map number {number}"}


def test_a_person_has_at_most_three_films_in_progress(tmp_path):
    with client_for(tmp_path, rate_limit=0) as api:
        made = [api.post("/api/films", json=theme(n)) for n in range(3)]
        assert [r.status_code for r in made] == [201, 201, 201]
        refused = api.post("/api/films", json=theme(3))
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        assert refused.json() == {"detail": "You have 3 films waiting or being made: ask for more when one "
                                            "of them is done"}
        api.app.state.stores.requests.set_status(made[0].json()["id"], "done")
        assert api.post("/api/films", json=theme(4)).status_code == 201


def test_new_films_and_fixes_are_rate_limited_per_person(tmp_path, monkeypatch, as_user):
    with client_for(tmp_path, monkeypatch, auth="firebase", max_active_films=0, rate_limit=3,
                    rate_window_seconds=600) as api:
        ada, bob = as_user("ada"), as_user("bob")
        assert [api.post("/api/films", json=theme(n), headers=ada).status_code for n in range(3)] == [201] * 3
        refused = api.post("/api/films", json=theme(3), headers=ada)
        assert refused.status_code == 429 and 590 <= int(refused.headers["retry-after"]) <= 600
        assert refused.json()["detail"].startswith("Too many films and fixes asked for: at most 3 every 10 minutes")
        assert api.post("/api/films", json=theme(4), headers=bob).status_code == 201  # another person
        film = api.post("/api/films", json=theme(5), headers=bob).json()["id"]
        api.app.state.stores.requests.set_status(film, "done")
        fix = api.post(f"/api/films/{film}/fixes", json={"stage": "music"}, headers=bob)
        assert fix.status_code in (409, 429)  # no script (409) or over the limit (429): never accepted
        assert api.post("/api/films", json=theme(6), headers=bob).status_code == 201
        assert api.post("/api/films", json=theme(7), headers=bob).status_code == 429


def test_a_bad_form_costs_nothing(tmp_path):
    with client_for(tmp_path, max_active_films=0, rate_limit=1) as api:
        for _ in range(5):
            assert api.post("/api/films", json={**FORM, "theme": ""}).status_code == 422
        assert api.post("/api/films", json=FORM).status_code == 201


def test_my_films_and_the_gallery_come_a_page_at_a_time(tmp_path):
    with client_for(tmp_path, page_size=2, **UNLIMITED) as api:
        ids = [api.post("/api/films", json=theme(n)).json()["id"] for n in range(5)]
        store = api.app.state.stores.requests
        for film in ids:
            store.set_status(film, "done")
            api.post(f"/api/films/{film}/share")
        for path in ("/api/films", "/api/gallery"):
            seen, cursor = [], None
            while True:
                page = api.get(path, params={"cursor": cursor} if cursor else None).json()
                assert len(page["films"]) <= 2
                seen += [film["id"] for film in page["films"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert seen == ids[::-1], path


@pytest.mark.parametrize("cursor", ["nonsense", "x" * 301, "MjAyNi0xMi0wMXxh", "%ED%A0%80", "%FF%00"])
def test_a_cursor_the_api_did_not_give_is_refused_in_words(tmp_path, cursor):
    with client_for(tmp_path) as api:
        for path in ("/api/films", "/api/gallery"):
            response = api.get(f"{path}?cursor={cursor}")  # as sent: a lone surrogate, bytes that are not UTF-8
            assert response.status_code == 422, (path, response.text)
            [problem] = response.json()["detail"]
            assert problem["field"] == "cursor"
