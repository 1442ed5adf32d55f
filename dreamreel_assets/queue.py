"""Waiting, in words: each film's place in Dagster's run queue, and when it should start and be ready.

Dagster's queued run coordinator decides what runs when; this module only predicts it. From the
films this server has finished it learns, per profile, how long a run takes to start and how many
seconds of work each second of film costs, and how that work divides between the stages. It then
replays the queue (the run limit, the GPU tag limit, queue order) to estimate every waiting run's
start and every run's finish. Estimates are written into the requests only when they move, so an
idle or steady queue costs no store writes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone

FIRST_GUESS = {"embedded": (30.0, 0.3), "gpu": (90.0, 15.0)}
"""Start-up seconds and work seconds per film second before anything was measured: the embedded
backends' benchmark on 2 cores, and CogVideoX-class video on one GPU."""
MEASURED_RUNS = 20
"""How many recent finished films of a profile the estimate learns from."""


@dataclass(frozen=True)
class FinishedRun:
    """A whole film's successful run, as measured: its length, wall time and stage times."""

    film_seconds: float
    startup_s: float
    work_s: float
    stage_s: dict[str, float]


@dataclass(frozen=True)
class RunTimes:
    """What a profile's runs cost on this server: start-up, work per film second, stage shares."""

    startup_s: float
    work_per_film_second: float
    stage_share: dict[str, float] = field(default_factory=dict)
    measured_films: int = 0
    same_length_work_s: dict[float, float] = field(default_factory=dict)

    @classmethod
    def first_guess(cls, profile: str) -> RunTimes:
        startup, per_second = FIRST_GUESS.get(profile, FIRST_GUESS["embedded"])
        return cls(startup_s=startup, work_per_film_second=per_second)

    @classmethod
    def learn(cls, profile: str, runs: list[FinishedRun]) -> RunTimes:
        if not runs:
            return cls.first_guess(profile)
        totals: dict[str, list[float]] = {}
        for run in runs:
            spent = sum(run.stage_s.values()) or 1.0
            for stage, seconds in run.stage_s.items():
                totals.setdefault(stage, []).append(seconds / spent)
        shares = {stage: statistics.median(values) for stage, values in totals.items()}
        norm = sum(shares.values()) or 1.0
        by_length: dict[float, list[float]] = {}
        for run in runs:
            by_length.setdefault(run.film_seconds, []).append(run.work_s)
        return cls(
            startup_s=statistics.median(run.startup_s for run in runs),
            work_per_film_second=statistics.median(run.work_s / max(run.film_seconds, 1.0) for run in runs),
            stage_share={stage: share / norm for stage, share in shares.items()},
            measured_films=len(runs),
            same_length_work_s={length: statistics.median(works) for length, works in by_length.items()},
        )

    def work_s(self, film_seconds: float, stages: set[str] | None = None) -> float:
        """Seconds of work for a film of this length: what films of the same length took, else
        scaled by length; only the given stages' share of it for a partial run (a fix)."""
        whole = self.same_length_work_s.get(film_seconds, self.work_per_film_second * film_seconds)
        if stages is None or not self.stage_share:
            return whole
        return whole * sum(self.stage_share.get(stage, 0.0) for stage in stages)


@dataclass(frozen=True)
class FilmRun:
    """A run of a film that is queued or in progress, with what is known of it now."""

    request_id: str
    profile: str
    film_seconds: float
    queued: bool
    order: tuple
    """Dagster's dequeue order: higher priority first, then older first."""
    stages: set[str] | None = None
    """The stages this run makes (None: all); a fix makes a few."""
    started_at: float | None = None
    finished_stages: set[str] = field(default_factory=set)
    running_since: dict[str, float] = field(default_factory=dict)
    """Stages in progress, and when each began."""


@dataclass(frozen=True)
class QueueLimits:
    max_runs: int | None
    """None: no limit (every queued run starts at once)."""
    tag_limits: dict[str, int] = field(default_factory=dict)
    """Limit per profile (from the queue's tag limits on `dreamreel/profile`)."""


@dataclass(frozen=True)
class Forecast:
    position: int
    start: float
    finish: float
    measured_films: int


def remaining_s(run: FilmRun, times: RunTimes, now: float) -> float:
    """Seconds until a started run ends: the work of stages not yet finished, less the time
    already spent on those in progress."""
    stages = set(times.stage_share) if run.stages is None and times.stage_share else run.stages
    if not times.stage_share:
        total = times.startup_s + times.work_s(run.film_seconds)
        return max(total - (now - (run.started_at or now)), 1.0)
    left = 0.0
    whole = times.work_s(run.film_seconds)
    for stage in stages or ():
        if stage in run.finished_stages:
            continue
        expected = whole * times.stage_share.get(stage, 0.0)
        if stage in run.running_since:
            expected -= min(now - run.running_since[stage], expected * 0.9)
        left += expected
    if not run.finished_stages and not run.running_since and run.started_at is not None:
        left += max(times.startup_s - (now - run.started_at), 0.0)
    return max(left, 1.0)


def forecast(runs: list[FilmRun], times: dict[str, RunTimes], limits: QueueLimits, now: float) -> dict[str, Forecast]:
    """Replay the queue: runs in progress end when their remaining work is done; each queued run,
    in queue order, starts at the first moment both the run limit and its profile's limit allow."""
    busy: list[tuple[float, float, str]] = []  # (start, finish, profile) of runs started or placed
    result: dict[str, Forecast] = {}
    for run in (r for r in runs if not r.queued):
        run_times = times[run.profile]
        finish = now + remaining_s(run, run_times, now)
        busy.append((now, finish, run.profile))
        result[run.request_id] = Forecast(0, run.started_at or now, finish, run_times.measured_films)
    queued = sorted((r for r in runs if r.queued), key=lambda r: r.order)
    for position, run in enumerate(queued, start=1):
        run_times = times[run.profile]
        start = _first_free_moment(busy, run.profile, limits, now)
        finish = start + run_times.startup_s + run_times.work_s(run.film_seconds, run.stages)
        busy.append((start, finish, run.profile))
        result[run.request_id] = Forecast(position, start, finish, run_times.measured_films)
    return result


def _first_free_moment(busy: list[tuple[float, float, str]], profile: str, limits: QueueLimits, now: float) -> float:
    profile_limit = limits.tag_limits.get(profile)
    for moment in sorted({now, *(finish for _, finish, _ in busy if finish > now)}):
        active = [p for start, finish, p in busy if start <= moment < finish]
        if limits.max_runs is not None and len(active) >= limits.max_runs:
            continue
        if profile_limit is not None and active.count(profile) >= profile_limit:
            continue
        return moment
    return max((finish for _, finish, _ in busy), default=now)


def moved(before: list | None, position: int, start: float, finish: float, now: float) -> bool:
    """Worth a store write: a new place in the queue, or times that moved by more than 30 s or
    a tenth of the wait (a person cannot tell smaller moves apart)."""
    if before is None or before[0] != position:
        return True
    tolerance = max(30.0, 0.1 * max(finish - now, 0.0))
    return abs(before[1] - start) > tolerance or abs(before[2] - finish) > tolerance


def as_datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(round(timestamp), tz=timezone.utc)


def clock(now: datetime | None = None) -> float:
    return (now or datetime.now(timezone.utc)).timestamp()

