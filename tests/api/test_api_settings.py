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
