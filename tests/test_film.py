"""The whole graph, materialized for real on the embedded backends, and the film decoded."""

import re

import numpy as np
import pytest
from conftest import ffprobe
from PIL import Image

from dreamreel_assets.timeline import TRANSITION_S


def streams(probe: dict, kind: str) -> list[dict]:
    return [s for s in probe["streams"] if s["codec_type"] == kind]


def test_every_asset_and_check_succeeds(preview_film):
    result = preview_film.result
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert materialized == {"film_request", "script", "character_sheets", "keyframes", "narration",
                            "music", "clips", "final_cut", "published_cut"}
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(evaluations) == {"duration_within_request", "audio_video_in_sync", "loudness_on_target",
                                "no_clipping", "every_scene_present", "no_black_shots"}
    failed = {name: e.description for name, e in evaluations.items() if not e.passed}
    assert not failed


def test_film_streams_are_h264_and_aac_at_720p24(preview_film):
    probe = ffprobe(preview_film.path(preview_film.cut.video))
    [video] = streams(probe, "video")
    [audio] = streams(probe, "audio")
    assert (video["codec_name"], video["pix_fmt"]) == ("h264", "yuv420p")
    assert (video["width"], video["height"]) == (1280, 720)
    assert video["avg_frame_rate"] == "24/1"
    assert (audio["codec_name"], int(audio["sample_rate"])) == ("aac", 48000)
    assert "mov_text" in {s["codec_name"] for s in streams(probe, "subtitle")}
    assert probe["format"]["format_name"].startswith("mov,mp4")


def test_film_lasts_as_requested_with_streams_in_sync(preview_film):
    probe = ffprobe(preview_film.path(preview_film.cut.video))
    video_s = float(streams(probe, "video")[0]["duration"])
    audio_s = float(streams(probe, "audio")[0]["duration"])
    assert abs(video_s - audio_s) <= 1 / 24
    assert 27 <= video_s <= 33
    assert abs(video_s - preview_film.cut.duration_s) <= 1 / 24


def test_moov_atom_comes_first_for_streaming(preview_film):
    data = preview_film.path(preview_film.cut.video).read_bytes()[:1 << 16]
    assert 0 < data.find(b"moov") < data.find(b"mdat") or data.find(b"mdat") == -1


def test_subtitles_follow_the_narration(preview_film):
    text = preview_film.path(preview_film.cut.subtitles).read_text(encoding="utf-8")
    assert text.startswith("WEBVTT")
    times = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", text)
    narration = preview_film.result.output_for_node("narration")
    assert len(times) >= sum(len(s.cues) for s in narration.scenes) > 0  # long sentences take several cues
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.splitlines()[2:] if line]
        assert 1 <= len(lines) <= 2 and all(len(re.sub(r"<v [^>]*>", "", line)) <= 42 for line in lines), block
    srt = preview_film.path(preview_film.cut.srt).read_text(encoding="utf-8")
    assert len(re.findall(r"\d\d:\d\d:\d\d,\d{3} --> ", srt)) == len(times)
    seconds = [(int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000,
                int(h2) * 3600 + int(m2) * 60 + int(s2) + int(ms2) / 1000)
               for h, m, s, ms, h2, m2, s2, ms2 in times]
    assert all(start < end for start, end in seconds)
    assert all(a[1] <= b[0] + 1e-3 for a, b in zip(seconds, seconds[1:]))  # in order, no overlap
    assert seconds[-1][1] <= preview_film.cut.duration_s


def test_narration_starts_inside_its_scene(preview_film):
    timeline = preview_film.cut.timeline
    for scene in timeline.scenes:
        assert scene.start < scene.narration_start < scene.start + scene.duration
    starts = [s.start for s in timeline.scenes]
    durations = [s.duration for s in timeline.scenes]
    for i in range(1, len(starts)):
        assert starts[i] == pytest.approx(starts[i - 1] + durations[i - 1] - TRANSITION_S, abs=1 / 24)


def test_poster_is_a_frame_sized_jpeg(preview_film):
    poster = Image.open(preview_film.path(preview_film.cut.poster))
    assert poster.format == "JPEG"
    assert poster.size == (1280, 720)
    assert 0.1 < np.asarray(poster.convert("L")).mean() / 255 < 0.9


def test_every_shot_has_a_clip_of_its_length(preview_film):
    clips = preview_film.result.output_for_node("clips")
    script = preview_film.result.output_for_node("script")
    assert [c.shot_id for c in clips.clips] == [s.id for s in script.shots]
    for clip in clips.clips[:4]:
        probe = ffprobe(preview_film.path(clip.video))
        [video] = streams(probe, "video")
        assert int(video["nb_frames"]) == clip.frames


def test_portrait_film_is_9_by_16(portrait_film):
    assert portrait_film.result.success
    probe = ffprobe(portrait_film.path(portrait_film.cut.video))
    [video] = streams(probe, "video")
    assert (video["width"], video["height"]) == (720, 1280)
    assert Image.open(portrait_film.path(portrait_film.cut.poster)).size == (720, 1280)


def test_rematerializing_reuses_unchanged_media(preview_film):
    from conftest import make_film

    again = make_film(preview_film.request, preview_film.out, preview_film.instance)
    keyframes = again.result.asset_materializations_for_node("keyframes")[0]
    clips = again.result.asset_materializations_for_node("clips")[0]
    shots = len(again.result.output_for_node("script").shots)
    assert keyframes.metadata["reused"].value == shots
    assert clips.metadata["reused"].value == shots
    assert again.cut.video.sha256 and again.result.success


def test_script_metadata_shows_markdown(preview_film):
    [materialization] = preview_film.result.asset_materializations_for_node("script")
    assert materialization.metadata["script"].value.startswith("# ")
    assert materialization.metadata["backend"].value == "template"
