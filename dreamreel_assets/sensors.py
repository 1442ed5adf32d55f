"""Requests in, outcomes out: the request sensor starts films; run-status sensors report back."""

import os
import re

from functools import cache

from dagster import (
    AssetKey,
    AssetSelection,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
    sensor,
)
from pydantic import ValidationError

from dreamreel_assets.assets import film_assets
from dreamreel_assets.assets.common import FIX_TAG
from dreamreel_assets.jobs import make_film, make_film_gpu
from dreamreel_assets.models import describe_validation_error
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.stores import RequestStoreResource
from dreamreel_assets.stores.requests import RequestRecord, RequestStore

CLAIMS_PER_TICK = 1000
ORPHANED_AFTER_S = 120
"""A claim whose run has not started after this long is requested again (same run key, so at most
one run is ever made for it)."""
OUTCOME_INTERVAL_S = 5
"""How soon a finished run shows as done in the web app (Dagster's default is 30 s)."""
REQUEST_TAG = "dreamreel/request"
PARTITION_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def film_job_name() -> str:
    """The film job the sensor launches: DREAMREEL_PROFILE=gpu picks the real models."""
    return make_film_gpu.name if os.environ.get("DREAMREEL_PROFILE") == "gpu" else make_film.name


@sensor(
    jobs=[make_film, make_film_gpu],
    minimum_interval_seconds=5,
    default_status=DefaultSensorStatus.RUNNING,
    description="Claims queued film requests, adds their partitions and starts one run per request.",
)
def film_requests(context: SensorEvaluationContext, requests: RequestStoreResource):
    store = requests.store()
    known = set(context.instance.get_dynamic_partitions(films.name))
    runs, partitions = [], []
    for record in store.claim_queued(limit=CLAIMS_PER_TICK):
        if record.active_fix is not None and record.id in known:
            store.set_fix_status(record.id, record.active_fix.id, "running")
            runs.append(_run_request(record))
            continue
        problem = _refusal(record, known)
        if problem:
            store.set_status(record.id, "failed", error=problem)
            context.log.info(f"request {record.id} refused: {problem}")
            continue
        known.add(record.id)
        partitions.append(record.id)
        runs.append(_run_request(record))
    for record in store.unstarted_claims(older_than_s=ORPHANED_AFTER_S):
        if record.id not in known:
            known.add(record.id)
            partitions.append(record.id)
        runs.append(_run_request(record))
    if not runs:
        return SkipReason("no queued requests")
    return SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=[films.build_add_request(partitions)] if partitions else [],
    )


def _refusal(record: RequestRecord, known: set[str]) -> str | None:
    """Why a claimed request cannot become a film, in words for the person who asked for it."""
    if not PARTITION_KEY.match(record.id):
        return "request id: only letters, digits, '-', '_' and '.' are allowed (at most 128)"
    if record.id in known:
        return f"request id: {record.id!r} was used by an earlier film"
    try:
        record.request
    except ValidationError as error:
        return describe_validation_error(error)
    return None


def _run_request(record: RequestRecord) -> RunRequest:
    """The whole film; or, for a fix, the fixed stage and everything downstream of it."""
    tags = {REQUEST_TAG: record.id, "dreamreel/user": record.user_id}
    fix = record.active_fix
    if fix is None:
        return RunRequest(run_key=record.id, partition_key=record.id, job_name=film_job_name(), tags=tags)
    return RunRequest(
        run_key=f"{record.id}.fix.{fix.id}", partition_key=record.id, job_name=film_job_name(),
        asset_selection=redo_selection(fix.stage), tags={**tags, FIX_TAG: fix.id},
    )


@cache
def redo_selection(stage: str) -> list[AssetKey]:
    """A stage and what is made from it: what a fix of that stage materializes again."""
    return sorted(AssetSelection.assets(stage).downstream().resolve(film_assets), key=lambda k: k.path)


def _request_id(run) -> str | None:
    return run.tags.get(REQUEST_TAG) or run.tags.get("dagster/partition")


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=[make_film, make_film_gpu],
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=OUTCOME_INTERVAL_S,
    description="Marks a request done when its film's run succeeds.",
)
def film_done(context: RunStatusSensorContext, requests: RequestStoreResource):
    _report(requests.store(), context.dagster_run, "done", None)


@run_failure_sensor(
    monitored_jobs=[make_film, make_film_gpu],
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=OUTCOME_INTERVAL_S,
    description="Marks a request failed, with a message a person can read, when its run fails.",
)
def film_failed(context: RunFailureSensorContext, requests: RequestStoreResource):
    _report(requests.store(), context.dagster_run, "failed", failure_message(context))


def failure_message(context: RunFailureSensorContext) -> str:
    for event in context.get_step_failure_events():
        error = event.event_specific_data.error
        reason = error.message.strip().splitlines()[0] if error and error.message else "failed"
        return f"{event.step_key}: {reason}"[:500]
    return (context.failure_event.message or "the film's run failed")[:500]


def _report(store: RequestStore, run, status, error: str | None) -> None:
    """The outcome into the request. A failed fix leaves the film as it was (still done, still
    playable); the fix itself carries the failure."""
    request_id = _request_id(run)
    if not request_id or store.get(request_id) is None:
        return
    fix_id = run.tags.get(FIX_TAG)
    if fix_id:
        store.set_fix_status(request_id, fix_id, status, error=error)
        store.set_status(request_id, "done")
        return
    store.set_status(request_id, status, error=error)


film_sensors = [film_requests, film_done, film_failed]
