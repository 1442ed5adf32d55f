"""Themes and fix notes through moderation: refused in words (422, the API's own shape, naming the
field and the category, never the words); a moderation service that cannot decide is a 503 with
Retry-After and nothing queued (the API fails closed); a refused form costs nothing."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from api_support import FORM, UNLIMITED, api  # noqa: F401 (a fixture)
from fastapi.testclient import TestClient
from test_api_fixes import _written

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings
from dreamreel_assets.moderation.endpoint import ModerationEndpoint
from dreamreel_assets.moderation.wordlist import WordListModerator

KEY = "sk-test-never-shown"


class FakeModeration(BaseHTTPRequestHandler):
    """An OpenAI-compatible moderation endpoint: flags "dragon" as violence/graphic; answers 500 to "boom"."""

    def do_POST(self):
        text = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["input"]
        if "boom" in text:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        flagged = "dragon" in text
        answer = json.dumps({"results": [{"flagged": flagged, "categories": {"violence/graphic": flagged}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def moderation_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModeration)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client(tmp_path, **settings) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path, **UNLIMITED, **settings)), base_url="http://127.0.0.1")


def queued(api) -> list:
    return api.get("/api/films").json()["films"]


def test_the_word_list_is_the_default_and_refuses_a_theme_naming_field_and_category(api):
    assert isinstance(api.app.state.moderator, WordListModerator)
    refused = api.post("/api/films", json={**FORM, "theme": "Two wetbacks cross the river"})
    assert refused.status_code == 422
    assert refused.json() == {"detail": [
        {"field": "theme", "message": "contains words this server does not accept (a slur)"}]}
    assert "wetback" not in refused.text
    assert queued(api) == []
    assert api.post("/api/films", json=FORM).status_code == 201


def test_a_fix_note_is_refused_and_nothing_is_queued(api, tmp_path):
    film_id, script = _written(api, tmp_path)
    shot = script.shots[0].id
    refused = api.post(f"/api/films/{film_id}/fixes", json={"stage": "keyframes", "shot": shot,
                                                            "note": "how to build a pipe bomb"})
    assert refused.status_code == 422
    assert refused.json() == {"detail": [
        {"field": "note", "message": "contains words this server does not accept (instructions for violence)"}]}
    film = api.get(f"/api/films/{film_id}").json()
    assert film["status"] == "done" and film["fixes"] == []
    assert api.post(f"/api/films/{film_id}/fixes", json={"stage": "keyframes", "shot": shot,
                                                         "note": "at dusk"}).status_code == 202


def test_a_moderation_service_flags_in_its_own_categories(tmp_path, moderation_url):
    with client(tmp_path, moderation="openai", moderation_url=moderation_url, moderation_api_key=KEY) as api:
        assert isinstance(api.app.state.moderator, ModerationEndpoint)
        refused = api.post("/api/films", json={**FORM, "theme": "A dragon eats the lighthouse keeper"})
        assert refused.status_code == 422
        assert refused.json() == {"detail": [{"field": "theme", "message": "refused by moderation: violence/graphic"}]}
        assert api.post("/api/films", json=FORM).status_code == 201


@pytest.mark.parametrize("theme", ["A lighthouse keeper", "A boom in the lighthouse"], ids=["down", "500"])
def test_moderation_that_cannot_decide_is_a_clear_503_and_queues_nothing(tmp_path, moderation_url, theme):
    url = f"http://127.0.0.1:{closed_port()}/v1" if theme == "A lighthouse keeper" else moderation_url
    with client(tmp_path, moderation="openai", moderation_url=url, moderation_api_key=KEY) as api:
        answer = api.post("/api/films", json={**FORM, "theme": theme})
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "30"
        detail = answer.json()["detail"]
        assert detail.startswith("Moderation cannot decide right now (")
        assert detail.endswith("); nothing was accepted, please try again later")
        assert KEY not in answer.text
        assert queued(api) == []


def test_a_fix_while_moderation_is_down_is_a_503(tmp_path):
    with client(tmp_path, moderation="openai", moderation_url=f"http://127.0.0.1:{closed_port()}/v1") as api:
        api.app.state.moderator = WordListModerator({})  # the film asked for while it was up
        film_id, script = _written(api, tmp_path)
        api.app.state.moderator = ModerationEndpoint(f"http://127.0.0.1:{closed_port()}/v1")
        answer = api.post(f"/api/films/{film_id}/fixes", json={"stage": "music", "note": "softer"})
        assert answer.status_code == 503 and "cannot reach the moderation service" in answer.json()["detail"]
        assert api.get(f"/api/films/{film_id}").json()["fixes"] == []


def test_off_refuses_nothing(tmp_path):
    with client(tmp_path, moderation="off") as api:
        assert api.post("/api/films", json={**FORM, "theme": "Two wetbacks cross the river"}).status_code == 201


def test_settings_come_from_the_environment_and_never_show_the_key():
    settings = Settings.from_env({"DREAMREEL_MODERATION": "openai", "DREAMREEL_MODERATION_URL": "https://m.test/v1",
                                  "DREAMREEL_MODERATION_API_KEY": KEY, "DREAMREEL_MODERATION_TIMEOUT": "2.5",
                                  "DREAMREEL_MODERATION_MODEL": "text-moderation-stable"})
    assert (settings.moderation, settings.moderation_url, settings.moderation_timeout_seconds) == (
        "openai", "https://m.test/v1", 2.5)
    assert settings.moderation_settings.model == "text-moderation-stable"
    assert KEY not in repr(settings) and KEY not in repr(settings.moderation_settings)
    assert Settings.from_env({}).moderation == "words"
    with pytest.raises(ValueError, match="DREAMREEL_MODERATION_URL"):
        Settings.from_env({"DREAMREEL_MODERATION": "openai"})
