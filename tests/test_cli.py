"""`dreamreel make`: bad input is one line naming the field with exit code 2; a good one makes a film."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ffprobe

REPO = Path(__file__).resolve().parents[1]


def dreamreel(*args: str, cwd: Path, env_home: Path) -> subprocess.CompletedProcess:
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "DAGSTER_HOME": str(env_home),
           "HOME": str(env_home)}
    return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def as_options(fields: dict) -> list[str]:
    options = []
    for name, value in fields.items():
        options += [f"--{name.replace('_', '-')}", str(value)]
    return options


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "home").mkdir()
    return tmp_path


def test_each_invalid_sample_is_one_line_with_exit_code_2(sample_requests, workdir):
    for case in sample_requests["invalid"]:
        fields = dict(case["request"])
        if isinstance(fields.get("theme"), str):
            fields["theme"] = fields["theme"].replace("\x00", "\x1b")  # argv cannot carry NUL
        if "genre" not in fields:
            continue  # the CLI has a default genre; a missing field is covered by the model tests
        done = dreamreel("make", *as_options(fields), cwd=workdir, env_home=workdir / "home")
        assert done.returncode == 2, (case["why"], done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
        assert "Traceback" not in done.stderr
        assert not (workdir / "out").exists(), "nothing may start for a bad request"


def test_two_thousand_character_theme_is_refused(workdir):
    done = dreamreel("make", "--theme", "x" * 2000, cwd=workdir, env_home=workdir / "home")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: theme: must be at most 500 characters"


def test_a_language_the_writer_cannot_write_is_refused_before_any_work(workdir):
    done = dreamreel("make", "--theme", "Ein Drache eröffnet eine Bäckerei", "--language", "de",
                     cwd=workdir, env_home=workdir / "home")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("error: language: the template script writer writes English only, not German")
    assert not (workdir / "out").exists()


def test_make_prints_the_film_path_and_a_summary(workdir):
    """(With subtitles burned into the picture, as films for phones have them.)"""
    done = dreamreel("make", "--theme", "Two rival food-truck owners get stuck in the same elevator",
                     "--genre", "comedy", "--style", "comic", "--preview-seconds", "20", "--subtitles", "burned",
                     cwd=workdir, env_home=workdir / "home")
    assert done.returncode == 0, done.stderr[-3000:]
    film = Path(done.stdout.strip().splitlines()[-1])
    assert film.is_file() and film.is_relative_to(workdir / "out")
    assert "time per stage" in done.stderr and "final_cut" in done.stderr
    assert "FAILED" not in done.stderr
    probe = ffprobe(film)
    assert 18 <= float(probe["format"]["duration"]) <= 22
    assert sorted(s["codec_type"] for s in probe["streams"]) == ["audio", "video"]  # burned in, not a track
    assert (film.parent / "film.srt").is_file()  # and still there to download
    runs = list((workdir / "home").glob("**/*"))
    assert runs, "the run is recorded in DAGSTER_HOME for the UI"


def test_submit_queues_a_request_and_status_shows_it(workdir):
    home = workdir / "home"
    done = dreamreel("submit", "--theme", "A paper boat sails a flooded street", "--genre", "adventure",
                     "--user", "ada", cwd=workdir, env_home=home)
    assert done.returncode == 0, done.stderr
    request_id = done.stdout.strip()
    shown = dreamreel("status", request_id, cwd=workdir, env_home=home)
    assert shown.returncode == 0
    assert shown.stdout.startswith(f"{request_id}: queued (user ada")
    missing = dreamreel("status", "no-such-id", cwd=workdir, env_home=home)
    assert missing.returncode == 1 and missing.stderr.strip() == "error: no request 'no-such-id'"
    refused = dreamreel("submit", "--theme", "ab", cwd=workdir, env_home=home)
    assert refused.returncode == 2 and "theme:" in refused.stderr


def test_serve_without_a_built_client_says_how_to_build_it(workdir):
    result = dreamreel("serve", "--client", str(workdir / "no-client"), cwd=workdir, env_home=workdir / "home")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: no built web client in {workdir / 'no-client'}: run `make client` (or `make serve`)"
    same = dreamreel("serve", "--port", "3000", "--client", str(REPO / "client" / "dist"), cwd=workdir,
                     env_home=workdir / "home")
    assert same.returncode == 2 and "different ports" in same.stderr


def test_status_says_where_the_film_waits_and_when_it_should_be_ready(workdir):
    from datetime import datetime, timedelta, timezone

    from dreamreel_assets.stores.requests import QueueEstimate, SqliteRequestStore

    store = SqliteRequestStore(workdir / "out" / "requests.sqlite")
    request_id = store.submit({"theme": "A paper boat sails a flooded street"}, user_id="ada").id
    store.claim_queued(limit=1)  # running from the claim on, though its run waits in the queue
    now = datetime.now(timezone.utc)
    # 20 s past the minute: the CLI may take a while to start, the words stay the same
    store.set_queue(request_id, QueueEstimate(
        position=2, estimated_start=now + timedelta(minutes=4, seconds=20),
        estimated_finish=now + timedelta(minutes=12, seconds=20), measured_films=5, updated_at=now))

    def shown() -> list[str]:
        done = dreamreel("status", request_id, cwd=workdir, env_home=workdir / "home")
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    lines = shown()
    assert lines[0].startswith(f"{request_id}: running (user ada")
    assert lines[1] == ("  Waiting to start: 2nd in the queue · starts in about 4 min, ready in about 12 min"
                        " (estimated from 5 films made on this server)")

    store.set_queue(request_id, QueueEstimate(
        position=0, estimated_start=now, estimated_finish=now + timedelta(minutes=6, seconds=20),
        measured_films=0, updated_at=now))
    store.report_progress(request_id, "script", 1, 1, "The Paper Boat")
    assert shown()[1:] == ["  Being made · ready in about 6 min (a first guess: no film of this kind has been timed here yet)",
                           "  script            1/1 The Paper Boat"]

    store.set_status(request_id, "done", result={"video": "file:///film.mp4"})
    assert not any("queue" in line or "Being made" in line for line in shown())


def test_the_queue_in_words():
    from datetime import datetime, timedelta, timezone

    from dreamreel_assets.queue_words import describe_queue, in_about, ordinal
    from dreamreel_assets.stores.requests import QueueEstimate

    now = datetime(2025, 1, 1, 10, 0, tzinfo=timezone.utc)

    def at(seconds):
        return None if seconds is None else now + timedelta(seconds=seconds)

    def words(position, start_s=None, finish_s=None, measured=5):
        return describe_queue(QueueEstimate(position=position, estimated_start=at(start_s),
                                            estimated_finish=at(finish_s), measured_films=measured,
                                            updated_at=now), now)

    assert words(1, 30, 500, measured=1) == ("Waiting to start: next in the queue · starts in less than a minute,"
                                             " ready in about 8 min (estimated from 1 film made on this server)")
    assert words(3, 5000, 9000, measured=0) == (
        "Waiting to start: 3rd in the queue · starts in about 1 h 25 min, ready in about 2 h 30 min"
        " (a first guess: no film of this kind has been timed here yet)")
    assert words(2, -10, 60) == ("Waiting to start: 2nd in the queue · starts soon, ready in about 1 min"
                                 " (estimated from 5 films made on this server)")
    assert words(0, -100, -5) == "Being made · ready soon (estimated from 5 films made on this server)"
    assert words(0, -100, None) == "Being made"  # no times: nothing to say they come from
    assert words(12) == "Waiting to start: 12th in the queue"
    naive = QueueEstimate(position=0, estimated_finish=datetime(2025, 1, 1, 10, 6), updated_at=now)
    assert describe_queue(naive, now) == ("Being made · ready in about 6 min"
                                          " (a first guess: no film of this kind has been timed here yet)")
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert [in_about(s) for s in (0, 59, 90, 3599, 3600, 5100, 40_000)] == [
        "soon", "in less than a minute", "in about 2 min", "in about 1 h", "in about 1 h",
        "in about 1 h 25 min", "in about 11 h"]
