from api_support import api  # noqa: F401 (a fixture)
from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings
from dreamreel_assets.languages import LANGUAGES

from dreamreel_assets.catalog.genres import genres
from dreamreel_assets.catalog.styles import styles
from dreamreel_assets.catalog.voices import voices

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def test_options_list_every_choice_of_the_form(api):
    response = api.get("/api/options")
    assert response.status_code == 200
    options = response.json()
    assert options["genres"] == [{"id": g.name, "label": g.label, "description": g.description, "mood": g.mood}
                                 for g in genres().values()]
    assert options["genres"][0] == {"id": "adventure", "label": "Adventure",
                                    "description": "Quests, journeys and daring escapes", "mood": "heroic"}
    assert [s["id"] for s in options["styles"]] == list(styles())
    assert all(s["image"] == f"/api/styles/{s['id']}.png" for s in options["styles"])
    assert [v["id"] for v in options["voices"]] == list(voices())
    assert options["lengths"] == [5, 6, 7, 8, 9, 10]
    assert options["minutes"] == {"min": 5, "max": 10, "default": 5}
    assert options["aspects"] == ["16:9", "9:16"]
    assert options["theme"]["min"] == 3 and options["theme"]["max"] == 500


def test_the_embedded_writer_offers_english_alone_and_says_why(api):
    options = api.get("/api/options").json()
    assert options["languages"] == [{"id": "en", "label": "English", "name": "English"}]
    assert "writes English only" in options["languages_note"]
    assert [s["id"] for s in options["subtitles"]] == ["soft", "burned"]
    refused = api.post("/api/films", json={**FORM, "language": "de"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"field": "language", "message":
        "German is not offered here: this server's script writer writes English only"}]
    assert api.post("/api/films", json={**FORM, "language": "xx"}).status_code == 422


def test_a_language_model_writer_offers_every_language(tmp_path, monkeypatch):
    monkeypatch.setenv("DREAMREEL_PROFILE", "gpu")
    settings = Settings.from_env(data_dir=tmp_path)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        options = client.get("/api/options").json()
        assert [language["id"] for language in options["languages"]] == list(LANGUAGES)
        assert {"id": "de", "label": "Deutsch", "name": "German"} in options["languages"]
        assert options["languages_note"] is None
        created = client.post("/api/films", json={**FORM, "language": "de", "subtitles": "burned"})
        assert created.status_code == 201
        film = client.get(f"/api/films/{created.json()['id']}").json()
        assert (film["language"], film["subtitles"]) == ("de", "burned")


def test_style_pictures_are_pngs_cached_by_etag(api):
    first = api.get("/api/styles/noir.png")
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.content.startswith(b"\x89PNG\r\n\x1a\n")
    again = api.get("/api/styles/noir.png", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert api.get("/api/styles/watercolor.png").content != first.content
    assert api.get("/api/styles/oil-on-velvet.png").status_code == 404
    assert api.get("/api/styles/..%2F..%2Fetc%2Fpasswd.png").status_code == 404


def test_health(api):
    assert api.get("/api/health").json() == {"status": "ok"}
