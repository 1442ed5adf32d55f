"""The request sensor and the run-status sensors, on a real instance and a real request store."""

import time
import urllib.request
import uuid

import pytest
from dagster import (
    DagsterInstance,
    build_run_status_sensor_context,
    build_sensor_context,
    instance_for_test,
    materialize,
)
from emulators import BUCKET, PROJECT

import dreamreel_assets.sensors as sensors
from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.definitions import default_resources, defs
from dreamreel_assets.models import FixRequest
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import WriterResource
from dreamreel_assets.resources.moderation import ModerationResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.stores.nudge import nudge

GOOD = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}
WORDS = ModerationResource(backend="words")


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "home").mkdir()
    with instance_for_test(temp_dir=str(tmp_path / "home")) as test_instance:
        yield test_instance


@pytest.fixture(params=["sqlite", "firestore"])
def store_resource(request, tmp_path):
    """The sensor tests run on SQLite and on Firestore (the emulator on loopback)."""
    if request.param == "sqlite":
        return RequestStoreResource(backend="sqlite", sqlite_path=str(tmp_path / "requests.sqlite"))
    request.getfixturevalue("firestore_emulator")
    return RequestStoreResource(backend="firestore", firebase_project=PROJECT,
                                firestore_collection=f"requests-{uuid.uuid4().hex}")


@pytest.fixture
def media_resource(store_resource, tmp_path, request):
    if store_resource.backend == "sqlite":
        return MediaStoreResource(backend="local", root=str(tmp_path / "media"))
    request.getfixturevalue("storage_emulator")
    return MediaStoreResource(backend="firebase", firebase_project=PROJECT, bucket=BUCKET,
                              root=str(tmp_path / "media-cache"))


def tick(instance: DagsterInstance, store_resource):
    """One sensor evaluation, as the daemon does it; partitions it asks for are added."""
    context = build_sensor_context(instance=instance, resources={"requests": store_resource, "moderation": WORDS},
                                   definitions=defs)
    result = sensors.film_requests(context)
    for request in getattr(result, "dynamic_partitions_requests", None) or []:
        instance.add_dynamic_partitions(films.name, list(request.partition_keys))
    return result


def test_a_burst_of_100_requests_gives_100_partitions_and_runs(instance, store_resource):
    store = store_resource.store()
    ids = [store.submit(GOOD, user_id=f"user-{i}").id for i in range(100)]
    result = tick(instance, store_resource)
    assert sorted(r.run_key for r in result.run_requests) == sorted(ids)
    assert sorted(r.partition_key for r in result.run_requests) == sorted(ids)
    assert sorted(instance.get_dynamic_partitions(films.name)) == sorted(ids)
    assert {r.job_name for r in result.run_requests} == {"make_film"}
    assert all(store.get(i).status == "running" for i in ids)
    assert tick(instance, store_resource).skip_message == "no queued requests"


def test_restart_mid_burst_makes_no_duplicates(instance, store_resource, monkeypatch):
    store = store_resource.store()
    ids = {store.submit(GOOD).id for _ in range(100)}
    monkeypatch.setattr(sensors, "CLAIMS_PER_TICK", 40)
    keys = []
    for _ in range(3):  # each tick a fresh context: the sensor restarted with no cursor
        keys += [r.run_key for r in tick(instance, store_resource).run_requests]
    assert len(keys) == len(set(keys)) == 100 and set(keys) == ids


@pytest.mark.parametrize("fields, reason", [
    ({"theme": "A duel at noon", "style": "noir", "minutes": 5}, "genre: Field required"),
    ({**GOOD, "genre": "western-opera"}, "genre: unknown value 'western-opera'"),
    ({**GOOD, "theme": "x" * 5000}, "theme: must be at most 500 characters"),
    ({**GOOD, "minutes": "five"}, "minutes: Input should be a valid integer"),
    ({**GOOD, "theme": "A duel\x00 at noon"}, "theme: must not contain control characters"),
    ({**GOOD, "aspect": "4:3"}, "aspect: unknown value '4:3'"),
    ({**GOOD, "extra": "field"}, "extra: Extra inputs are not permitted"),
])
def test_bad_requests_fail_with_their_reason_and_others_go_on(instance, store_resource, fields, reason):
    store = store_resource.store()
    bad = store.submit(fields)
    good = store.submit(GOOD)
    result = tick(instance, store_resource)
    assert [r.run_key for r in result.run_requests] == [good.id]
    failed = store.get(bad.id)
    assert failed.status == "failed" and failed.error.startswith(reason), failed.error


def test_a_request_id_used_before_is_refused(instance, store_resource):
    store = store_resource.store()
    instance.add_dynamic_partitions(films.name, ["old-film"])
    store.submit(GOOD, request_id="old-film")
    assert tick(instance, store_resource).skip_message == "no queued requests"
    assert store.get("old-film").error == "request id: 'old-film' was used by an earlier film"


def test_a_claim_whose_run_never_started_is_requested_again_with_its_run_key(instance, store_resource, monkeypatch):
    store = store_resource.store()
    orphan = store.submit(GOOD)
    store.claim_queued(limit=10)  # a sensor that died after claiming
    monkeypatch.setattr(sensors, "ORPHANED_AFTER_S", 0)
    [again] = tick(instance, store_resource).run_requests
    assert again.run_key == orphan.id
    assert orphan.id in instance.get_dynamic_partitions(films.name)


def test_profile_switch_picks_the_gpu_job(instance, store_resource, monkeypatch):
    store_resource.store().submit(GOOD)
    monkeypatch.setenv("DREAMREEL_PROFILE", "gpu")
    assert {r.job_name for r in tick(instance, store_resource).run_requests} == {"make_film_gpu"}


def test_a_language_the_profiles_writer_cannot_write_is_refused_in_words(instance, store_resource, monkeypatch):
    store = store_resource.store()
    german = store.submit({**GOOD, "language": "de"})
    assert tick(instance, store_resource).skip_message == "no queued requests"
    assert store.get(german.id).error.startswith("the template script writer writes English only, not German")

    monkeypatch.setenv("DREAMREEL_PROFILE", "gpu")  # a language model writes the scripts
    again = store.submit({**GOOD, "language": "de", "theme": "A duel at dusk"})
    assert [r.run_key for r in tick(instance, store_resource).run_requests] == [again.id]


def run_claimed_film(instance, media_resource, store_resource, run_request, **overrides):
    """Materialize what the run request asks for, with its tags, as the launched run would."""
    resources = {**default_resources(), "media": media_resource, "requests": store_resource, **overrides}
    return materialize([*film_assets, *final_cut_checks], partition_key=run_request.partition_key,
                       instance=instance, resources=resources, tags=run_request.tags, raise_on_error=False,
                       selection=run_request.asset_selection)


def test_submit_sensor_run_and_done_with_a_playable_url(instance, store_resource, media_resource):
    store = store_resource.store()
    record = store.submit({**GOOD, "preview_seconds": 20}, user_id="ada")
    [run_request] = tick(instance, store_resource).run_requests
    result = run_claimed_film(instance, media_resource, store_resource, run_request)
    assert result.success
    assert store.get(record.id).run_id == result.run_id
    context = build_run_status_sensor_context(
        sensor_name="film_done", dagster_event=result.get_run_success_event(), dagster_instance=instance,
        dagster_run=result.dagster_run, resources={"requests": store_resource},
    )
    sensors.film_done(context)
    done = store.get(record.id)
    assert done.status == "done" and done.error is None
    with urllib.request.urlopen(done.result["video"], timeout=30) as response:
        head = response.read(64)
    assert b"ftyp" in head  # an MP4 a browser can fetch
    assert set(done.progress) >= {"script", "keyframes", "clips", "final_cut"}
    assert all(p.done == p.total for p in done.progress.values())


def test_a_failed_run_is_reported_in_words(instance, store_resource, media_resource):
    store = store_resource.store()
    record = store.submit({**GOOD, "preview_seconds": 20})
    [run_request] = tick(instance, store_resource).run_requests
    unreachable = WriterResource(backend="openai", base_url="http://127.0.0.1:9/v1", model="m", max_attempts=1)
    result = run_claimed_film(instance, media_resource, store_resource, run_request, writer=unreachable)
    assert not result.success
    context = build_run_status_sensor_context(
        sensor_name="film_failed", dagster_event=result.get_run_failure_event(), dagster_instance=instance,
        dagster_run=result.dagster_run, resources={"requests": store_resource},
    ).for_run_failure()
    sensors.film_failed(context)
    failed = store.get(record.id)
    assert failed.status == "failed"
    assert failed.error.startswith("script: ") and "Traceback" not in failed.error
    assert "dagster" not in failed.error.lower() and "Error occurred while executing" not in failed.error
    assert "APIConnectionError" in failed.error or "Connection" in failed.error, failed.error  # the cause, named


def _report_success(instance, store_resource, result):
    context = build_run_status_sensor_context(
        sensor_name="film_done", dagster_event=result.get_run_success_event(), dagster_instance=instance,
        dagster_run=result.dagster_run, resources={"requests": store_resource},
    )
    sensors.film_done(context)


def test_a_fix_redoes_one_shot_and_what_is_made_from_it(instance, store_resource, media_resource):
    store = store_resource.store()
    record = store.submit({**GOOD, "preview_seconds": 20}, user_id="ada")
    [first] = tick(instance, store_resource).run_requests
    made = run_claimed_film(instance, media_resource, store_resource, first)
    _report_success(instance, store_resource, made)
    before = {k.shot_id: k for k in made.output_for_node("keyframes").keyframes}
    clips_before = {c.shot_id: c.video.key for c in made.output_for_node("clips").clips}
    target = list(before)[1]

    fix = store.request_fix(record.id, FixRequest(stage="keyframes", shot=target, note="at night, lamps lit"))
    [redo] = tick(instance, store_resource).run_requests
    assert redo.run_key == f"{record.id}.fix.{fix.id}" and redo.partition_key == record.id
    assert {k.to_user_string() for k in redo.asset_selection} == {"keyframes", "clips", "final_cut", "published_cut"}
    assert store.get(record.id).fixes[0].status == "running"

    fixed = run_claimed_film(instance, media_resource, store_resource, redo)
    assert fixed.success
    assert store.get(record.id).run_id == fixed.run_id
    after = {k.shot_id: k for k in fixed.output_for_node("keyframes").keyframes}
    changed = {shot for shot in before if after[shot].image != before[shot].image}
    assert changed == {target} and after[target].seed != before[target].seed
    clips_after = {c.shot_id: c.video.key for c in fixed.output_for_node("clips").clips}
    assert {shot for shot in clips_before if clips_after[shot] != clips_before[shot]} == {target}
    media = media_resource.store()
    assert media.existing(before[target].image.key) is not None  # the earlier take is kept
    cut = fixed.output_for_node("final_cut")
    assert abs(cut.duration_s - made.output_for_node("final_cut").duration_s) < 0.05

    _report_success(instance, store_resource, fixed)
    done = store.get(record.id)
    assert done.status == "done" and done.fixes[0].status == "done" and done.result


class Clock:
    """The sensor's clock, moved by hand: an hour of ticks runs in seconds."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_an_idle_firestore_queue_costs_under_3000_reads_a_day_and_a_nudge_wakes_it(
    instance, firebase_billing, monkeypatch, tmp_path,
):
    collection = f"requests-{uuid.uuid4().hex}"
    resource = RequestStoreResource(backend="firestore", firebase_project=PROJECT, firestore_collection=collection)
    store = resource.store()
    monkeypatch.setenv("DREAMREEL_DATA_DIR", str(tmp_path))
    clock = Clock(time.time() - 2 * 3600)
    monkeypatch.setattr(sensors, "time", clock)
    cursor = None

    def tick_at_pace():
        nonlocal cursor
        context = build_sensor_context(instance=instance, resources={"requests": resource, "moderation": WORDS},
                                       definitions=defs, cursor=cursor)
        result = sensors.film_requests(context)
        for request in getattr(result, "dynamic_partitions_requests", None) or []:
            instance.add_dynamic_partitions(films.name, list(request.partition_keys))
        cursor = context.cursor
        return result

    for _ in range(720):  # an idle hour, one tick every 5 s as the daemon runs it
        tick_at_pace()
        clock.now += 5
    reads = firebase_billing.counts()["firestore"]["collections"][collection]["reads"]
    assert 24 * reads <= 3000, f"{reads} reads an idle hour"
    assert reads >= 60, "it still looks at the queue every minute"

    # The API on this machine queues a film and nudges: the very next tick claims it.
    first = store.submit(GOOD)
    nudge(tmp_path)
    assert [r.run_key for r in tick_at_pace().run_requests] == [first.id]
    # Queued without a nudge (the API elsewhere): claimed within the idle pace, a minute.
    second = store.submit(GOOD)
    waited = 0
    while not (claimed := getattr(tick_at_pace(), "run_requests", None)):
        clock.now += 5
        waited += 5
        assert waited <= 60, "not claimed within a minute"
    assert [r.run_key for r in claimed] == [second.id]
