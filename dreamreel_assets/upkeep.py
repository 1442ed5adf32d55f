"""Sensors that keep requests and runs honest with each other.

`stale_requests`: a request never stays `running` forever. Its run may have ended while the outcome
sensors were off, been cancelled from the Dagster UI (no run-status sensor fires for that), or been
deleted; each case ends in words or starts the film again.

`deleted_films`: a person deleted a film (or all their data). The request went at once; this
cancels the film's run, waits for it to stop, then removes its media, its runs (and with them the
event log that holds the theme) and its partition, and finally the deletion mark.
"""

import time

from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from dreamreel_assets.assets.common import FIX_TAG
from dreamreel_assets.jobs import make_film, make_film_gpu, make_film_gpu_fast
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.sensors import (
    IN_PROGRESS,
    REQUEST_TAG,
    WAITING,
    paced,
    _report,
    _run_request,
    error_in_words,
    will_retry,
)
from dreamreel_assets.stores.requests import RequestRecord

STALE_INTERVAL_S = 300
"""How often running requests are compared with their runs (each look is a billed Firestore query)."""
DELETION_TICK_S = 10
DELETION_IDLE_S = 300
"""On a billed store, how often deletions are looked for while there are none: the API already
removed the request and its files; what waits is stopping a film being made, which the API on
this machine announces by nudge (looked at on the next tick)."""
OUTCOME_GRACE_S = 120
"""How long after a run ends the run-status sensors have to report it before this sensor does."""
CANCELLED = ("the film's run was cancelled before it finished (from the Dagster UI or by an operator); "
             "ask for the film again")
PARTITION_TAG = "dagster/partition"


@sensor(
    jobs=[make_film, make_film_gpu, make_film_gpu_fast],
    minimum_interval_seconds=STALE_INTERVAL_S,
    default_status=DefaultSensorStatus.RUNNING,
    description="Finds requests still marked running whose run ended, was cancelled or is gone: "
                "reports the outcome in words, or starts a film whose run was deleted again.",
)
def stale_requests(context: SensorEvaluationContext, requests: RequestStoreResource):
    store = requests.store()
    now = time.time()
    restarts, settled = [], []
    for record in store.running():
        run = latest_run(context.instance, record)
        if run is None:
            if record.run_id and context.instance.get_run_by_id(record.run_id) is None:
                # Its run was deleted: the same film again, under a run key of its own.
                first = _run_request(record)
                restarts.append(RunRequest(
                    run_key=f"{record.id}.after.{record.run_id}", partition_key=first.partition_key,
                    job_name=first.job_name, asset_selection=first.asset_selection, tags=first.tags,
                ))
            continue  # never launched yet: the request sensor requests unstarted claims again
        outcome = stale_outcome(context.instance, run, now)
        if outcome is not None:
            status, error = outcome
            _report(store, run.dagster_run, status, error)
            settled.append(f"{record.id}: {status}")
            context.log.info(f"request {record.id} was still running after its run ended: {status} {error or ''}")
    if restarts:
        return SensorResult(run_requests=restarts)
    return SkipReason(f"settled {len(settled)} stale request(s)" if settled else "no stale requests")


def latest_run(instance: DagsterInstance, record: RequestRecord):
    """The newest run making this request's film (or its fix, while one is active)."""
    fix = record.active_fix
    records = instance.get_run_records(RunsFilter(tags={REQUEST_TAG: record.id}), limit=20)
    if record.run_id and all(r.dagster_run.run_id != record.run_id for r in records):
        records += instance.get_run_records(RunsFilter(run_ids=[record.run_id]))  # launched from the UI
    ours = [r for r in records if r.dagster_run.tags.get(FIX_TAG) == (fix.id if fix else None)]
    return max(ours, key=lambda r: r.create_timestamp, default=None)


def stale_outcome(instance: DagsterInstance, run_record, now: float) -> tuple[str, str | None] | None:
    """(status, error) for a run that ended long enough ago; None while it is waiting or going."""
    run = run_record.dagster_run
    if run.status in IN_PROGRESS or run.status in WAITING:
        return None
    ended = run_record.end_time or run_record.update_timestamp.timestamp()
    if now - ended < OUTCOME_GRACE_S:
        return None
    if run.status == DagsterRunStatus.SUCCESS:
        return "done", None
    if run.status == DagsterRunStatus.CANCELED:
        return "failed", CANCELLED
    if will_retry(instance, run):
        return None
    return "failed", failure_reason(instance, run.run_id)


def failure_reason(instance: DagsterInstance, run_id: str) -> str:
    """What the run-failure sensor would have said: the failed step and its innermost error."""
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE):
        event = entry.dagster_event
        return f"{event.step_key}: {error_in_words(event.event_specific_data.error)}"[:500]
    return "the film's run failed"


@sensor(
    minimum_interval_seconds=DELETION_TICK_S,
    default_status=DefaultSensorStatus.RUNNING,
    description="Cleans up deleted films: cancels a film still being made, then removes its media, "
                "its runs and its partition. Looks at once when the API on this machine deletes, "
                "and less often while there is nothing to clean (Firestore bills each look).",
)
def deleted_films(context: SensorEvaluationContext, requests: RequestStoreResource, media: MediaStoreResource):
    now = time.time()
    pace = paced(context, now, "nothing to clean")
    if isinstance(pace, SkipReason):
        return pace
    store = requests.store()
    instance = context.instance
    cleaned, stopping = [], 0
    pending = store.deletions()
    idle_s = max(requests.idle_poll_s(), DELETION_IDLE_S) if requests.idle_poll_s() else 0
    context.update_cursor(pace.after_look(now, found_work=bool(pending), idle_s=idle_s).to_cursor())
    for film_id in pending:
        runs = film_runs(instance, film_id)
        going = [r.dagster_run for r in runs if r.dagster_run.status in IN_PROGRESS or r.dagster_run.status in WAITING]
        if going:
            for run in going:
                cancel(instance, run)
            stopping += 1
            continue  # media is removed once nothing can write it any more
        media.store().remove(f"films/{film_id}/")
        for run in runs:
            instance.delete_run(run.dagster_run.run_id)
        store.forget_deletion(film_id)
        cleaned.append(film_id)
    partitions = [film_id for film_id in cleaned if instance.has_dynamic_partition(films.name, film_id)]
    if partitions:
        return SensorResult(dynamic_partitions_requests=[films.build_delete_request(partitions)])
    if cleaned or stopping:
        return SkipReason(f"cleaned up {len(cleaned)} deleted film(s); stopping the runs of {stopping}")
    return SkipReason("no deleted films to clean up")


def film_runs(instance: DagsterInstance, film_id: str) -> list:
    """Every run of the film's partition: launched by the sensor, or from the Dagster UI (a job, or
    assets picked in the asset graph); the films partition is the only one keyed by request ids."""
    return list(instance.get_run_records(RunsFilter(tags={PARTITION_TAG: film_id})))


def cancel(instance: DagsterInstance, run) -> None:
    if run.status == DagsterRunStatus.CANCELING:
        return
    if not instance.run_coordinator.cancel_run(run.run_id) and run.status in WAITING:
        instance.report_run_canceled(run, message="Cancelled: the film was deleted.")  # never launched


upkeep_sensors = [stale_requests, deleted_films]
