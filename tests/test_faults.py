"""Faults injected into a real film: a truncated clip, a full disk while the final cut is written,
a run killed mid-clips.
The film is made again where it must be, reused where it can be, and nothing already made is lost."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

from dagster import AssetSelection, materialize

from conftest import ffprobe, make_film
from dreamreel_assets.assets import film_assets
from dreamreel_assets.backends import assembler
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.models import FilmRequest
from dreamreel_assets.sensors import error_in_words
from dreamreel_assets.stores.sqlite import SqliteRequestStore

REQUEST = FilmRequest(genre="drama", theme="Two sisters repair their late father's fishing boat", style="watercolor",
                      preview_seconds=20, seed=4)


def redo(made, selection: str, **kwargs):
    return materialize([*film_assets, *final_cut_checks], selection=AssetSelection.assets(selection).downstream(),
                       partition_key=made.film_id, instance=made.instance, resources=made.resources, **kwargs)


def test_a_truncated_clip_is_made_again_and_the_rest_reused(tmp_path, instance):
    made = make_film(REQUEST, tmp_path, instance)
    assert made.result.success
    clips = made.result.output_for_node("clips").clips
    broken = made.path(clips[1].video)
    broken.write_bytes(broken.read_bytes()[:100])  # half a file where a whole one was

    again = redo(made, "clips")
    assert again.success
    [materialized] = again.asset_materializations_for_node("clips")
    assert materialized.metadata["reused"].value == len(clips) - 1
    remade = again.output_for_node("clips").clips[1]
    assert remade.video.sha256 == clips[1].video.sha256  # the same clip, made again whole
    assert ffprobe(made.path(remade.video))["streams"][0]["nb_frames"] == str(clips[1].frames)
    failed = [e.check_name for e in again.get_asset_check_evaluations() if not e.passed]
    assert failed == []


def test_a_full_disk_while_the_cut_is_written_fails_in_words_and_keeps_the_film(tmp_path, instance, monkeypatch):
    made = make_film(REQUEST, tmp_path, instance)
    film = made.path(made.cut.video)
    before = film.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(assembler, "mux_film", disk_full)
    again = redo(made, "final_cut", raise_on_error=False)
    assert not again.success
    failure = next(e for e in again.all_events if e.event_type_value == "STEP_FAILURE")
    said = error_in_words(failure.event_specific_data.error)  # what the film's page shows
    assert failure.step_key == "final_cut" and said == "OSError: [Errno 28] No space left on device", said
    assert film.read_bytes() == before  # the film people watch is untouched


def test_a_gpu_out_of_memory_is_retried_with_the_models_further_offloaded(tmp_path, instance, monkeypatch):
    import torch

    from dreamreel_assets.backends import accelerator
    from dreamreel_assets.backends.animator.camera import CameraMoveAnimator

    calls = []
    frames = CameraMoveAnimator.frames

    def runs_out_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return frames(self, *args, **kwargs)

    monkeypatch.setattr(CameraMoveAnimator, "frames", runs_out_once)
    try:
        made = make_film(REQUEST.model_copy(update={"seed": 9}), tmp_path, instance)
        assert made.result.success
        assert accelerator.Accelerator().strategy_for(object()) == "model_cpu_offload"  # one step lower
    finally:
        accelerator.restore_memory_plan()
    attempts = [e for e in made.result.all_events if e.event_type_value == "STEP_RESTARTED" and e.step_key == "clips"]
    assert len(attempts) == 1
    probe = ffprobe(made.path(made.cut.video))
    assert 18 <= float(probe["format"]["duration"]) <= 22


def test_a_writer_that_fails_transiently_then_permanently_is_tried_again_once_then_given_up(tmp_path, instance):
    from dreamreel_assets.resources.backends import WriterResource
    from tiny_lm import FakeChatServer

    replies = iter([503] * 3 + ["not a script"] * 3 + ["never asked"] * 10)
    with FakeChatServer(lambda body: next(replies)) as server:
        writer = WriterResource(backend="openai", base_url=server.base_url, model="m", api_key="k")
        made = make_film(REQUEST.model_copy(update={"seed": 10}), tmp_path, instance, raise_on_error=False,
                         writer=writer).result
    restarts = [e for e in made.all_events if e.event_type_value == "STEP_RESTARTED"]
    assert [e.step_key for e in restarts] == ["script"]  # the 503s: tried again
    failure = next(e for e in made.all_events if e.event_type_value == "STEP_FAILURE")
    said = error_in_words(failure.event_specific_data.error)
    assert said.startswith("openai:m wrote no valid script in 3 attempts; last problem: the reply contains no JSON"), said
    assert len(server.requests) == 6  # 3 answered 503 (the client's own 2 retries), then 3 attempts; no more



def test_a_run_killed_mid_clips_resumes_from_failure_and_reuses_every_clip_made(tmp_path):
    """SIGKILL, as the kernel's OOM killer or a lost machine would: no handler, no clean-up."""
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home"), "DREAMREEL_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "home").mkdir()
    store = SqliteRequestStore(tmp_path / "data" / "requests.sqlite")
    film_id = store.submit(REQUEST.model_dump(mode="json", exclude_none=True)).id
    script = str(Path(__file__).with_name("crashing_film.py"))

    started = subprocess.run([sys.executable, script, "start", film_id], env={**env, "CRASHING_FILM_KILL_AT_CLIP": "3"},
                             capture_output=True, timeout=600, start_new_session=True)
    assert started.returncode == -9, started.stderr.decode()[-2000:]
    clip_folder = tmp_path / "data" / "films" / film_id / "clips"
    made_before = {p.name: p.stat().st_mtime_ns for p in clip_folder.glob("[!.]*.mp4")}  # committed clips
    assert 1 <= len(made_before) <= 2  # two animators at work: the clip that began first may be half made
    assert store.get(film_id).status == "running"

    resumed = subprocess.run([sys.executable, script, "resume", film_id], env=env, capture_output=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr.decode()[-3000:]
    outcome = json.loads(resumed.stdout.decode().strip().splitlines()[-1])
    assert outcome["success"], resumed.stderr.decode()[-2000:]
    assert outcome["killed_status"] == "STARTED"  # killed, not failed: nothing in the run had a say
    assert outcome["reused_clips"] == len(made_before)  # every whole clip, and nothing half made
    assert "script" not in outcome["steps"] and "keyframes" not in outcome["steps"]  # done before the kill
    assert {"clips", "final_cut"} <= set(outcome["steps"])
    assert {p.name: p.stat().st_mtime_ns for p in clip_folder.glob("*.mp4") if p.name in made_before} == made_before
    film = ffprobe(Path(urllib.parse.urlparse(outcome["video"]).path))
    assert {s["codec_type"] for s in film["streams"]} == {"video", "audio", "subtitle"}
    assert abs(float(film["format"]["duration"]) - 20) <= 2
