"""Local single-user mode, against web pages in the user's own browser (dreamreel_api/guard.py)."""

import pytest
from api_support import api, as_user, firebase_api  # noqa: F401 (fixtures)
from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "192.168.1.5:8000", "testserver",
                                  "127.0.0.1.evil.example", "localhost.evil.example", ""])
def test_dns_rebinding_reads_nothing(api, host):
    film = api.post("/api/films", json=FORM).json()["id"]
    for path in (f"/api/films/{film}", "/api/films", "/api/options"):
        response = api.get(path, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert "loopback address" in response.json()["detail"] and film not in response.text


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:5173", "[::1]:8000", "127.0.0.2", "localhost"])
def test_loopback_hosts_are_answered(api, host):
    assert api.get("/api/options", headers={"Host": host}).status_code == 200


def test_another_site_cannot_change_a_film(api):
    film = api.post("/api/films", json=FORM).json()["id"]
    api.app.state.stores.requests.set_status(film, "done")
    attacks = [
        ({"Origin": "https://evil.example", "Content-Type": "application/x-www-form-urlencoded"}, None),
        ({"Origin": "https://evil.example"}, None),  # a form post with no body
        ({"Origin": "null"}, None),  # a sandboxed page
        ({"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}, b"{}"),
        ({"Origin": "https://evil.example", "Content-Type": "application/json"}, b"{}"),
    ]
    for headers, body in attacks:
        response = api.post(f"/api/films/{film}/share", headers=headers, content=body)
        assert response.status_code == 403, (headers, response.text)
        assert response.json()["detail"].startswith("Requests from other sites are refused")
    assert api.app.state.stores.requests.get(film).shared is False
    created = api.post("/api/films", json=FORM, headers={"Origin": "http://evil.example:8000"})
    assert created.status_code == 403


def test_this_origin_and_tools_without_one_are_served(api):
    film = api.post("/api/films", json=FORM, headers={"Origin": "http://127.0.0.1"}).json()["id"]
    api.app.state.stores.requests.set_status(film, "done")
    assert api.post(f"/api/films/{film}/share", headers={"Origin": "http://127.0.0.1"}).status_code == 200
    assert api.delete(f"/api/films/{film}/share").status_code == 200  # curl: no Origin, no body
    text = api.post(f"/api/films/{film}/share", content=b"x", headers={"Content-Type": "text/plain"})
    assert text.status_code == 415  # a body must be JSON: no form can send that without a preflight


def test_a_configured_web_app_origin_is_served(tmp_path):
    settings = Settings(data_dir=tmp_path, cors_origins="http://localhost:5173")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as api:
        created = api.post("/api/films", json=FORM, headers={"Origin": "http://localhost:5173"})
        assert created.status_code == 201


def test_no_cors_unless_configured(api):
    response = api.options("/api/films", headers={"Origin": "https://evil.example",
                                                  "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers
    response = api.get("/api/options", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_firebase_mode_answers_any_host(firebase_api, as_user):
    response = firebase_api.get("/api/films", headers={"Host": "dreamreel.example", **as_user("ada")})
    assert response.status_code == 200
