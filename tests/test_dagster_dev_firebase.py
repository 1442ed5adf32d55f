"""Acceptance: `dagster dev` with DREAMREEL_STORE=firestore picks up a request another process wrote,
and the film ends `done` in Firestore with a Storage URL that serves the MP4."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dreamreel_assets.resources.stores import RequestStoreResource
from emulators import BUCKET, PROJECT
from test_definitions import free_port

REPO = Path(__file__).resolve().parents[1]


def test_dagster_dev_makes_a_film_requested_through_firestore(firestore_emulator, storage_emulator, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    env = {**os.environ, "DAGSTER_HOME": str(home), "DREAMREEL_STORE": "firestore",
           "DREAMREEL_FIREBASE_PROJECT": PROJECT, "DREAMREEL_FIREBASE_BUCKET": BUCKET,
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster"), "dev", "-w", str(REPO / "workspace.yaml"),
         "-h", "127.0.0.1", "-p", str(free_port())],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        # The deployment reads the default collection, which no other test uses.
        store = RequestStoreResource(backend="firestore", firebase_project=PROJECT).store()
        record = store.submit({"genre": "comedy", "theme": "Two rival food-truck owners share an elevator",
                               "style": "comic", "minutes": 5, "preview_seconds": 20}, user_id="ada")
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and store.get(record.id).status in ("queued", "running"):
            time.sleep(2)
        done = store.get(record.id)
        assert done.status == "done", (done.status, done.error)
        with urllib.request.urlopen(done.result["video"], timeout=30) as response:
            assert b"ftyp" in response.read(64)
        assert done.progress["final_cut"].done == done.progress["final_cut"].total
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
