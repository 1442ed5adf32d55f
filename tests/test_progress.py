"""How often a stage's progress reaches the request store (each report is a billed Firestore
write): its start and end always; between them at most every 5 s, and only when it moved on by a
tenth or was quiet for a minute. The run's log gets every step."""

import types

import pytest

import dreamreel_assets.assets.common as common
from dreamreel_assets.assets.common import Progress


class Reports:
    def __init__(self):
        self.seen = []

    def report_progress(self, request_id, stage, done, total, note=""):
        self.seen.append((request_id, stage, done, total))


@pytest.fixture
def clock(monkeypatch):
    now = types.SimpleNamespace(value=1000.0)
    monkeypatch.setattr(common, "time", types.SimpleNamespace(monotonic=lambda: now.value))
    return now


def run_stage(clock, total: int, seconds_per_item: float) -> list[int]:
    reports = Reports()
    logged = []
    context = types.SimpleNamespace(partition_key="film-1", log=types.SimpleNamespace(debug=logged.append))
    progress = Progress(context, reports, "clips", total)
    for _ in range(total):
        clock.value += seconds_per_item
        progress.advance()
    assert len(logged) == total, "the log gets every step"
    assert {(r[0], r[1], r[3]) for r in reports.seen} == {("film-1", "clips", total)}
    return [r[2] for r in reports.seen]


def test_fast_items_report_only_start_and_end(clock):
    assert run_stage(clock, total=1000, seconds_per_item=0.004) == [0, 1000]  # a 4 s stage


def test_steady_items_report_each_tenth_at_most_every_five_seconds(clock):
    done = run_stage(clock, total=100, seconds_per_item=1.0)
    assert done[0] == 0 and done[-1] == 100
    assert done == sorted(done) and len(done) <= 12
    assert all(b - a >= 5 for a, b in zip(done[1:-1], done[2:-1])), "at least 5 s (5 items) apart"


def test_slow_items_each_report_and_a_long_stage_stays_bounded(clock):
    assert run_stage(clock, total=5, seconds_per_item=120) == [0, 1, 2, 3, 4, 5]
    done = run_stage(clock, total=400, seconds_per_item=20)  # over two hours of work
    assert len(done) <= 10 + 400 * 20 / 60 + 2 and len(done) < 400 / 2
