"""The built web client served at / beside the API, with page routes falling back to index.html."""

import pytest
from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings


@pytest.fixture
def site(tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app-1234.js").write_text("console.log('app')")
    (dist / "dreamreel.json").write_text('{"firebase": {"projectId": "p", "apiKey": "k"}}')  # `make hosting` left it
    (tmp_path / "secret.txt").write_text("not served")
    settings = Settings(data_dir=tmp_path / "data", client_dir=dist)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        yield client


def test_files_pages_and_the_api_side_by_side(site):
    assert site.get("/").text.startswith("<!doctype html>")
    script = site.get("/assets/app-1234.js")
    assert script.text == "console.log('app')" and "immutable" in script.headers["cache-control"]
    for page in ("/films/abc123", "/gallery", "/films"):
        page_response = site.get(page)
        assert page_response.status_code == 200 and "id=root" in page_response.text
    assert site.get("/api/options").json()["genres"]
    missing = site.get("/api/no-such-route")
    assert missing.status_code == 404 and missing.json() == {"detail": "No such API route"}
    assert "not served" not in site.get("/../secret.txt").text
    assert "not served" not in site.get("/%2e%2e/secret.txt").text


def test_a_hosting_config_is_not_served_by_the_api_itself(site):
    """The app the API serves calls the API beside it, even when the build holds a dreamreel.json
    meant for Firebase Hosting (the client then uses its own origin)."""
    assert site.get("/dreamreel.json").status_code == 404


def test_a_missing_build_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="make client"):
        create_app(Settings(data_dir=tmp_path, client_dir=tmp_path / "nothing"))
