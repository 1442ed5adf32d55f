"""Acceptance: `dagster dev` with DREAMREEL_STORE=firestore makes a film asked for through the API
(another process), which ends `done` in Firestore with a Storage URL that serves the MP4; and what
that film costs in Firebase operations, counted at the emulators, stays within its budget while a
page follows it the way the web app does (polling every 1.5 s)."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from fastapi.testclient import TestClient

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings
from dreamreel_assets.serve import stop
from emulators import BUCKET, PROJECT
from test_definitions import free_port

REPO = Path(__file__).resolve().parents[1]
POLL_S = 1.5  # the web app's film page (client/src/hooks/useFilm.ts)
# A 20 s preview, asked for and followed to the end (a 5-minute film is measured in bench/quota.py).
# Measured here: 26 reads, 23 writes; 42 uploads, 35 downloads.
BUDGET = {"firestore": {"reads": 60, "writes": 45, "deletes": 0}, "storage": {"uploads": 90, "downloads": 80}}


def test_dagster_dev_makes_a_film_requested_through_firestore(firestore_emulator, storage_emulator,
                                                              firebase_billing, tmp_path):
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    env = {**os.environ, "DAGSTER_HOME": str(home), "DREAMREEL_STORE": "firestore",
           "DREAMREEL_FIREBASE_PROJECT": PROJECT, "DREAMREEL_FIREBASE_BUCKET": BUCKET,
           "DREAMREEL_DATA_DIR": str(data), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster"), "dev", "-w", str(REPO / "workspace.yaml"),
         "-h", "127.0.0.1", "-p", str(free_port())],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    # The API on the same machine (same data directory: it nudges the sensor), over the default
    # collection, which no other test uses.
    settings = Settings(store="firestore", firebase_project=PROJECT, firebase_bucket=BUCKET, data_dir=data,
                        preview_seconds=20)
    try:
        with TestClient(create_app(settings), base_url="http://127.0.0.1") as api:
            time.sleep(20)  # dagster dev up and its sensors ticking over an empty queue
            firebase_billing.reset()
            asked = api.post("/api/films", json={"genre": "comedy", "style": "comic", "minutes": 5,
                                                 "theme": "Two rival food-truck owners share an elevator"})
            assert asked.status_code == 201, asked.text
            film_id = asked.json()["id"]
            deadline = time.monotonic() + 400
            while time.monotonic() < deadline:
                film = api.get(f"/api/films/{film_id}").json()
                if film["status"] not in ("queued", "running"):
                    break
                time.sleep(POLL_S)
            assert film["status"] == "done", film
            video = api.get(f"/api/films/{film_id}/video", follow_redirects=False)
            costs = firebase_billing.counts()
        assert video.status_code == 307
        with urllib.request.urlopen(video.headers["location"], timeout=30) as response:
            assert b"ftyp" in response.read(64)
        final_cut = next(stage for stage in film["progress"] if stage["stage"] == "final_cut")
        assert final_cut["done"] == final_cut["total"]
    finally:
        stop([server])

    print(f"one preview film: {json.dumps(costs)}")
    firestore = costs["firestore"]["collections"]["requests"]
    assert set(costs["firestore"]["collections"]) <= {"requests", "requests_deleted"}
    deletions = costs["firestore"]["collections"].get("requests_deleted", {})
    assert deletions.get("reads", 0) <= 3 and not deletions.get("writes"), deletions  # looked at, paced
    for kind in ("reads", "writes", "deletes"):
        assert firestore[kind] <= BUDGET["firestore"][kind], (kind, firestore)
    for kind in ("uploads", "downloads"):
        assert costs["storage"][kind] <= BUDGET["storage"][kind], (kind, costs["storage"])
    assert firestore["writes"] >= 8, "progress reaches Firestore"
