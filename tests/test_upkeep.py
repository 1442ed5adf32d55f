"""The upkeep sensors: no request stays `running` forever, and a deleted film leaves nothing behind."""

import pytest
from dagster import DagsterRunStatus, Failure, RunsFilter, asset, build_sensor_context, materialize

import dreamreel_assets.upkeep as upkeep
from dreamreel_assets.definitions import defs
from dreamreel_assets.partitions import films
from dreamreel_assets.sensors import REQUEST_TAG
from test_sensors import GOOD, instance, media_resource, store_resource, tick  # noqa: F401 (fixtures)

PAINT = "the painter ran out of paint"


@asset
def finished_stage() -> int:
    return 1


@asset
def failing_stage() -> int:
    raise Failure(description=PAINT)


@pytest.fixture(autouse=True)
def no_grace(monkeypatch):
    """Runs in these tests ended a moment ago; the outcome sensors' grace is tested on its own."""
    monkeypatch.setattr(upkeep, "OUTCOME_GRACE_S", 0)


def upkeep_tick(sensor, instance, store_resource, media_resource=None):
    resources = {"requests": store_resource, **({"media": media_resource} if media_resource else {})}
    result = sensor(build_sensor_context(instance=instance, resources=resources, definitions=defs))
    for request in getattr(result, "dynamic_partitions_requests", None) or []:
        for key in request.partition_keys:
            instance.delete_dynamic_partition(films.name, key)
    return result


def claimed(instance, store_resource):
    """A request the request sensor has claimed (its partition added)."""
    store = store_resource.store()
    record = store.submit(GOOD, user_id="ada")
    tick(instance, store_resource)
    return store, record.id


def film_run(instance, film_id: str, stage=finished_stage) -> str:
    """A run of the film that ended as the stage does, tagged as the request sensor tags runs."""
    result = materialize([stage], instance=instance, raise_on_error=False,
                         tags={REQUEST_TAG: film_id, "dagster/partition": film_id})
    return result.run_id


def test_a_request_whose_run_succeeded_unreported_is_done(instance, store_resource):
    store, film_id = claimed(instance, store_resource)
    store.mark_started(film_id, film_run(instance, film_id))
    upkeep_tick(upkeep.stale_requests, instance, store_resource)
    assert store.get(film_id).status == "done"


def test_a_request_whose_run_failed_unreported_fails_with_the_reason(instance, store_resource):
    store, film_id = claimed(instance, store_resource)
    store.mark_started(film_id, film_run(instance, film_id, failing_stage))
    upkeep_tick(upkeep.stale_requests, instance, store_resource)
    failed = store.get(film_id)
    assert failed.status == "failed"
    assert failed.error == f"failing_stage: {PAINT}"


def test_a_run_cancelled_from_the_ui_fails_its_request_in_words(instance, store_resource):
    store, film_id = claimed(instance, store_resource)
    run = instance.create_run_for_job(defs.resolve_job_def("make_film"), tags={REQUEST_TAG: film_id, "dagster/partition": film_id})
    store.mark_started(film_id, run.run_id)
    assert upkeep_tick(upkeep.stale_requests, instance, store_resource).skip_message == "no stale requests"
    instance.report_run_canceled(run)
    upkeep_tick(upkeep.stale_requests, instance, store_resource)
    cancelled = store.get(film_id)
    assert cancelled.status == "failed" and "cancelled" in cancelled.error


def test_a_run_that_ended_a_moment_ago_is_left_to_the_outcome_sensors(instance, store_resource, monkeypatch):
    monkeypatch.setattr(upkeep, "OUTCOME_GRACE_S", 120)
    store, film_id = claimed(instance, store_resource)
    store.mark_started(film_id, film_run(instance, film_id))
    upkeep_tick(upkeep.stale_requests, instance, store_resource)
    assert store.get(film_id).status == "running"


def test_a_request_whose_run_was_deleted_is_made_again_once(instance, store_resource):
    store, film_id = claimed(instance, store_resource)
    run_id = film_run(instance, film_id)
    store.mark_started(film_id, run_id)
    instance.delete_run(run_id)
    [again] = upkeep_tick(upkeep.stale_requests, instance, store_resource).run_requests
    assert again.partition_key == film_id and again.job_name == "make_film"
    assert again.run_key == f"{film_id}.after.{run_id}" and again.tags[REQUEST_TAG] == film_id
    assert store.get(film_id).status == "running"


def test_a_deleted_film_being_made_is_cancelled_then_removed(instance, store_resource, media_resource):
    store, film_id = claimed(instance, store_resource)
    _, kept_id = claimed(instance, store_resource)
    media = media_resource.store()
    for key in (f"films/{film_id}/film.mp4", f"films/{film_id}/clips/s1-sh1.mp4", f"films/{kept_id}/film.mp4"):
        media.writable_path(key).write_bytes(b"media")
        media.commit(key)
    finished = film_run(instance, film_id)
    waiting = instance.create_run_for_job(defs.resolve_job_def("make_film"), tags={REQUEST_TAG: film_id, "dagster/partition": film_id})  # not launched yet
    assert store.delete(film_id)

    upkeep_tick(upkeep.deleted_films, instance, store_resource, media_resource)
    assert instance.get_run_by_id(waiting.run_id).status == DagsterRunStatus.CANCELED
    assert len(list(media.files(f"films/{film_id}/"))) == 2  # nothing removed while a run may still write
    assert store.deletions() == [film_id]

    upkeep_tick(upkeep.deleted_films, instance, store_resource, media_resource)
    assert list(media.files(f"films/{film_id}/")) == []
    assert instance.get_run_by_id(finished) is None and instance.get_run_by_id(waiting.run_id) is None
    assert instance.get_run_records(RunsFilter(tags={REQUEST_TAG: film_id})) == []
    assert not instance.has_dynamic_partition(films.name, film_id)
    assert store.deletions() == []
    assert [f.key for f in media.files(f"films/{kept_id}/")] == [f"films/{kept_id}/film.mp4"]
    assert instance.has_dynamic_partition(films.name, kept_id)
    assert upkeep_tick(upkeep.deleted_films, instance, store_resource, media_resource).skip_message \
        == "no deleted films to clean up"


def test_idle_clean_up_on_firestore_looks_every_five_minutes_and_a_nudge_wakes_it(
    instance, firebase_billing, monkeypatch, tmp_path,
):
    import time
    import uuid

    from emulators import PROJECT

    from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
    from dreamreel_assets.stores.nudge import nudge
    from test_sensors import Clock

    collection = f"requests-{uuid.uuid4().hex}"
    requests = RequestStoreResource(backend="firestore", firebase_project=PROJECT, firestore_collection=collection)
    media = MediaStoreResource(backend="local", root=str(tmp_path / "media"))
    monkeypatch.setenv("DREAMREEL_DATA_DIR", str(tmp_path))
    clock = Clock(time.time() - 2 * 3600)
    monkeypatch.setattr(upkeep, "time", clock)
    cursor = None

    def tick_at_pace():
        nonlocal cursor
        context = build_sensor_context(instance=instance, resources={"requests": requests, "media": media},
                                       definitions=defs, cursor=cursor)
        result = upkeep.deleted_films(context)
        cursor = context.cursor
        return result

    for _ in range(360):  # an idle hour, one tick every 10 s as the daemon runs it
        tick_at_pace()
        clock.now += 10
    reads = firebase_billing.counts()["firestore"]["collections"].get(f"{collection}_deleted", {}).get("reads", 0)
    assert 1 <= reads <= 20, f"{reads} reads an idle hour"  # 12 an hour once the pace has backed off

    store = requests.store()
    gone = store.submit(GOOD).id
    store.delete(gone)
    nudge(tmp_path)  # the API on this machine deleted it: the next tick cleans up
    tick_at_pace()
    assert store.deletions() == []
