"""The production topology as processes: Postgres storage, a gRPC code server, the webserver and the
daemon with the queued run coordinator (one run at a time here), on `docker/dagster.yaml`.

Films asked for through the request store end `done` exactly once, in queue order, with their
events in Postgres; a waiting film is told its place; the daemon killed mid-queue and started
again loses nothing; a run whose worker is killed mid-`clips` is failed, retried from the failed
step, and the retry reuses the clips already made.
"""

import re
import time
import uuid

import pytest
from dagster import AssetKey, AssetRecordsFilter, DagsterInstance, DagsterRunStatus, RunsFilter

from conftest import ffprobe
from dreamreel_assets.sensors import REQUEST_TAG
from dreamreel_assets.stores.sqlite import SqliteRequestStore
from dreamreel_deploy.topology import Postgres, Topology, kill_tree

pytestmark = pytest.mark.deploy

WORKER_PID = re.compile(r"parent process \(pid: (\d+)\)")


@pytest.fixture
def topology(tmp_path):
    postgres = Postgres(name=f"dreamreel_test_{uuid.uuid4().hex[:8]}")
    postgres.create()
    stack = Topology(root=tmp_path, postgres=postgres, max_runs=1)
    stack.prepare()
    stack.start()
    try:
        stack.wait_until_up()
        yield stack
    finally:
        stack.stop()
        postgres.drop()


@pytest.fixture
def instance(topology, monkeypatch):
    for name, value in topology.postgres.environment().items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.from_config(str(topology.dagster_home)) as dagster_instance:
        yield dagster_instance


def runs_of(instance: DagsterInstance, request_id: str):
    return instance.get_run_records(RunsFilter(tags={REQUEST_TAG: request_id}))


def worker_pid(instance: DagsterInstance, run_id: str) -> int | None:
    for entry in instance.all_logs(run_id):
        found = WORKER_PID.search(entry.message or "")
        if found:
            return int(found.group(1))
    return None


def test_films_queue_survive_a_dead_daemon_and_a_dead_worker(topology, instance):
    store = SqliteRequestStore(topology.data_dir / "requests.sqlite")
    first = store.submit({"genre": "mystery", "theme": "A lighthouse keeper finds a map that redraws itself",
                          "style": "noir", "minutes": 5, "preview_seconds": 60, "seed": 4}, user_id="ada")
    second = store.submit({"genre": "comedy", "theme": "Two rival food-truck owners share an elevator",
                           "style": "comic", "minutes": 5, "preview_seconds": 20, "seed": 5}, user_id="bob")
    daemon_restarted, killed_at_clip = False, None
    places_seen = set()
    deadline = time.monotonic() + 540
    while time.monotonic() < deadline:
        a, b = store.get(first.id), store.get(second.id)
        if b.queue is not None:
            places_seen.add(b.queue.position)
        if a.status == b.status == "done" or "failed" in (a.status, b.status):
            break
        progress = a.progress
        if not daemon_restarted and "keyframes" in progress and b.queue and b.queue.position >= 1:
            topology.kill("daemon")  # mid-queue: the second film waits, the first is being drawn
            time.sleep(3)
            topology.start("daemon")
            daemon_restarted = True
        clips = progress.get("clips")  # reported at most every few seconds: count the clips made
        made = topology.clips_made(first.id) if clips else 0
        if killed_at_clip is None and clips and clips.done < clips.total and 2 <= made < clips.total:
            (run,) = [r for r in runs_of(instance, first.id) if r.dagster_run.status == DagsterRunStatus.STARTED]
            pid = worker_pid(instance, run.dagster_run.run_id)
            assert pid, "the run worker's pid is in the run's events"
            killed_at_clip = topology.clips_made(first.id)
            kill_tree(pid)
        time.sleep(0.25)

    a, b = store.get(first.id), store.get(second.id)
    assert (a.status, a.error, b.status, b.error) == ("done", None, "done", None)
    assert daemon_restarted and killed_at_clip is not None
    assert places_seen & {1}, f"the waiting film was told its place: {places_seen}"
    assert a.queue is None and b.queue is None

    # Exactly once: one successful run per film; the first film's killed run was retried once.
    first_runs = runs_of(instance, first.id)
    statuses = sorted(r.dagster_run.status.value for r in first_runs)
    assert statuses == ["FAILURE", "SUCCESS"], statuses
    failed = next(r.dagster_run for r in first_runs if r.dagster_run.status == DagsterRunStatus.FAILURE)
    retry = next(r.dagster_run for r in first_runs if r.dagster_run.status == DagsterRunStatus.SUCCESS)
    assert retry.tags.get("dagster/parent_run_id") == failed.run_id
    assert [r.dagster_run.status for r in runs_of(instance, second.id)] == [DagsterRunStatus.SUCCESS]

    # The retry made only what the dead worker had not: the clips already made were reused.
    (clips,) = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey("clips"), asset_partitions=[first.id]), limit=1,
    ).records
    assert clips.run_id == retry.run_id
    assert clips.asset_materialization.metadata["reused"].value >= killed_at_clip

    # One run at a time, as the queue's limit says.
    spans = sorted((r.start_time, r.end_time) for r in [*first_runs, *runs_of(instance, second.id)])
    assert all(later[0] >= earlier[1] - 0.5 for earlier, later in zip(spans, spans[1:])), spans

    # Everything is in Postgres: the runs and their events.
    run_ids = [r.dagster_run.run_id for r in [*first_runs, *runs_of(instance, second.id)]]
    counted = topology.postgres.query(
        "SELECT run_id, count(*) FROM event_logs WHERE run_id = ANY(%s) GROUP BY run_id", run_ids)
    assert {run_id for run_id, count in counted if count > 10} == set(run_ids)

    for record, seconds in ((a, 60), (b, 20)):
        probe = ffprobe(topology.data_dir / "films" / record.id / "cuts" / "1" / "film.mp4")
        assert {s["codec_type"] for s in probe["streams"]} >= {"video", "audio"}
        assert abs(float(probe["format"]["duration"]) - seconds) < 3
