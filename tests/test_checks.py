"""The final cut's checks pass on a good film and fail on deliberately broken ones."""

import subprocess

import pytest

from dreamreel_assets.backends.media_tools import ffmpeg_exe
from dreamreel_assets.checks import (
    black_shots_result,
    duration_result,
    loudness_result,
    scenes_result,
    sync_result,
    true_peak_result,
)
from dreamreel_assets.models import SceneTiming, ShotTiming, Timeline


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-y", "-loglevel", "error", *args], check=True)


@pytest.fixture(scope="module")
def broken_film(tmp_path_factory):
    """Five seconds of black picture over two seconds of silence."""
    path = tmp_path_factory.mktemp("broken") / "broken.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x180:r=24:d=5",
           "-f", "lavfi", "-t", "2", "-i", "anullsrc=r=48000:cl=stereo",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path))
    return path


@pytest.fixture(scope="module")
def bright_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=24:d=5", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path))
    return path


def one_scene_timeline() -> Timeline:
    shots = [ShotTiming(shot_id=f"s1-sh{i}", scene_index=1, start=i * 1.5, duration=1.5) for i in range(3)]
    return Timeline(fps=24, transition_s=1.0, duration=4.5,
                    scenes=[SceneTiming(scene_index=1, start=0, duration=4.5, narration_start=0.8, shots=shots)])


def test_good_film_passes_every_check(preview_film):
    video = preview_film.path(preview_film.cut.video)
    timeline = preview_film.cut.timeline
    script = preview_film.result.output_for_node("script")
    clips = {c.shot_id: preview_film.path(c.video) for c in preview_film.result.output_for_node("clips").clips}
    results = [
        duration_result(video, preview_film.request.target_seconds),
        sync_result(video, 24),
        loudness_result(video, -16.0),
        scenes_result(video, timeline, script, clips),
        black_shots_result(video, timeline),
        true_peak_result(video),
    ]
    assert [r.description for r in results if not r.passed] == []
    assert results[-1].metadata["true_peak_dbtp"].value <= -1.0
    assert abs(results[2].metadata["lufs"].value + 16) <= 1.0


def test_wrong_length_fails(broken_film):
    result = duration_result(broken_film, 30.0)
    assert not result.passed
    assert "5.0 s" in result.description


def test_audio_shorter_than_video_fails(broken_film):
    result = sync_result(broken_film, 24)
    assert not result.passed
    assert result.metadata["drift_ms"].value > 2000


def test_silence_fails_loudness(broken_film):
    assert not loudness_result(broken_film, -16.0).passed


def test_black_shots_are_named(broken_film):
    result = black_shots_result(broken_film, one_scene_timeline())
    assert not result.passed
    assert result.metadata["black_shots"].value == ["s1-sh0", "s1-sh1", "s1-sh2"]


def test_scene_not_shown_fails(preview_film, broken_film, bright_clip):
    script = preview_film.result.output_for_node("script")
    timeline = one_scene_timeline()
    clips = {shot.shot_id: bright_clip for shot in timeline.scenes[0].shots}
    result = scenes_result(broken_film, timeline, script, clips)
    assert not result.passed
    assert "missing" in result.description  # the script's other scenes are not on this timeline


def test_a_clipping_film_fails_true_peak(tmp_path):
    """A full-scale square wave: its peaks sit at 0 dBFS and overshoot between samples."""
    loud = tmp_path / "loud.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x180:r=24:d=2",
           "-f", "lavfi", "-i", "aevalsrc='if(lt(mod(t*997,1),0.5),1,-1)':s=48000:d=2",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", str(loud))
    result = true_peak_result(loud)
    assert not result.passed and result.metadata["true_peak_dbtp"].value > -1.0
    assert result.description.startswith("true peak ")
