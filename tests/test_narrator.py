"""The eSpeak NG narrator: real synthesis through the bundled library, no mocks."""

import threading

import numpy as np
import pytest
from conftest import cue_offsets

from dreamreel_assets.backends.narrator.espeak import (
    LINE_GAP_S,
    SAMPLE_RATE,
    SENTENCE_GAP_S,
    EspeakNarrator,
    preset_for,
    speakable_text,
    split_sentences,
)
from dreamreel_assets.models import NARRATOR, VOICE_PRESETS, Line

LINES = [
    Line(speaker=NARRATOR, text="The lighthouse stood alone at the edge of the world. "
                                "Every night, Mara climbed its hundred steps to light the lamp."),
    Line(speaker="mara", text="Grandfather, the sea is glowing! Come and see."),
    Line(speaker=NARRATOR, text="He came, slowly, and together they watched the water shine."),
]
VOICES = {NARRATOR: "narrator-warm", "mara": "child-light"}


@pytest.fixture(scope="module")
def narrator() -> EspeakNarrator:
    return EspeakNarrator()


@pytest.fixture(scope="module")
def scene(narrator):
    return narrator.speak(LINES, VOICES)


def _pitch_hz(samples: np.ndarray) -> float:
    """Median autocorrelation pitch over loud 40 ms frames."""
    frame, estimates = 1024, []
    for start in range(0, len(samples) - frame, frame):
        chunk = samples[start:start + frame]
        if np.sqrt(np.mean(chunk**2)) < 0.05:
            continue
        corr = np.correlate(chunk, chunk, "full")[frame - 1:]
        low, high = SAMPLE_RATE // 500, SAMPLE_RATE // 60
        estimates.append(SAMPLE_RATE / (low + int(np.argmax(corr[low:high]))))
    return float(np.median(estimates))


def test_audio_is_mono_float_speech(scene):
    assert scene.sample_rate == SAMPLE_RATE == 22_050
    assert scene.samples.dtype == np.float32 and scene.samples.ndim == 1
    assert np.isfinite(scene.samples).all() and np.abs(scene.samples).max() <= 1.0
    assert np.sqrt(np.mean(scene.samples**2)) > 0.03


def test_pace_suits_a_script_sized_at_140_words_per_minute(scene):
    words = sum(len(line.text.split()) for line in LINES)
    words_per_minute = words / scene.duration_s * 60
    assert 120 <= words_per_minute <= 190


def test_one_cue_per_sentence_with_speakers(scene):
    expected = [(line.speaker, sentence) for line in LINES for sentence in split_sentences(line.text)]
    assert len(expected) == 5
    assert [(cue.speaker, cue.text) for cue in scene.cues] == expected


def test_cues_are_ordered_tight_and_inside_the_audio(scene):
    cues = scene.cues
    assert cues[0].start < 0.05
    assert all(0 <= cue.start < cue.end <= scene.duration_s + 1e-9 for cue in cues)
    gaps = [after.start - before.end for before, after in zip(cues, cues[1:])]
    speaker_changes = [b.speaker != a.speaker for a, b in zip(cues, cues[1:])]
    for gap, new_line in zip(gaps, speaker_changes):
        assert gap == pytest.approx(LINE_GAP_S if new_line else SENTENCE_GAP_S, abs=1 / SAMPLE_RATE)
    assert scene.duration_s - cues[-1].end < 1 / SAMPLE_RATE


def test_cues_start_within_100_ms_of_the_speech_they_caption(scene):
    offsets = cue_offsets(scene.cues, scene.samples, scene.sample_rate)
    assert max(offsets) <= 0.1, offsets
    print(f"eSpeak cue start offsets: {sorted(round(o * 1000) for o in offsets)} ms")


def test_each_cue_covers_speech_and_gaps_are_silent(scene):
    for cue in scene.cues:
        spoken = scene.samples[round(cue.start * SAMPLE_RATE):round(cue.end * SAMPLE_RATE)]
        assert np.sqrt(np.mean(spoken**2)) > 0.03
    for before, after in zip(scene.cues, scene.cues[1:]):
        gap = scene.samples[round(before.end * SAMPLE_RATE):round(after.start * SAMPLE_RATE)]
        assert np.abs(gap).max() == 0


@pytest.mark.parametrize("preset", VOICE_PRESETS)
def test_every_preset_finds_its_variant_in_the_shipped_data(narrator, preset):
    assert "+" in narrator.voice_name(preset)


def test_voice_presets_sound_different(narrator):
    line = [Line(speaker="x", text="I have waited a very long time to tell you this story.")]
    child = narrator.speak(line, {"x": "child-light"}).samples
    deep = narrator.speak(line, {"x": "male-deep"}).samples
    elder = narrator.speak(line, {"x": "elder-creaky"})
    assert _pitch_hz(child) > 2 * _pitch_hz(deep)
    assert elder.duration_s > len(deep) / SAMPLE_RATE  # the elder speaks more slowly


def test_unknown_speakers_and_presets_get_the_warm_narrator(narrator):
    assert preset_for("stranger", {}) == "narrator-warm"
    assert preset_for("stranger", {"stranger": "no-such-voice"}) == "narrator-warm"
    assert preset_for("mara", VOICES) == "child-light"
    line = [Line(speaker="stranger", text="Who goes there? Speak, or I shall call the guard.")]
    unknown = _pitch_hz(narrator.speak(line, {}).samples)
    warm = _pitch_hz(narrator.speak(line, {"stranger": "narrator-warm"}).samples)
    assert unknown == pytest.approx(warm, rel=0.1)


@pytest.mark.parametrize("text", [
    "She whispered 東京の夢 and smiled.",
    "Café crème, très jolie! Ça va?",
    "He said \u201cWait\u2026 what?\u201d {braces} [[brackets]] <tags> \\ | ^ ~ *",
    "Москва, Ελλάδα, مرحبا and 🙂🚀 all at once.",
    "and then " * 300 + "the end.",
    "A" * 500,
    "tab\there\u200b zero\u00a0width \x07 bell",
])
def test_odd_text_is_spoken_without_crashing(narrator, text):
    scene = narrator.speak([Line(speaker=NARRATOR, text=text)], {})
    assert np.isfinite(scene.samples).all() and scene.duration_s > 0
    assert len(scene.cues) == len(split_sentences(text))


def test_text_with_nothing_to_say_is_a_short_silence_without_cues(narrator):
    scene = narrator.speak([Line(speaker=NARRATOR, text="{} 🙂 東京")], {})
    assert scene.cues == []
    assert 0 < scene.duration_s < 1 and not scene.samples.any()


def test_concurrent_calls_are_serialised(narrator):
    lines = [Line(speaker=NARRATOR, text="One voice at a time, please. Thank you.")]
    alone = narrator.speak(lines, {})
    results = []

    def speak() -> None:
        results.append(narrator.speak(lines, {}))

    threads = [threading.Thread(target=speak) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # eSpeak's carried-over state moves timings by a few ms, never more.
    assert len(results) == 4
    for spoken in results:
        assert spoken.duration_s == pytest.approx(alone.duration_s, abs=0.05)
        assert [c.text for c in spoken.cues] == [c.text for c in alone.cues]


def test_sentence_splitting():
    assert split_sentences("Mr. Smith met Dr. J. R. Watson. Then they left!  Why?") == [
        "Mr. Smith met Dr. J. R. Watson.", "Then they left!", "Why?",
    ]
    assert split_sentences("He said \u201cWait\u2026 what?\u201d and ran. Gone.") == [
        "He said \u201cWait\u2026 what?\u201d and ran.", "Gone.",
    ]
    assert split_sentences("夢を見た。星が光る。") == ["夢を見た。", "星が光る。"]
    assert split_sentences("  \n ") == []


def test_speakable_text_keeps_latin_and_drops_what_espeak_would_spell_out():
    assert speakable_text("Café 東京 {x} \u201cyes\u201d \u2014 5€") == 'Café x "yes" , 5€'
