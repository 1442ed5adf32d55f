import pytest
from pydantic import ValidationError

from dreamreel_api.settings import Settings


def test_local_auth_is_for_loopback_only():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert Settings(host=host).auth == "local"
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.com"):
        with pytest.raises(ValidationError, match="loopback"):
            Settings(host=host)
    assert Settings(host="0.0.0.0", auth="firebase", firebase_project="demo-x").host == "0.0.0.0"


def test_settings_come_from_the_environment(tmp_path):
    env = {"DREAMREEL_STORE": "firestore", "DREAMREEL_FIREBASE_PROJECT": "demo-x",
           "DREAMREEL_DATA_DIR": str(tmp_path), "DREAMREEL_API_AUTH": "firebase",
           "DREAMREEL_API_PORT": "8100", "DREAMREEL_API_MAX_BODY": "32768"}
    settings = Settings.from_env(env)
    assert settings.store == "firestore" and settings.auth == "firebase" and settings.port == 8100
    assert settings.data_dir == tmp_path and settings.max_body_bytes == 32768
    assert settings.bucket == "demo-x.appspot.com"
    assert Settings.from_env({}).store == "sqlite" and Settings.from_env({}).data_dir.name == "out"
    with pytest.raises(ValidationError, match="project"):
        Settings.from_env({"DREAMREEL_STORE": "firestore"})
    assert "media_secret" not in repr(Settings())


def test_cors_origins_are_exact_origins_and_never_a_wildcard():
    settings = Settings.from_env({"DREAMREEL_API_CORS_ORIGINS": "https://dreamreel-demo.web.app, http://127.0.0.1:5173/"})
    assert settings.cors_origins == ("https://dreamreel-demo.web.app", "http://127.0.0.1:5173")
    assert Settings.from_env({}).cors_origins == ()
    with pytest.raises(ValidationError, match="'\\*' would let any web page use the API"):
        Settings.from_env({"DREAMREEL_API_CORS_ORIGINS": "*"})
    for bad in ("dreamreel-demo.web.app", "https://x.web.app/app", "ftp://x.web.app", "https://u:p@x.web.app"):
        with pytest.raises(ValidationError, match="is not an origin like https://yours.web.app"):
            Settings(cors_origins=bad)


def test_the_api_answers_cors_for_the_configured_origins_only(tmp_path):
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app

    app = create_app(Settings(data_dir=tmp_path, cors_origins="https://dreamreel-demo.web.app"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        preflight = {"Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "authorization,content-type,ngrok-skip-browser-warning"}
        allowed = client.options("/api/films", headers={"Origin": "https://dreamreel-demo.web.app", **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://dreamreel-demo.web.app"
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in allowed.headers

        other = client.options("/api/films", headers={"Origin": "https://evil.example", **preflight})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        read = client.get("/api/options", headers={"Origin": "https://evil.example"})
        assert read.status_code == 200 and "access-control-allow-origin" not in read.headers

        refused = client.post("/api/films", json={}, headers={"Origin": "https://dreamreel-demo.web.app"})
        assert refused.status_code == 422  # a refusal the page can read: it carries the CORS header
        assert refused.headers["access-control-allow-origin"] == "https://dreamreel-demo.web.app"

    with TestClient(create_app(Settings(data_dir=tmp_path / "b")), base_url="http://127.0.0.1") as client:
        none = client.options("/api/films", headers={"Origin": "https://dreamreel-demo.web.app", **preflight})
        assert "access-control-allow-origin" not in none.headers, "no origin is allowed by default"
