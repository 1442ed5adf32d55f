import pytest
from api_support import api  # noqa: F401 (a fixture)

from dreamreel_api.schemas import FORM_FIELDS
from dreamreel_assets.models import FilmRequest

FORM = {"genre": "mystery", "theme": "  A lighthouse keeper finds a map  ", "style": "noir",
        "minutes": 6, "aspect": "9:16"}


def test_a_film_is_created_queued_and_listed(api):
    response = api.post("/api/films", json=FORM)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "queued" and response.headers["location"] == f"/api/films/{created['id']}"
    record = api.app.state.stores.requests.get(created["id"])
    assert record.user_id == "local"
    assert record.fields == {**FORM, "theme": "A lighthouse keeper finds a map", "language": "en", "subtitles": "soft"}
    assert record.request == FilmRequest.model_validate(record.fields)

    film = api.get(f"/api/films/{created['id']}").json()
    assert film["status"] == "queued" and film["mine"] is True and film["shared"] is False
    assert film["theme"] == "A lighthouse keeper finds a map" and film["minutes"] == 6
    assert [s["stage"] for s in film["progress"]][:3] == ["script", "character_sheets", "keyframes"]
    assert film["scenes"] == [] and film["fixes"] == [] and film["title"] is None
    assert film["urls"] == {"video": None, "poster": None, "subtitles": None, "srt": None, "timeline": None}
    assert film["error"] is None

    second = api.post("/api/films", json={**FORM, "genre": "comedy"}).json()
    assert [f["id"] for f in api.get("/api/films").json()["films"]] == [second["id"], created["id"]]


def test_progress_and_errors_are_shown(api):
    film_id = api.post("/api/films", json=FORM).json()["id"]
    store = api.app.state.stores.requests
    store.report_progress(film_id, "keyframes", 7, 24, "s2-sh1")
    store.set_status(film_id, "failed", error="keyframes: out of memory")
    film = api.get(f"/api/films/{film_id}").json()
    keyframes = next(s for s in film["progress"] if s["stage"] == "keyframes")
    assert keyframes == {"stage": "keyframes", "done": 7, "total": 24, "note": "s2-sh1"}
    assert film["status"] == "failed" and film["error"] == "keyframes: out of memory"


def test_every_valid_sample_is_accepted(api, sample_requests):
    for form in sample_requests["valid"]:
        response = api.post("/api/films", json=form)
        assert response.status_code == 201, (form, response.text)


def _field_named_in(why: str) -> str:
    return next(word for word in why.split() if word in FORM_FIELDS)


def test_every_invalid_sample_is_refused_naming_its_field(api, sample_requests):
    for sample in sample_requests["invalid"]:
        response = api.post("/api/films", json=sample["request"])
        assert response.status_code == 422, sample["why"]
        detail = response.json()["detail"]
        assert isinstance(detail, list) and detail, sample["why"]
        assert all(set(error) == {"field", "message"} for error in detail)
        assert _field_named_in(sample["why"]) in [error["field"] for error in detail], (sample["why"], detail)
    assert api.get("/api/films").json()["films"] == []  # nothing was queued


@pytest.mark.parametrize("theme", ["", " \t ", "x" * 501, "bell\x07", "tab\tin", "line\nbreak"])
def test_bad_themes_are_refused(api, theme):
    response = api.post("/api/films", json={**FORM, "theme": theme})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "theme"
    assert "Traceback" not in response.text


def test_only_the_forms_fields_are_accepted(api):
    response = api.post("/api/films", json={**FORM, "seed": 3, "user_id": "someone-else"})
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["detail"]) == ["seed", "user_id"]


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"\"a string\"", "application/json"),
    (b"", "application/json"),
])
def test_bodies_that_are_not_a_form_are_refused_as_json(api, body, content_type):
    response = api.post("/api/films", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_a_form_post_is_refused_as_not_json(api):
    response = api.post("/api/films", content=b"genre=mystery",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415 and response.json() == {"detail": "Send JSON (Content-Type: application/json)"}


def test_a_body_over_the_limit_is_refused_with_413(api):
    big = {**FORM, "theme": "x" * 20_000}
    response = api.post("/api/films", json=big)
    assert response.status_code == 413
    assert "KiB" in response.json()["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 1024

    response = api.post("/api/films", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert api.get("/api/films").json()["films"] == []


BOGUS_IDS = ["..", "...", "%2e%2e", "a%2Fb", "x" * 300, "__name__", "%C3%BCml%C3%A4ut", "a%20b",
             "%27%3B%20drop%20table%20requests", "%00", "-dash", "a.b", "no-such-film"]


@pytest.mark.parametrize("film_id", BOGUS_IDS)
def test_bogus_ids_are_never_a_server_error(api, film_id):
    for method, path in [("GET", ""), ("GET", "/video"), ("GET", "/poster"), ("GET", "/subtitles"), ("GET", "/srt"),
                         ("POST", "/share"), ("DELETE", "/share")]:
        response = api.request(method, f"/api/films/{film_id}{path}")
        assert response.status_code in (404, 405, 422), (method, film_id, path, response.text)
        assert response.headers["content-type"] == "application/json"


def test_unexpected_errors_are_a_plain_500(tmp_path):
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app
    from dreamreel_api.settings import Settings

    app = create_app(Settings(data_dir=tmp_path))

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals at /srv/dreamreel/key.json")

    with TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1") as client:
        response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json()["detail"]


def test_unknown_routes_are_json_404(api):
    response = api.get("/api/nothing-here")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_a_preview_length_set_on_the_server_applies_to_every_film(tmp_path):
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app
    from dreamreel_api.settings import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path, preview_seconds=20)), base_url="http://127.0.0.1") as client:
        film_id = client.post("/api/films", json=FORM).json()["id"]
        record = client.app.state.stores.requests.get(film_id)
    assert record.request.target_seconds == 20 and record.fields["minutes"] == 6
    assert Settings.from_env({"DREAMREEL_API_PREVIEW_SECONDS": "30"}).preview_seconds == 30
    with pytest.raises(ValueError):
        Settings.from_env({"DREAMREEL_API_PREVIEW_SECONDS": "5"})
