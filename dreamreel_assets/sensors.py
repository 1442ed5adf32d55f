"""Requests in, outcomes out: the request sensor starts films; run-status sensors report back."""

import json
import os
import re
import time
from dataclasses import asdict, dataclass
from functools import cache

from dagster import (
    AssetCheckSeverity,
    AssetKey,
    AssetSelection,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    RunsFilter,
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
from dreamreel_assets.jobs import PROFILE_JOBS, PROFILE_TAG, make_film, make_film_gpu, make_film_gpu_fast
from dreamreel_assets.languages import PROFILE_WRITERS, unwritable
from dreamreel_assets.models import describe_validation_error
from dreamreel_assets.partitions import films
from dreamreel_assets.queue import (
    MEASURED_RUNS,
    FilmRun,
    FinishedRun,
    QueueLimits,
    RunTimes,
    as_datetime,
    forecast,
    moved,
)
from dreamreel_assets.moderation import Moderator, ModerationUnavailable, refusals, unavailable_message
from dreamreel_assets.resources.moderation import ModerationResource
from dreamreel_assets.resources.stores import RequestStoreResource, data_dir
from dreamreel_assets.stores.nudge import last_nudge
from dreamreel_assets.stores.requests import QueueEstimate, RequestRecord, RequestStore, update_version

CLAIMS_PER_TICK = 1000
ORPHANED_AFTER_S = 120
"""A claim whose run has not started after this long is requested again (same run key, so at most
one run is ever made for it)."""
ORPHAN_CHECK_EVERY_S = 300
"""How often the sensor looks for such claims (only a crash between claiming and launching leaves one)."""
FIRST_IDLE_GAP_S = 5
OUTCOME_INTERVAL_S = 5
"""How soon a finished run shows as done in the web app (Dagster's default is 30 s)."""
REQUEST_TAG = "dreamreel/request"
SECONDS_TAG = "dreamreel/seconds"
"""The film's length in seconds, on each run: the queue's estimates scale with it."""
QUEUE_INTERVAL_S = 10
PARTITION_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def film_profile() -> str:
    """DREAMREEL_PROFILE: gpu (the real models), gpu-fast (with LTX-Video for the clips); anything
    else runs films on the embedded ones."""
    profile = os.environ.get("DREAMREEL_PROFILE", "")
    return profile if profile in PROFILE_JOBS else "embedded"


def film_job_name() -> str:
    """The film job the sensor launches for the profile."""
    return PROFILE_JOBS[film_profile()].name


@sensor(
    jobs=[make_film, make_film_gpu, make_film_gpu_fast],
    minimum_interval_seconds=5,
    default_status=DefaultSensorStatus.RUNNING,
    description="Claims queued film requests, adds their partitions and starts one run per request. "
                "While the queue stays empty it looks less often (Firestore bills each look), and at "
                "once when the API on this machine queues work.",
)
def film_requests(context: SensorEvaluationContext, requests: RequestStoreResource, moderation: ModerationResource):
    now = time.time()
    pace = paced(context, now, "no queued requests")
    if isinstance(pace, SkipReason):
        return pace
    store = requests.store()
    known = set(context.instance.get_dynamic_partitions(films.name))
    runs, partitions = [], []
    claimed = store.claim_queued(limit=CLAIMS_PER_TICK)
    moderator, undecided = _moderator(moderation) if claimed else (None, None)
    for record in claimed:
        if undecided is None:
            try:
                problem = _fix_refusal(record, moderator) if record.active_fix is not None and record.id in known \
                    else _refusal(record, known, moderator)
            except ModerationUnavailable as error:
                undecided = unavailable_message(error)
        if undecided is not None:  # fail closed: nothing starts unmoderated; it waits in the queue
            store.set_status(record.id, "queued")
            context.log.warning(f"request {record.id} waits: {undecided}")
            continue
        if record.active_fix is not None and record.id in known:
            if problem:  # the film stays as it was; the fix carries the refusal
                store.set_fix_status(record.id, record.active_fix.id, "failed", error=problem)
                store.set_status(record.id, "done")
                context.log.info(f"fix {record.active_fix.id} of {record.id} refused: {problem}")
                continue
            store.set_fix_status(record.id, record.active_fix.id, "running")
            runs.append(_run_request(record))
            continue
        if problem:
            store.set_status(record.id, "failed", error=problem)
            context.log.info(f"request {record.id} refused: {problem}")
            continue
        known.add(record.id)
        partitions.append(record.id)
        runs.append(_run_request(record))
    if now >= pace.next_orphan_check:
        for record in store.unstarted_claims(older_than_s=ORPHANED_AFTER_S):
            if record.id not in known:
                known.add(record.id)
                partitions.append(record.id)
            runs.append(_run_request(record))
    context.update_cursor(pace.after_look(now, found_work=bool(runs), idle_s=requests.idle_poll_s()).to_cursor())
    if not runs:
        return SkipReason(f"queued requests wait: {undecided}" if undecided else "no queued requests")
    return SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=[films.build_add_request(partitions)] if partitions else [],
    )


def paced(context: SensorEvaluationContext, now: float, nothing: str) -> "Pace | SkipReason":
    """The sensor's pace when it is time to look at the store again (or the API on this machine
    nudged), else why not and when it will."""
    pace = Pace.from_cursor(context.cursor)
    if pace.due(now, last_nudge(data_dir())):
        return pace
    return SkipReason(f"{nothing} at the last look; next look in {pace.next_look - now:.0f} s")


@dataclass(frozen=True)
class Pace:
    """When the request sensor next looks at the queue: every tick while there is work; while it
    stays empty, twice as long after each empty look, up to the store's idle pace."""

    looked: float = 0.0
    next_look: float = 0.0
    gap: float = 0.0
    next_orphan_check: float = 0.0

    @classmethod
    def from_cursor(cls, cursor: str | None) -> "Pace":
        try:
            return cls(**{key: float(value) for key, value in json.loads(cursor or "{}").items()})
        except (TypeError, ValueError):
            return cls()

    def to_cursor(self) -> str:
        return json.dumps(asdict(self))

    def due(self, now: float, nudged_at: float) -> bool:
        return now >= self.next_look or nudged_at > self.looked

    def after_look(self, now: float, found_work: bool, idle_s: float) -> "Pace":
        gap = 0.0 if found_work else min(max(self.gap * 2, FIRST_IDLE_GAP_S), idle_s)
        orphans = self.next_orphan_check if now < self.next_orphan_check else now + ORPHAN_CHECK_EVERY_S
        return Pace(looked=now, next_look=now + gap, gap=gap, next_orphan_check=orphans)


def _moderator(moderation: ModerationResource) -> tuple[Moderator | None, str | None]:
    """The configured moderator, or why there is none (then nothing may start)."""
    try:
        return moderation.moderator(), None
    except ModerationUnavailable as error:
        return None, unavailable_message(error)


def _fix_refusal(record: RequestRecord, moderator: Moderator) -> str | None:
    """Why a fix's note cannot be used (a note written to the store past the API is moderated too)."""
    refused = refusals(moderator, {"note": record.active_fix.note})
    return str(refused[0]) if refused else None


def _refusal(record: RequestRecord, known: set[str], moderator: Moderator) -> str | None:
    """Why a claimed request cannot become a film, in words for the person who asked for it
    (raises ModerationUnavailable when the moderator cannot decide)."""
    if not PARTITION_KEY.match(record.id):
        return "request id: only letters, digits, '-', '_' and '.' are allowed (at most 128)"
    if record.id in known:
        return f"request id: {record.id!r} was used by an earlier film"
    try:
        request = record.request
    except ValidationError as error:
        return describe_validation_error(error)
    cannot = unwritable(request.language, PROFILE_WRITERS[film_profile()])
    if cannot:
        return cannot
    refused = refusals(moderator, {"theme": request.theme})
    return str(refused[0]) if refused else None


def _run_request(record: RequestRecord) -> RunRequest:
    """The whole film; or, for a fix, the fixed stage and everything downstream of it."""
    tags = {REQUEST_TAG: record.id, "dreamreel/user": record.user_id,
            SECONDS_TAG: f"{record.request.target_seconds:g}"}
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
    monitored_jobs=[make_film, make_film_gpu, make_film_gpu_fast],
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=OUTCOME_INTERVAL_S,
    description="Marks a request done when its film's run succeeds.",
)
def film_done(context: RunStatusSensorContext, requests: RequestStoreResource):
    _report(requests.store(), context.dagster_run, "done", None)


@run_failure_sensor(
    monitored_jobs=[make_film, make_film_gpu, make_film_gpu_fast],
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=OUTCOME_INTERVAL_S,
    description="Marks a request failed, with a message a person can read, when its run fails.",
)
def film_failed(context: RunFailureSensorContext, requests: RequestStoreResource):
    if will_retry(context.instance, context.dagster_run):
        context.log.info(f"run {context.dagster_run.run_id} failed and will be retried: the film goes on")
        return
    _report(requests.store(), context.dagster_run, "failed", failure_message(context))


WILL_RETRY_TAG = "dagster/will_retry"
"""Set by Dagster on a failed run that its run retries will run again (a worker that died)."""


def will_retry(instance: DagsterInstance, run) -> bool:
    current = instance.get_run_by_id(run.run_id) or run
    return current.tags.get(WILL_RETRY_TAG) == "true"


def failure_message(context: RunFailureSensorContext) -> str:
    blocked = failed_checks_in_words(context.instance, context.dagster_run.run_id)
    if blocked:
        return blocked[:500]
    for event in context.get_step_failure_events():
        return f"{event.step_key}: {error_in_words(event.event_specific_data.error)}"[:500]
    return (context.failure_event.message or "the film's run failed")[:500]


def failed_checks_in_words(instance: DagsterInstance, run_id: str) -> str | None:
    """What the final cut's failed checks found, when they blocked the run; None when none failed."""
    entries = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    return checks_in_words([entry.dagster_event.event_specific_data for entry in entries])


def checks_in_words(evaluations) -> str | None:
    """The blocking checks that failed among `evaluations`, each with what it found; None if none."""
    found = [f"{e.check_name} ({e.description})" if e.description else e.check_name
             for e in evaluations if not e.passed and e.severity == AssetCheckSeverity.ERROR]
    return f"the film did not pass its checks: {'; '.join(found)}" if found else None


def error_in_words(error) -> str:
    """The first line of what went wrong, from the innermost cause: Dagster wraps a step's own
    exception ("Error occurred while executing op ...") and that wrapper says nothing to a person."""
    if error is None:
        return "failed"
    if error.cls_name == "DagsterAssetCheckFailedError":  # "1 blocking asset check failed ...:\nasset: a,b"
        checks = [name for line in (error.message or "").splitlines()[1:]
                  for name in line.partition(": ")[2].split(",") if name.strip()]
        return f"did not pass its checks: {', '.join(checks) or 'a check'}"
    tries = ""
    while error.cause is not None and (error.cls_name.startswith("Dagster") or error.cls_name in RETRY_WRAPPERS):
        if error.cls_name in RETRY_WRAPPERS:
            tries = " (tried again, with the same outcome)"
        error = error.cause
    line = (error.message or "").strip().splitlines()[0] if error.message else "failed"
    head, _, rest = line.partition(": ")
    if rest and head.rsplit(".", 1)[-1] == error.cls_name.rsplit(".", 1)[-1]:  # "pkg.mod.Failure: ..."
        line = rest
    if error.cls_name in ("Failure", "DagsterExecutionStepExecutionError") or not error.cls_name:
        return line + tries
    return f"{error.cls_name.rsplit('.', 1)[-1]}: {line}{tries}"


RETRY_WRAPPERS = ("RetryRequestedFromPolicy", "RetryRequested")
"""What a step that used up its retries fails with, around the error it kept meeting."""


def _report(store: RequestStore, run, status, error: str | None) -> None:
    """The outcome into the request. A failed fix leaves the film as it was (still done, still
    playable); the fix itself carries the failure."""
    request_id = _request_id(run)
    if not request_id or store.get(request_id) is None:
        return
    if status == "failed":
        _fail_unchecked_cut(store, request_id, error)
    fix_id = run.tags.get(FIX_TAG)
    if fix_id:
        store.set_fix_status(request_id, fix_id, status, error=error)
        store.set_status(request_id, "done")
        return
    store.set_status(request_id, status, error=error)


def _fail_unchecked_cut(store: RequestStore, request_id: str, error: str | None) -> None:
    """A run that failed after its final cut was made but before its checks decided (a check that
    crashed, say) leaves that version failed, with the run's error, never "checking" for ever."""
    record = store.get(request_id)
    newest = record.versions[-1] if record is not None and record.versions else None
    if newest is not None and newest.status == "checking":
        update_version(store, request_id, newest.number, status="failed", reason=error or "the film's run failed")


IN_PROGRESS = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
WAITING = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED]
FILM_JOBS = (make_film.name, make_film_gpu.name, make_film_gpu_fast.name)


@sensor(
    minimum_interval_seconds=QUEUE_INTERVAL_S,
    default_status=DefaultSensorStatus.RUNNING,
    description="Tells each waiting or running film its place in the run queue and when it should "
                "start and be ready, estimated from the films this server has made.",
)
def film_queue(context: SensorEvaluationContext, requests: RequestStoreResource):
    instance = context.instance
    runs = [record for record in instance.get_run_records(RunsFilter(statuses=IN_PROGRESS + WAITING))
            if record.dagster_run.job_name in FILM_JOBS and _request_id(record.dagster_run)]
    written = json.loads(context.cursor) if context.cursor else {}
    if not runs:
        context.update_cursor(json.dumps({}))
        return SkipReason("no film is waiting or being made")
    now = time.time()
    store = requests.store()
    film_runs = [_film_run(instance, record, store) for record in runs]
    times = {profile: measured_times(instance, profile) for profile in {run.profile for run in film_runs}}
    forecasts = forecast(film_runs, times, queue_limits(instance), now)
    kept = {}
    for request_id, guess in forecasts.items():
        before = written.get(request_id)
        if moved(before, guess.position, guess.start, guess.finish, now):
            store.set_queue(request_id, QueueEstimate(
                position=guess.position, estimated_start=as_datetime(guess.start),
                estimated_finish=as_datetime(guess.finish), measured_films=guess.measured_films,
                updated_at=as_datetime(now),
            ))
            before = [guess.position, guess.start, guess.finish]
        kept[request_id] = before
    context.update_cursor(json.dumps(kept))
    waiting = sum(1 for guess in forecasts.values() if guess.position)
    return SkipReason(f"{len(forecasts) - waiting} film(s) being made, {waiting} waiting")


def _film_run(instance: DagsterInstance, record, store: RequestStore) -> FilmRun:
    run = record.dagster_run
    request_id = _request_id(run)
    seconds = run.tags.get(SECONDS_TAG)
    if seconds is None:  # a run launched by hand from the Dagster UI
        stored = store.get(request_id)
        try:
            seconds = stored.request.target_seconds if stored else 300
        except ValidationError:
            seconds = 300
    stages = {key.path[-1] for key in run.asset_selection} if run.asset_selection else None
    finished, running = set(), {}
    if run.status not in WAITING:
        for step in instance.get_run_step_stats(run.run_id):
            if step.end_time is not None:
                finished.add(step.step_key)
            elif step.start_time is not None:
                running[step.step_key] = step.start_time
    return FilmRun(
        request_id=request_id, profile=run.tags.get(PROFILE_TAG, "embedded"), film_seconds=float(seconds),
        queued=run.status in WAITING, order=(-int(run.tags.get("dagster/priority", 0) or 0), record.create_timestamp),
        stages=stages, started_at=record.start_time, finished_stages=finished, running_since=running,
    )


def measured_times(instance: DagsterInstance, profile: str) -> RunTimes:
    """What this server's recent whole-film runs of a profile took."""
    records = instance.get_run_records(
        RunsFilter(statuses=[DagsterRunStatus.SUCCESS], tags={PROFILE_TAG: profile}), limit=MEASURED_RUNS * 2,
    )
    measured = []
    for record in records:
        run = record.dagster_run
        if FIX_TAG in run.tags or SECONDS_TAG not in run.tags or not record.start_time or not record.end_time:
            continue
        steps = [s for s in instance.get_run_step_stats(run.run_id) if s.start_time and s.end_time]
        if not steps:
            continue
        first, last = min(s.start_time for s in steps), max(s.end_time for s in steps)
        measured.append(FinishedRun(
            film_seconds=float(run.tags[SECONDS_TAG]),
            startup_s=max(first - record.start_time, 0.0) + max(record.end_time - last, 0.0),
            work_s=last - first,
            stage_s={s.step_key: s.end_time - s.start_time for s in steps},
        ))
        if len(measured) == MEASURED_RUNS:
            break
    return RunTimes.learn(profile, measured)


def queue_limits(instance: DagsterInstance) -> QueueLimits:
    """The run queue's limits as the daemon applies them (no limit where runs are not queued)."""
    config = instance.get_concurrency_config().run_queue_config
    if config is None:
        return QueueLimits(max_runs=None)
    tag_limits = {entry["value"]: entry["limit"] for entry in config.tag_concurrency_limits or []
                  if entry.get("key") == PROFILE_TAG and isinstance(entry.get("value"), str)}
    max_runs = config.max_concurrent_runs
    return QueueLimits(max_runs=None if max_runs is None or max_runs < 0 else max_runs, tag_limits=tag_limits)


film_sensors = [film_requests, film_done, film_failed, film_queue]
