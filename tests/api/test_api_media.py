"""Finished films from the local media store, with byte ranges; a remote store redirects."""

from api_support import VIDEO, api, finished_film  # noqa: F401 (a fixture)
from fastapi.testclient import TestClient

from dreamreel_api.deps import Stores
from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings
from dreamreel_assets.stores.sqlite import SqliteRequestStore

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def test_video_byte_ranges(api, tmp_path):
    film_id = finished_film(api, tmp_path)
    path = f"/api/films/{film_id}/video"
    whole = api.get(path)
    assert whole.status_code == 200 and whole.content == VIDEO
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "video/mp4"

    part = api.get(path, headers={"Range": "bytes=100-1123"})
    assert part.status_code == 206 and part.content == VIDEO[100:1124]
    assert part.headers["content-range"] == f"bytes 100-1123/{len(VIDEO)}"
    assert part.headers["content-length"] == "1024"

    tail = api.get(path, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == VIDEO[-10:]
    rest = api.get(path, headers={"Range": f"bytes={len(VIDEO) - 5}-"})
    assert rest.status_code == 206 and rest.content == VIDEO[-5:]

    beyond = api.get(path, headers={"Range": f"bytes={len(VIDEO) + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(VIDEO)}"
    assert api.get(path, headers={"Range": "bytes=oops"}).status_code in (200, 400, 416)


def test_poster_and_subtitles(api, tmp_path):
    film_id = finished_film(api, tmp_path)
    poster = api.get(f"/api/films/{film_id}/poster")
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    assert api.get(f"/api/films/{film_id}/subtitles").text == "WEBVTT\n"


def test_subtitles_as_subrip(api, tmp_path):
    film_id = finished_film(api, tmp_path)
    srt = api.get(f"/api/films/{film_id}/srt")
    assert srt.status_code == 200 and srt.headers["content-type"].startswith("application/x-subrip")
    assert srt.text.startswith("1\n00:00:00,500 --> 00:00:02,000\n")
    link = api.get(f"/api/films/{film_id}").json()["urls"]["srt"]
    assert link.startswith(f"/api/films/{film_id}/srt?exp=")


def test_media_of_an_unfinished_or_missing_film_is_404(api, tmp_path):
    film_id = api.post("/api/films", json=FORM).json()["id"]
    assert api.get(f"/api/films/{film_id}/video").status_code == 404  # not made yet
    api.app.state.stores.requests.set_status(film_id, "done", result={"video": "v"})
    response = api.get(f"/api/films/{film_id}/video")  # the store lost the file
    assert response.status_code == 404 and response.headers["content-type"] == "application/json"


class RemoteMedia:
    """A media store that is not on this machine (Firebase Storage): the API redirects to it."""

    def url(self, ref):
        return f"https://storage.example/{ref.key}?signed=1"


def test_remote_media_is_a_redirect(tmp_path):
    stores = Stores(SqliteRequestStore(tmp_path / "requests.sqlite"), RemoteMedia())
    with TestClient(create_app(Settings(data_dir=tmp_path), stores=stores), base_url="http://127.0.0.1") as client:
        film_id = client.post("/api/films", json=FORM).json()["id"]
        stores.requests.set_status(film_id, "done", result={"video": "v"})
        response = client.get(f"/api/films/{film_id}/video", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == f"https://storage.example/films/{film_id}/film.mp4?signed=1"
