"""The queue forecast: places and times as Dagster's queue would give them, from measured runs."""

from dreamreel_assets.queue import FilmRun, FinishedRun, QueueLimits, RunTimes, forecast, moved, remaining_s

NOW = 1_000_000.0


def measured(film_seconds=20.0, work=40.0, startup=20.0) -> FinishedRun:
    return FinishedRun(film_seconds=film_seconds, startup_s=startup, work_s=work,
                       stage_s={"script": 0.1 * work, "keyframes": 0.3 * work, "clips": 0.6 * work})


def waiting(request_id: str, order: int, profile="embedded", seconds=20.0, stages=None) -> FilmRun:
    return FilmRun(request_id, profile, seconds, queued=True, order=(0, order), stages=stages)


def started(request_id: str, started_at: float, finished=(), running=None, seconds=20.0) -> FilmRun:
    return FilmRun(request_id, "embedded", seconds, queued=False, order=(0, 0), started_at=started_at,
                   finished_stages=set(finished), running_since=running or {})


def test_a_first_guess_says_nothing_was_measured():
    guess = RunTimes.learn("embedded", [])
    assert guess.measured_films == 0 and guess.work_s(300) > guess.work_s(20) > 0


def test_measured_runs_give_start_up_work_rate_and_stage_shares():
    times = RunTimes.learn("embedded", [measured(work=40), measured(work=60), measured(work=50)])
    assert times.measured_films == 3 and times.startup_s == 20
    assert times.work_s(20) == 50  # films of the same length: their median
    assert times.work_s(40) == 2 * 50  # another length: scaled per film second
    assert abs(sum(times.stage_share.values()) - 1) < 1e-9
    assert abs(times.work_s(20, {"clips"}) - 30) < 1e-9  # a fix of clips: the clips' share only


def test_queued_runs_wait_for_the_run_limit_in_queue_order():
    times = {"embedded": RunTimes.learn("embedded", [measured(work=40, startup=20)])}
    runs = [started("a", NOW - 10), started("b", NOW - 10), waiting("d", 2), waiting("c", 1)]
    result = forecast(runs, times, QueueLimits(max_runs=2), NOW)
    assert result["a"].position == result["b"].position == 0
    assert (result["c"].position, result["d"].position) == (1, 2)
    # c starts when a running film ends; d when the other one does: both right after them
    assert result["c"].start >= NOW and result["c"].start == min(result["a"].finish, result["b"].finish)
    assert result["d"].start == max(result["a"].finish, result["b"].finish)
    assert result["c"].finish == result["c"].start + 20 + 40
    assert result["c"].measured_films == 1


def test_without_a_limit_every_queued_run_starts_now():
    times = {"embedded": RunTimes.first_guess("embedded")}
    result = forecast([waiting(str(i), i) for i in range(5)], times, QueueLimits(max_runs=None), NOW)
    assert {guess.start for guess in result.values()} == {NOW}


def test_gpu_runs_wait_for_the_gpu_while_embedded_runs_go_past():
    times = {"embedded": RunTimes.first_guess("embedded"), "gpu": RunTimes.first_guess("gpu")}
    runs = [waiting("g1", 1, "gpu"), waiting("g2", 2, "gpu"), waiting("e1", 3)]
    result = forecast(runs, times, QueueLimits(max_runs=3, tag_limits={"gpu": 1}), NOW)
    assert result["g1"].start == NOW and result["e1"].start == NOW
    assert result["g2"].start == result["g1"].finish


def test_a_started_run_finishes_sooner_as_its_stages_finish():
    times = RunTimes.learn("embedded", [measured(work=100, startup=10)])
    fresh = remaining_s(started("a", NOW - 10), times, NOW)
    later = remaining_s(started("a", NOW - 60, finished={"script", "keyframes"}), times, NOW)
    in_clips = remaining_s(started("a", NOW - 90, finished={"script", "keyframes"}, running={"clips": NOW - 30}),
                           times, NOW)
    assert fresh > later > in_clips >= 1


def test_estimates_are_written_again_only_when_they_move():
    assert moved(None, 1, NOW, NOW + 60, NOW)
    assert moved([2, NOW, NOW + 60], 1, NOW, NOW + 60, NOW)
    assert not moved([1, NOW, NOW + 60], 1, NOW + 5, NOW + 70, NOW)
    assert moved([1, NOW, NOW + 600], 1, NOW, NOW + 700, NOW)
