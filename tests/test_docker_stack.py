"""The containers, end to end: build the code, dagster and api images, run docker/compose.yaml
(on the host's network, docker/compose.hostnet.yaml) and make one 20-second film through the API;
the daemon's run launcher must make it in a run container of its own, from the code image.

No registry is reachable here, so the base images are made locally: Debian from debootstrap, then
Python, Node and PostgreSQL from Debian's packages and this machine's Node. Runs on its own dockerd
(installed with apt when missing), stopped by its PID at the end; `make test-docker` runs it.
Images and build cache stay in .cache/docker/ for the next run. Part of `make test`.
"""

from __future__ import annotations

import json
import subprocess
import time
import tomllib
from functools import partial

import httpx
import psycopg2
import pytest
import yaml

from docker_stack.stack import (
    COMPOSE_FILES,
    REPO,
    Compose,
    Dockerd,
    build_debian_base,
    ensure_packages,
    in_parallel,
    local_bases,
    make_image,
    redact,
    timed,
)

pytestmark = [pytest.mark.docker, pytest.mark.timeout(2400)]

PREVIEW_SECONDS = 20
FILM_TIMEOUT_S = 600


def test_compose_stack_makes_a_film_in_a_run_container(tmp_path, capsys):
    with capsys.disabled():  # the times and progress, as they come
        _run(tmp_path)


def _run(tmp_path) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    timings: dict[str, float] = {}
    started = time.monotonic()
    with timed(timings, "install docker.io, debootstrap, docker-compose (when missing)"):
        ensure_packages()
    if subprocess.run(["sh", "-c", "command -v ffprobe"], capture_output=True).returncode:
        pytest.fail("ffprobe is missing: run `make ffprobe`")

    dockerd = Dockerd()
    compose: Compose | None = None
    try:
        with timed(timings, "dockerd up"):
            dockerd.start()
        print(f"[docker test] storage driver: {dockerd.storage_driver}", flush=True)
        with timed(timings, "debian base (debootstrap + import)"):
            build_debian_base(dockerd, tmp_path)
        with timed(timings, "local bases, in parallel"):
            in_parallel(timings, local_bases(dockerd, tmp_path))
        with timed(timings, "images, in parallel"):
            in_parallel(timings, {f"image {target}": partial(make_image, dockerd, target, tmp_path)
                                  for target in ("docker-code", "docker-dagster", "docker-api")})

        compose = Compose(dockerd, version)
        _launcher_gets_its_env(compose)
        with timed(timings, "stack up (compose up, API and webserver answering)"):
            compose("up", "-d", "--no-build")
            api = _wait_for_stack(compose)
        with timed(timings, f"{PREVIEW_SECONDS}-second film through the API"):
            film_id = _make_film(api)
        _check_film(compose, dockerd, api, film_id, version, tmp_path)
    except BaseException:
        if compose is not None:
            print(redact(compose("logs", "--no-color", "--tail", "60", check=False).stdout))
            runs = dockerd.docker("ps", "-aq", "--filter", "label=dagster/run_id", check=False).stdout.split()
            for container in runs:
                print(redact(dockerd.docker("logs", "--tail", "60", container, check=False).stdout))
        raise
    finally:
        with timed(timings, "teardown (compose down -v, dockerd stopped)"):
            if compose is not None:
                compose.down()
            dockerd.stop()
        timings["total"] = time.monotonic() - started
        print("[docker test] times: " + json.dumps({k: round(v) for k, v in timings.items()}, indent=1))


def _launcher_gets_its_env(compose: Compose) -> None:
    """The run launcher raises on an unset `env_vars` name: the daemon must have every one."""
    instance = yaml.safe_load((REPO / "docker" / "dagster.yaml").read_text())
    wanted = instance["run_launcher"]["config"]["env_vars"]
    config = yaml.safe_load(compose("config").stdout)
    daemon_env = config["services"]["daemon"]["environment"]
    assert not [name for name in wanted if "=" not in name and name not in daemon_env], (
        f"{COMPOSE_FILES[0].name}: the daemon lacks run launcher env_vars")


def _wait_for_stack(compose: Compose, timeout: float = 300) -> httpx.Client:
    api = httpx.Client(base_url=f"http://127.0.0.1:{compose.ports['api']}", timeout=10)
    webserver = f"http://127.0.0.1:{compose.ports['webserver']}/server_info"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if api.get("/api/health").status_code == 200 and httpx.get(webserver, timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"stack not up in {timeout:.0f} s:\n{compose('ps', check=False).stdout}")
        time.sleep(2)
    page = api.get("/")
    assert page.status_code == 200 and '<div id="root">' in page.text, "the API serves the built web client"
    return api


def _make_film(api: httpx.Client) -> str:
    form = {"genre": "fantasy", "theme": "A lighthouse keeper teaches a seagull to read",
            "style": "storybook", "minutes": 5, "aspect": "16:9"}
    created = api.post("/api/films", json=form)
    assert created.status_code == 201, created.text
    film_id = created.json()["id"]
    deadline = time.monotonic() + FILM_TIMEOUT_S
    status = None
    while time.monotonic() < deadline:
        detail = api.get(f"/api/films/{film_id}").json()
        if detail["status"] != status:
            status = detail["status"]
            print(f"[docker test] film {film_id}: {status}", flush=True)
        if status in ("done", "failed"):
            assert status == "done", f"the film failed: {detail.get('error')}"
            return film_id
        time.sleep(2)
    raise AssertionError(f"film {film_id} not done in {FILM_TIMEOUT_S} s (status {status})")


def _check_film(compose: Compose, dockerd: Dockerd, api: httpx.Client, film_id: str, version: str, tmp_path) -> None:
    # The run, its container and its events, in the stack's Postgres.
    with psycopg2.connect(**compose.postgres_dsn()) as db, db.cursor() as cursor:
        cursor.execute("SELECT run_id, status, extract(epoch FROM create_timestamp), start_time, end_time FROM runs "
                       "WHERE run_id IN (SELECT run_id FROM run_tags WHERE key = 'dreamreel/request' AND value = %s)",
                       (film_id,))
        runs = cursor.fetchall()
        assert len(runs) == 1 and runs[0][1] == "SUCCESS", runs
        run_id, _, created, run_started, run_ended = runs[0]
        print(f"[docker test] run {run_id}: started {run_started - float(created):.0f} s after it was created "
              f"(queue, container start), ran {run_ended - run_started:.0f} s", flush=True)
        cursor.execute("SELECT value FROM run_tags WHERE run_id = %s AND key = 'docker/container_id'", (run_id,))
        tagged = [value for (value,) in cursor.fetchall()]
        cursor.execute("SELECT dagster_event_type, count(*) FROM event_logs WHERE run_id = %s "
                       "GROUP BY dagster_event_type", (run_id,))
        events = dict(cursor.fetchall())
    # Dagster stores RUN_SUCCESS under its old name.
    assert events.get("PIPELINE_SUCCESS") == 1 and events.get("STEP_SUCCESS", 0) >= 7, events
    assert events.get("ASSET_MATERIALIZATION", 0) >= 7, events

    containers = dockerd.docker("ps", "-a", "--no-trunc", "--filter", f"label=dagster/run_id={run_id}",
                                "--format", "{{.ID}} {{.Image}}").stdout.split("\n")
    containers = [line.split() for line in containers if line.strip()]
    assert len(containers) == 1, containers
    container_id, image = containers[0]
    assert image == f"dreamreel/code:{version}" and tagged == [container_id], (image, tagged, container_id)
    deadline = time.monotonic() + 60  # the run is over; its process may still be closing down
    while True:
        state = json.loads(dockerd.docker("inspect", "--format", "{{json .State}}", container_id).stdout)
        if state["Status"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert state["Status"] == "exited" and state["ExitCode"] == 0, state

    # The film, as the API serves it from the shared media volume, decodes: ~20 s, picture and sound.
    detail = api.get(f"/api/films/{film_id}").json()
    video = api.get(detail["urls"]["video"])
    assert video.status_code == 200, video.text
    path = tmp_path / "film.mp4"
    path.write_bytes(video.content)
    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", str(path)],
        check=True, capture_output=True, text=True).stdout)
    kinds = {stream["codec_type"] for stream in probe["streams"]}
    assert {"video", "audio"} <= kinds, kinds
    assert abs(float(probe["format"]["duration"]) - PREVIEW_SECONDS) < 1.5, probe["format"]
