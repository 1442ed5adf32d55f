"""The ElevenLabs narrator against a fake ElevenLabs on loopback (tests/fake_elevenlabs.py): the
official SDK's requests, answered as ElevenLabs answers them."""

from __future__ import annotations

import numpy as np
import pytest
from dagster import AssetSelection, materialize
from elevenlabs import ElevenLabs

from conftest import cue_offsets, ffprobe, make_film
from dreamreel_assets.assets import film_assets
from dreamreel_assets.backends.narrator.elevenlabs import SAMPLE_RATE, ElevenLabsError, ElevenLabsNarrator
from dreamreel_assets.backends.narrator.espeak import split_sentences
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.models import FilmRequest, Line
from dreamreel_assets.resources.backends import NarratorResource
from fake_elevenlabs import FakeElevenLabs

LINES = [
    Line(speaker="narrator", text="The tide came in early that night. Nobody on the island noticed."),
    Line(speaker="mara", text="Did you hear that? Someone is ringing the old bell."),
    Line(speaker="narrator", text="Mara ran down to the harbour."),
]
VOICES = {"narrator": "narrator-warm", "mara": "female-bright"}


@pytest.fixture
def fake():
    server = FakeElevenLabs(concurrency=2)
    yield server
    server.close()


def narrator_for(fake: FakeElevenLabs, tmp_path, key: str | None = None, timeout_s: float = 10, **options):
    client = ElevenLabs(api_key=key or fake.key, base_url=fake.url, timeout=timeout_s)
    waits = []
    narrator = ElevenLabsNarrator(client, cache_dir=tmp_path / "cache", sleep=waits.append, **options)
    return narrator, waits


def test_speech_with_timestamps_gives_a_cue_per_sentence_where_it_is_heard(fake, tmp_path):
    narrator, waits = narrator_for(fake, tmp_path)
    scene = narrator.speak(LINES, VOICES)
    assert scene.sample_rate == SAMPLE_RATE and scene.duration_s > 4
    assert [cue.text for cue in scene.cues] == [
        "The tide came in early that night.", "Nobody on the island noticed.", "Did you hear that?",
        "Someone is ringing the old bell.", "Mara ran down to the harbour."]
    assert [cue.speaker for cue in scene.cues] == ["narrator", "narrator", "mara", "mara", "narrator"]
    assert all(a.end <= b.start for a, b in zip(scene.cues, scene.cues[1:]))
    offsets = cue_offsets(scene.cues, scene.samples, scene.sample_rate)
    assert max(offsets) <= 0.1, offsets
    print(f"cue start offsets from the speech heard: {[round(o * 1000) for o in offsets]} ms")
    assert sorted(r["voice_id"] for r in fake.requests) == sorted(  # lines go out in parallel
        ["JBFqnCBsd6RMkjVDRZzb", "EXAVITQu4vr4xnSDxMaL", "JBFqnCBsd6RMkjVDRZzb"])
    assert {r["model_id"] for r in fake.requests} == {"eleven_multilingual_v2"}
    assert {tuple(r["query"]["output_format"]) for r in fake.requests} == {("pcm_22050",)}
    assert waits == []


def test_a_line_already_spoken_is_never_paid_for_twice(fake, tmp_path):
    narrator, _ = narrator_for(fake, tmp_path)
    first = narrator.speak(LINES, VOICES)
    again, _ = narrator_for(fake, tmp_path)
    second = again.speak(LINES, VOICES)
    assert len(fake.requests) == 3 and again.calls == 0
    assert np.array_equal(first.samples, second.samples) and first.cues == second.cues
    other_take, _ = narrator_for(fake, tmp_path)
    other_take.speak(LINES[:1], VOICES, take=1)
    assert len(fake.requests) == 4 and fake.requests[-1]["seed"] == 1, "another take is another reading"


def test_never_more_requests_at_once_than_the_plan_allows(fake, tmp_path):
    lines = [Line(speaker="narrator", text=f"Line number {n} of a long scene.") for n in range(8)]
    narrator, waits = narrator_for(fake, tmp_path, max_concurrency=2)
    narrator.speak(lines, VOICES)
    assert len(fake.requests) == 8 and fake.most_in_flight == 2 and fake.refused_for_concurrency == 0
    assert waits == []


def test_429s_are_waited_out_as_elevenlabs_means_them(fake, tmp_path):
    fake.plan({"status": 429, "code": "too_many_concurrent_requests", "retry_after": 3},
              {"status": 429, "code": "system_busy"}, {"status": 503, "code": "service_unavailable"})
    narrator, waits = narrator_for(fake, tmp_path, max_concurrency=1)
    scene = narrator.speak(LINES[:1], VOICES)
    assert len(scene.cues) == 2
    assert waits == [3.0, 2.0, 4.0], "Retry-After when given, else a growing pause"
    assert len(fake.requests) == 4


@pytest.mark.parametrize("planned, reason", [
    ({"status": 401, "code": "quota_exceeded", "message": "This request exceeds your quota of 10000."},
     "the ElevenLabs account has used up its quota: This request exceeds your quota of 10000."),
    ({"status": 400, "code": "text_too_long", "message": "Text is too long."},
     "ElevenLabs refused the request (HTTP 400): Text is too long."),
])
def test_a_refusal_fails_at_once_naming_its_cause(fake, tmp_path, planned, reason):
    fake.plan(planned)
    narrator, waits = narrator_for(fake, tmp_path, max_concurrency=1)
    with pytest.raises(ElevenLabsError) as failure:
        narrator.speak(LINES[:1], VOICES)
    assert str(failure.value) == reason and waits == [] and len(fake.requests) == 1


def test_a_bad_key_and_an_unknown_voice_are_named(fake, tmp_path):
    narrator, _ = narrator_for(fake, tmp_path, key="not-the-key")
    with pytest.raises(ElevenLabsError, match="^ElevenLabs refused the API key: check ELEVENLABS_API_KEY$"):
        narrator.speak(LINES[:1], VOICES)
    unknown, _ = narrator_for(fake, tmp_path, voice_ids={"narrator-warm": "no-such-voice"})
    with pytest.raises(ElevenLabsError) as failure:
        unknown.speak(LINES[:1], VOICES)
    assert str(failure.value) == ("ElevenLabs has no such voice: A voice with voice_id no-such-voice was not found. "
                                  "(map the preset to one of yours: `dreamreel voices`)")


def test_server_errors_and_timeouts_are_tried_a_bounded_number_of_times(fake, tmp_path):
    fake.plan(*[{"status": 500, "code": "internal"}] * 4)
    narrator, waits = narrator_for(fake, tmp_path, max_concurrency=1, max_tries=4)
    with pytest.raises(ElevenLabsError, match=r"^ElevenLabs failed \(HTTP 500\) \(after 4 tries\)$"):
        narrator.speak(LINES[:1], VOICES)
    assert waits == [1.0, 2.0, 4.0]

    fake.plan({"hang_s": 2})
    slow, waits = narrator_for(fake, tmp_path, max_concurrency=1, max_tries=2, timeout_s=0.5)
    scene = slow.speak(LINES[:1], VOICES)
    assert len(scene.cues) == 2 and waits == [1.0], "a timeout is tried again"


REQUEST = FilmRequest(genre="mystery", theme="A lighthouse keeper finds a map that redraws itself", style="noir",
                      minutes=5, preview_seconds=20, seed=5)


def test_a_film_narrated_by_elevenlabs_reruns_for_free_and_a_scene_fix_pays_for_that_scene(
    fake, tmp_path, instance, monkeypatch,
):
    monkeypatch.setenv("ELEVENLABS_API_KEY", fake.key)
    monkeypatch.setenv("DREAMREEL_DATA_DIR", str(tmp_path / "data"))
    narrator = NarratorResource(backend="elevenlabs", base_url=fake.url, max_concurrency=2)
    made = make_film(REQUEST, tmp_path / "film", instance, narrator=narrator)
    assert made.result.success
    narration = made.result.output_for_node("narration")
    lines = [line for scene in made.result.output_for_node("script").scenes for line in scene.lines]
    assert narration.backend == "elevenlabs" and len(fake.requests) == len(lines)
    assert fake.most_in_flight <= 2 and fake.refused_for_concurrency == 0
    probe = ffprobe(made.path(made.cut.video))
    assert abs(float(probe["format"]["duration"]) - 20) < 2
    first_calls = len(fake.requests)

    again = materialize([*film_assets, *final_cut_checks], selection=AssetSelection.assets("narration").downstream(),
                        partition_key=made.film_id, instance=instance, resources=made.resources)
    assert again.success and len(fake.requests) == first_calls, "a re-run speaks nothing again"

    scene = 2
    fix = materialize(
        [*film_assets, *final_cut_checks], selection=AssetSelection.assets("narration").downstream(),
        partition_key=made.film_id, instance=instance, resources=made.resources,
        run_config={"ops": {"narration": {"config": {"redo": True, "scene": scene}}}},
    )
    assert fix.success
    scene_lines = [" ".join(split_sentences(line.text)) for line in made.result.output_for_node("script").scenes[scene - 1].lines]
    assert sorted(fake.texts[first_calls:]) == sorted(scene_lines), "the fix paid only for that scene's lines"
    print(f"speech calls: first film {first_calls}, re-run 0, one-scene fix {len(fake.texts) - first_calls}")


def test_a_refusal_fails_the_film_with_its_reason(fake, tmp_path, instance, monkeypatch):
    monkeypatch.setenv("ELEVENLABS_API_KEY", "a-wrong-key")
    monkeypatch.setenv("DREAMREEL_DATA_DIR", str(tmp_path / "data"))
    film_id = REQUEST.film_id()
    request = REQUEST.model_copy(update={"seed": 6})
    made = make_film(request, tmp_path / "film", instance, raise_on_error=False,
                     narrator=NarratorResource(backend="elevenlabs", base_url=fake.url)).result
    failure = next(e for e in made.all_events if e.event_type_value == "STEP_FAILURE")
    assert failure.step_key == "narration" and film_id
    assert "scene 1: ElevenLabs refused the API key: check ELEVENLABS_API_KEY" in failure.event_specific_data.error.message
    assert "a-wrong-key" not in str([e.message for e in made.all_events])


def test_dreamreel_voices_lists_the_account_voices_and_names_a_bad_key(fake):
    import subprocess
    import sys

    def voices(key: str | None) -> subprocess.CompletedProcess:
        env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", **({"ELEVENLABS_API_KEY": key} if key else {})}
        return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", "voices", "--base-url", fake.url],
                              env=env, capture_output=True, text=True, timeout=60)

    listed = voices(fake.key)
    assert listed.returncode == 0, listed.stderr
    assert "JBFqnCBsd6RMkjVDRZzb" in listed.stdout and "George" in listed.stdout and "narrator-warm" in listed.stdout
    refused = voices("wrong")
    assert refused.returncode == 1
    assert refused.stderr.strip() == "error: ElevenLabs refused the API key: check ELEVENLABS_API_KEY"
    missing = voices(None)
    assert missing.returncode == 2 and "set ELEVENLABS_API_KEY" in missing.stderr
