import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from api_support import PROJECT
from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings, StartupError


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


# --- refusing to start on settings that could only fail later -------------------------------------

def isolated_env(monkeypatch, tmp_path, **variables):
    """No emulators and no application default credentials, whatever this machine has."""
    for name in ("FIREBASE_AUTH_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST", "STORAGE_EMULATOR_HOST",
                 "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.setenv("HOME", str(tmp_path))  # no gcloud application default credentials either
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


def test_firebase_sign_in_without_credentials_refuses_to_start_in_words(tmp_path, monkeypatch):
    isolated_env(monkeypatch, tmp_path)
    settings = Settings(data_dir=tmp_path, auth="firebase", firebase_project="demo-x", host="0.0.0.0")
    with pytest.raises(StartupError, match="Firebase credentials are needed to verify sign-ins: none were found"):
        create_app(settings)
    bad = tmp_path / "key.json"
    bad.write_text("{}")
    with pytest.raises(StartupError, match=f"DREAMREEL_FIREBASE_CREDENTIALS={bad} is not a readable service-account"):
        create_app(settings.model_copy(update={"firebase_credentials": str(bad)}))


def test_the_server_process_says_why_and_exits(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "NO_GCE_CHECK": "True",
           "DREAMREEL_API_AUTH": "firebase", "DREAMREEL_FIREBASE_PROJECT": "demo-x", "DREAMREEL_DATA_DIR": str(tmp_path),
           "DREAMREEL_API_HOST": "127.0.0.1", "DREAMREEL_API_PORT": "1"}
    done = subprocess.run([sys.executable, "-m", "dreamreel_api"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "DreamReel API cannot start: Firebase credentials are needed to verify sign-ins" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("variable, value", [
    ("FIREBASE_AUTH_EMULATOR_HOST", "10.0.0.5:9099"), ("FIRESTORE_EMULATOR_HOST", "firestore:8080"),
    ("STORAGE_EMULATOR_HOST", "http://storage.example:9199"),
])
def test_emulators_off_this_machine_are_refused(tmp_path, monkeypatch, variable, value):
    isolated_env(monkeypatch, tmp_path, **{variable: value})
    with pytest.raises(StartupError, match=f"{variable} points at {value}, not this machine"):
        create_app(Settings(data_dir=tmp_path))


def test_emulators_on_loopback_need_no_credentials(tmp_path, monkeypatch):
    isolated_env(monkeypatch, tmp_path, FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099")
    create_app(Settings(data_dir=tmp_path, auth="firebase", firebase_project=PROJECT))
