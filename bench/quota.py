"""What DreamReel costs in Firebase operations, counted at the emulators (tests/emulators/: the
Firestore emulator and the Storage emulator count what Firebase would bill).

1. Idle: `dagster dev` on Firestore with nobody asking for films, for --idle-minutes; reads a day
   extrapolated. Target: at most 3,000 Firestore reads a day.
2. One film (5 minutes unless --preview-seconds): asked for through the API on the same machine,
   followed by one page polling it as the web app does (every 1.5 s) until it is done. Targets: at
   most 100 Firestore writes and 300 reads.

Prints a table against the free daily quotas. Needs node (the Firestore emulator) and the dev
install. Run: `.venv/bin/python bench/quota.py [--idle-minutes 10] [--preview-seconds N]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/queue.py would shadow
# the standard library's `queue`: take the folder off before importing anything that uses it.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager

from dreamreel_assets.serve import stop

REPO = Path(__file__).resolve().parents[1]
EMULATORS = REPO / "tests" / "emulators"
PROJECT = "demo-dreamreel"
BUCKET = f"{PROJECT}.appspot.com"
POLL_S = 1.5
FREE_PER_DAY = {"Firestore reads": 50_000, "Firestore writes": 20_000, "Firestore deletes": 20_000,
                "Storage uploads (class A)": 20_000, "Storage downloads (class B)": 50_000}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer: it is up
                return
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer within {timeout_s:.0f} s")
            time.sleep(0.3)


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path):
    with log.open("wb") as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=log.parent,
                                 start_new_session=True)
    try:
        yield child
    finally:
        stop([child])


class Counts:
    def __init__(self, firestore_port: int, storage_port: int):
        self.urls = {"firestore": (f"http://127.0.0.1:{firestore_port}/counts", f"http://127.0.0.1:{firestore_port}/reset"),
                     "storage": (f"http://127.0.0.1:{storage_port}/_counts", f"http://127.0.0.1:{storage_port}/_counts/reset")}

    def reset(self) -> None:
        for _, reset in self.urls.values():
            urllib.request.urlopen(urllib.request.Request(reset, method="POST"), timeout=5).close()

    def read(self) -> dict[str, int]:
        found = {}
        for name, (url, _) in self.urls.items():
            with urllib.request.urlopen(url, timeout=5) as response:
                found[name] = json.load(response)
        return {"Firestore reads": found["firestore"]["reads"], "Firestore writes": found["firestore"]["writes"],
                "Firestore deletes": found["firestore"]["deletes"],
                "Storage uploads (class A)": found["storage"]["uploads"],
                "Storage downloads (class B)": found["storage"]["downloads"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle-minutes", type=float, default=10, help="0: measure the film only")
    parser.add_argument("--preview-seconds", type=int, help="a preview this long instead of a 5-minute film")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the film")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or not (EMULATORS / "node_modules" / "@firestore-emulator").is_dir():
        raise SystemExit("needs node and the emulators: `make tests/emulators/node_modules/.installed`")

    work = Path(tempfile.mkdtemp(prefix="dreamreel-quota-"))
    firestore_port, counts_port, storage_port = free_port(), free_port(), free_port()
    env = {**os.environ, "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{firestore_port}",
           "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{storage_port}"}
    os.environ.update({k: env[k] for k in ("FIRESTORE_EMULATOR_HOST", "STORAGE_EMULATOR_HOST")})
    home, data = work / "home", work / "data"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    dagster_env = {**env, "DAGSTER_HOME": str(home), "DREAMREEL_STORE": "firestore", "DREAMREEL_DATA_DIR": str(data),
                   "DREAMREEL_FIREBASE_PROJECT": PROJECT, "DREAMREEL_FIREBASE_BUCKET": BUCKET,
                   "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    counts = Counts(counts_port, storage_port)
    with ExitStack() as running:
        running.enter_context(process([node, str(EMULATORS / "firestore.mjs"), str(firestore_port), str(counts_port)],
                                      env, work / "firestore.log"))
        running.enter_context(process([sys.executable, str(EMULATORS / "storage.py"), str(storage_port), BUCKET],
                                      env, work / "storage.log"))
        wait_for(f"http://127.0.0.1:{counts_port}/counts")
        wait_for(f"http://127.0.0.1:{storage_port}/_counts")
        dagster_port = free_port()
        running.enter_context(process([str(Path(sys.executable).parent / "dagster"), "dev", "-w",
                                       str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(dagster_port)],
                                      dagster_env, work / "dagster.log"))
        wait_for(f"http://127.0.0.1:{dagster_port}/server_info", timeout_s=180)
        time.sleep(30)  # the daemon's sensors ticking

        per_day = {kind: float("nan") for kind in FREE_PER_DAY}
        if args.idle_minutes > 0:
            counts.reset()
            print(f"idle for {args.idle_minutes:g} min ...", flush=True)
            time.sleep(args.idle_minutes * 60)
            idle = counts.read()
            per_day = {kind: value * 24 * 60 / args.idle_minutes for kind, value in idle.items()}

        film, film_s, made_in = make_one_film(counts, data, args)

    print(f"\nFirebase operations, counted at the emulators (data in {work})")
    idle_words = (f"an idle day extrapolated from {args.idle_minutes:g} min" if args.idle_minutes > 0
                  else "idle not measured")
    print(f"one {film_s:.0f} s film, made in {made_in / 60:.1f} min and followed by one page polling every "
          f"{POLL_S} s; {idle_words}\n")
    print(f"{'operation':<30}{'per film':>10}{'idle day':>10}{'free/day':>10}")
    for kind, free in FREE_PER_DAY.items():
        print(f"{kind:<30}{film[kind]:>10}{per_day[kind]:>10.0f}{free:>10,}")
    targets = {"Firestore writes per film <= 100": film["Firestore writes"] <= 100,
               "Firestore reads per film <= 300": film["Firestore reads"] <= 300,
               "Firestore reads per idle day <= 3,000": per_day["Firestore reads"] <= 3000
               or args.idle_minutes <= 0}
    print()
    for target, met in targets.items():
        print(f"{'met ' if met else 'MISSED'} {target}")
    raise SystemExit(0 if all(targets.values()) else 1)


def make_one_film(counts: Counts, data: Path, args) -> tuple[dict[str, int], float, float]:
    from fastapi.testclient import TestClient

    from dreamreel_api.main import create_app
    from dreamreel_api.settings import Settings

    settings = Settings(store="firestore", firebase_project=PROJECT, firebase_bucket=BUCKET, data_dir=data,
                        preview_seconds=args.preview_seconds)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as api:
        counts.reset()
        started = time.monotonic()
        asked = api.post("/api/films", json={"genre": "fantasy", "style": "storybook", "minutes": 5,
                                             "theme": "A shy dragon opens a bakery in a mountain village"})
        if asked.status_code != 201:
            raise SystemExit(f"the API refused the film: {asked.text}")
        film_id = asked.json()["id"]
        print(f"film {film_id} asked for; following it ...", flush=True)
        while time.monotonic() - started < args.timeout:
            film = api.get(f"/api/films/{film_id}").json()
            if film["status"] not in ("queued", "running"):
                break
            time.sleep(POLL_S)
        made_in = time.monotonic() - started
        cost = counts.read()
    if film["status"] != "done":
        raise SystemExit(f"the film did not finish: {film['status']} {film.get('error')}")
    return cost, float(args.preview_seconds or 300), made_in


if __name__ == "__main__":
    main()
