"""`dreamreel fix` and `dreamreel fixes`: the web app's fix from the command line, on SQLite and on
Firestore, end to end; bad fixes refused in one line before any work."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import instance_for_test
from emulators import BUCKET, PROJECT

from conftest import ffprobe
from dreamreel_assets.models import FilmRequest
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.stores.sqlite import SqliteRequestStore
from test_sensors import run_claimed_film, tick

REQUEST = FilmRequest(genre="fantasy", theme="A shy dragon opens a bakery in a mountain village",
                      style="storybook", preview_seconds=20, seed=5)
SHOT = "s2-sh1"


def dreamreel(*args: str, home: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DAGSTER_HOME": str(home), "HOME": str(home), **env}
    return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=600)


def files(folder: Path, pattern: str) -> set[str]:
    return {p.name for p in folder.glob(pattern) if not p.name.startswith(".")}


def assert_one_shot_redone(film_folder: Path, before_keyframes: set[str], before_clips: set[str]) -> None:
    """What the API's fix tests assert: the shot's keyframe and clip are new, every other one reused."""
    added_keyframes = files(film_folder / "keyframes", "s*-sh*.png") - before_keyframes
    added_clips = files(film_folder / "clips", "*.mp4") - before_clips
    assert [name.rsplit("-", 1)[0] for name in added_keyframes] == [SHOT]
    assert [name.rsplit("-", 1)[0] for name in added_clips] == [SHOT]


@pytest.fixture(scope="module")
def made_here(tmp_path_factory):
    """A 20-second film made with `dreamreel make` (SQLite, local files), once for these tests."""
    tmp_path = tmp_path_factory.mktemp("made-here")
    (tmp_path / "home").mkdir()
    made = dreamreel("make", "--theme", REQUEST.theme, "--genre", REQUEST.genre, "--style", REQUEST.style,
                     "--preview-seconds", "20", "--seed", "5", home=tmp_path / "home", cwd=tmp_path)
    assert made.returncode == 0, made.stderr[-3000:]
    film_id = Path(made.stdout.strip().splitlines()[-1]).relative_to(tmp_path / "out" / "films").parts[0]
    return tmp_path, film_id


def test_a_fix_from_the_command_line_redoes_one_shot_and_is_listed(made_here):
    workdir, film_id = made_here
    folder = workdir / "out" / "films" / film_id
    keyframes, clips = files(folder / "keyframes", "s*-sh*.png"), files(folder / "clips", "*.mp4")

    fixed = dreamreel("fix", film_id, "--stage", "keyframes", "--shot", SHOT, "--note", "at dawn, warm light",
                      home=workdir / "home", cwd=workdir)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert "keyframes" in fixed.stderr and "final_cut" in fixed.stderr and "script" not in fixed.stderr  # its bars
    assert_one_shot_redone(folder, keyframes, clips)
    record = SqliteRequestStore(workdir / "out" / "requests.sqlite").get(film_id)
    [fix] = record.fixes
    assert (fix.stage, fix.shot, fix.note, fix.status) == ("keyframes", SHOT, "at dawn, warm light", "done")
    assert record.status == "done"
    film = Path(fixed.stdout.strip().splitlines()[-1].removeprefix("file://"))
    assert 18 <= float(ffprobe(film)["format"]["duration"]) <= 22

    listed = dreamreel("fixes", film_id, home=workdir / "home", cwd=workdir)
    assert listed.returncode == 0 and fix.id in listed.stdout and "done" in listed.stdout and SHOT in listed.stdout


@pytest.mark.parametrize("args, message", [
    (["--stage", "keyframes", "--scene", "9"], "scene: "),
    (["--stage", "music", "--shot", SHOT], "music: the score is one piece"),
    (["--stage", "narration", "--shot", SHOT], "narration: name the scene"),
    (["--stage", "keyframes", "--shot", "s9-sh9"], "shot: is not a shot of this film"),
    (["--stage", "lighting", "--scene", "1"], "stage"),
])
def test_a_bad_fix_is_one_line_and_exit_2_before_any_work(made_here, args, message):
    workdir, film_id = made_here
    store = SqliteRequestStore(workdir / "out" / "requests.sqlite")
    fixes_before = store.get(film_id).fixes
    refused = dreamreel("fix", film_id, *args, home=workdir / "home", cwd=workdir)
    assert refused.returncode == 2 and refused.stdout == ""
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("error: ") and message in line, line
    assert store.get(film_id).fixes == fixes_before


def test_no_fix_for_a_film_being_made_or_missing(tmp_path):
    (tmp_path / "home").mkdir()
    store = SqliteRequestStore(tmp_path / "out" / "requests.sqlite")
    busy = store.submit(REQUEST.model_dump(mode="json", exclude_none=True)).id
    store.claim_queued(limit=1)
    for film_id, message in [(busy, "not now: the film is running"), ("no-such-film", "there is no film")]:
        refused = dreamreel("fix", film_id, "--stage", "music", home=tmp_path / "home", cwd=tmp_path)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr


def test_a_fix_from_the_command_line_on_firestore_and_storage(tmp_path, firestore_emulator, storage_emulator):
    requests = RequestStoreResource(backend="firestore", firebase_project=PROJECT)
    media = MediaStoreResource(backend="firebase", firebase_project=PROJECT, bucket=BUCKET, root=str(tmp_path / "cache"))
    store = requests.store()
    film_id = store.submit(REQUEST.model_dump(mode="json", exclude_none=True), user_id="ada").id
    (tmp_path / "home").mkdir()
    with instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        [run_request] = [r for r in tick(instance, requests).run_requests if r.partition_key == film_id]
        made = run_claimed_film(instance, media, requests, run_request)
        assert made.success
    store.set_status(film_id, "done")  # as the run-status sensor reports it
    folder = tmp_path / "cache" / "films" / film_id
    keyframes, clips = files(folder / "keyframes", "s*-sh*.png"), files(folder / "clips", "*.mp4")

    fixed = dreamreel("fix", film_id, "--stage", "clips", "--shot", SHOT, "--out", str(tmp_path / "cache"),
                      home=tmp_path / "home", cwd=tmp_path, DREAMREEL_STORE="firestore",
                      DREAMREEL_FIREBASE_PROJECT=PROJECT, DREAMREEL_FIREBASE_BUCKET=BUCKET)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert files(folder / "keyframes", "s*-sh*.png") == keyframes  # clips redone, keyframes reused
    assert [name.rsplit("-", 1)[0] for name in files(folder / "clips", "*.mp4") - clips] == [SHOT]
    [fix] = store.get(film_id).fixes
    assert (fix.stage, fix.shot, fix.status) == ("clips", SHOT, "done")
    uploaded = {stored.key for stored in media.store().files(f"films/{film_id}/clips/")}
    assert any(key.split("/")[-1].startswith(f"{SHOT}-") for key in uploaded - {f"films/{film_id}/clips/{c}" for c in clips})
