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


def test_make_prints_the_film_path_and_a_summary(workdir):
    done = dreamreel("make", "--theme", "Two rival food-truck owners get stuck in the same elevator",
                     "--genre", "comedy", "--style", "comic", "--preview-seconds", "20",
                     cwd=workdir, env_home=workdir / "home")
    assert done.returncode == 0, done.stderr[-3000:]
    film = Path(done.stdout.strip().splitlines()[-1])
    assert film.is_file() and film.is_relative_to(workdir / "out")
    assert "time per stage" in done.stderr and "final_cut" in done.stderr
    assert "FAILED" not in done.stderr
    probe = ffprobe(film)
    assert 18 <= float(probe["format"]["duration"]) <= 22
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
