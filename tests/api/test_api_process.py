"""The API as its own process: light (no Dagster), loopback by default, refuses to expose local auth."""

import os
import subprocess
import sys
import time
import urllib.request

from emulators import free_port

from dreamreel_api.deps import Stores
from dreamreel_assets.stores.media import LocalMediaStore


def test_the_api_never_imports_dagster():
    code = ("import sys, dreamreel_api.main, dreamreel_api.__main__; "
            "sys.exit('dagster' in sys.modules or 'dreamreel_assets.definitions' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DREAMREEL_")}
    return {**env, "DREAMREEL_DATA_DIR": str(tmp_path), **extra}


def test_serve_listens_on_loopback(tmp_path):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dreamreel_api"],
                              env=_env(tmp_path, DREAMREEL_API_PORT=str(port)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_local_auth_refuses_a_public_host(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dreamreel_api"], capture_output=True, text=True,
                            env=_env(tmp_path, DREAMREEL_API_HOST="0.0.0.0"), timeout=30)
    assert result.returncode != 0 and "loopback" in result.stderr


def test_the_api_over_firestore(firestore_request_store, tmp_path):
    """The same routes over the Firestore store (emulator): create, list newest first, share, gallery."""
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app
    from dreamreel_api.settings import Settings

    stores = Stores(firestore_request_store, LocalMediaStore(tmp_path))
    form = {"genre": "drama", "theme": "A violinist hears her concerto", "style": "anime", "minutes": 7}
    with TestClient(create_app(Settings(data_dir=tmp_path), stores=stores), base_url="http://127.0.0.1") as client:
        first, second = (client.post("/api/films", json=form).json()["id"] for _ in range(2))
        assert [f["id"] for f in client.get("/api/films").json()["films"]] == [second, first]
        assert client.get(f"/api/films/{first}").json()["status"] == "queued"
        client.post(f"/api/films/{first}/share")
        firestore_request_store.set_status(first, "done", result={"video": "v"})
        assert [f["id"] for f in client.get("/api/gallery").json()["films"]] == [first]
        assert client.get("/api/films/..").status_code == 404
        assert client.get("/api/films/__x__").status_code == 404



def test_several_workers_sign_media_urls_alike(tmp_path, monkeypatch):
    """With DREAMREEL_API_WORKERS=2 each worker builds its app from the environment: they must all
    sign media URLs with one key, or a URL made by one would fail on the other."""
    import uvicorn

    import dreamreel_api.main as api_main
    from dreamreel_api.deps import signed_media_path, signature_is_valid
    from dreamreel_api.settings import Settings

    for name in [k for k in os.environ if k.startswith("DREAMREEL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DREAMREEL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DREAMREEL_API_WORKERS", "2")
    launched = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: launched.update(app=app, **options))
    parent = Settings.from_env()
    try:
        api_main.serve(parent)  # hands the key to the workers through the environment
        workers = [api_main.create_app().state.settings for _ in range(2)]
    finally:
        os.environ.pop("DREAMREEL_API_SECRET", None)
    assert launched["app"] == "dreamreel_api.main:create_app" and launched["factory"] and launched["workers"] == 2
    url = signed_media_path(workers[0], "film1", "video")
    exp, sig = (part.split("=")[1] for part in url.split("?")[1].split("&"))
    assert all(signature_is_valid(worker, "film1", "video", exp, sig) for worker in workers)
    assert signature_is_valid(parent, "film1", "video", exp, sig)


def test_scenes_thumbnails_and_fixes_over_firestore_and_storage(firestore_request_store, firebase_media_store,
                                                                tmp_path):
    """The film page's data from the emulators: the script and thumbnails read from Storage (the
    pictures by a redirect), a fix queued in Firestore."""
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app
    from dreamreel_api.settings import Settings
    from dreamreel_assets.backends.writer.template import TemplateWriter
    from dreamreel_assets.models import FilmRequest

    from dreamreel_assets.stores.firebase_storage import FirebaseMediaStore

    form = {"genre": "drama", "theme": "A violinist hears her concerto", "style": "anime", "minutes": 5}
    pipeline_side = firebase_media_store  # writes, as the assets do; the API reads with its own cache
    api_side = FirebaseMediaStore(pipeline_side.bucket, tmp_path / "api-cache", prefix=pipeline_side.prefix)
    stores = Stores(firestore_request_store, api_side)
    with TestClient(create_app(Settings(data_dir=tmp_path), stores=stores), base_url="http://127.0.0.1") as client:
        film_id = client.post("/api/films", json=form).json()["id"]
        script = TemplateWriter().write(FilmRequest.model_validate(form))
        for key, data in [(f"films/{film_id}/script.json", script.model_dump_json().encode()),
                          (f"films/{film_id}/thumbnails/{script.shots[0].id}.jpg", b"\xff\xd8\xff first")]:
            pipeline_side.writable_path(key).write_bytes(data)
            pipeline_side.commit(key)
        firestore_request_store.report_progress(film_id, "script", 1, 1, script.title)
        firestore_request_store.report_progress(film_id, "keyframes", 1, len(script.shots))
        firestore_request_store.set_status(film_id, "done", result={"video": "v"})

        film = client.get(f"/api/films/{film_id}").json()
        assert film["title"] == script.title and len(film["scenes"]) == len(script.scenes)
        thumbnail = film["scenes"][0]["shots"][0]["thumbnail"]
        redirect = client.get(thumbnail, follow_redirects=False)
        assert redirect.status_code == 307
        with urllib.request.urlopen(redirect.headers["location"], timeout=10) as picture:
            assert picture.read() == b"\xff\xd8\xff first"

        fix = client.post(f"/api/films/{film_id}/fixes", json={"stage": "keyframes", "shot": script.shots[0].id})
        assert fix.status_code == 202, fix.text
        assert firestore_request_store.get(film_id).active_fix.id == fix.json()["id"]
        assert client.get(f"/api/films/{film_id}").json()["status"] == "queued"
