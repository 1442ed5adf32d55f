"""The synthesised score: exact length, level, determinism, and music that follows the mood."""

import numpy as np
import pytest

from dreamreel_assets.backends.composer import synth
from dreamreel_assets.backends.composer.synth import MOOD_STYLES, SynthComposer
from dreamreel_assets.models import MOODS

RATE = 48_000


@pytest.fixture(scope="module")
def composer() -> SynthComposer:
    return SynthComposer()


@pytest.fixture(scope="module")
def scores(composer):
    """One 24-second score per mood, with a scene change at 12 s."""
    return {mood: composer.compose(mood, 24.0, seed=7, section_starts=[0.0, 12.0]) for mood in MOODS}


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def _spectral_centroid_hz(samples: np.ndarray, sample_rate: int = RATE) -> float:
    mono = samples.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono))
    return float((spectrum * np.fft.rfftfreq(len(mono), 1 / sample_rate)).sum() / spectrum.sum())


def _worst_high_band_share(samples: np.ndarray, window: int = 2048) -> float:
    """The largest share of a window's energy above 14 kHz. The instruments are band-limited
    below 12 kHz, so only a discontinuity (a click) puts energy up there."""
    frames = samples[: len(samples) // window * window, 0].reshape(-1, window) * np.hanning(window)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    high = np.fft.rfftfreq(window, 1 / RATE) > 14_000
    total = power.sum(axis=1)
    audible = total > 1e-3 * total.max()
    return float((power[:, high].sum(axis=1)[audible] / total[audible]).max())


@pytest.mark.parametrize(("duration", "rate"), [(3.7, 48_000), (12.34567, 44_100), (0.0, 48_000)])
def test_length_is_exact_and_stereo_float32(composer, duration, rate):
    score = composer.compose("warm", duration, seed=1, sample_rate=rate)
    assert score.samples.shape == (round(duration * rate), 2)
    assert score.samples.dtype == np.float32
    assert score.sample_rate == rate


@pytest.mark.parametrize("mood", MOODS)
def test_every_mood_is_a_clean_audible_piece(scores, mood):
    score = scores[mood]
    samples = score.samples
    assert samples.shape == (24 * RATE, 2)
    assert np.isfinite(samples).all()
    assert 0.5 < np.abs(samples).max() <= 0.9
    middle = samples[8 * RATE:16 * RATE]
    assert _rms(middle) > 0.03
    assert not np.array_equal(middle[:, 0], middle[:, 1])  # stereo, not dual mono
    assert score.tempo_bpm == MOOD_STYLES[mood].tempo_bpm
    assert score.key.split()[1] in ("major", "minor", "lydian")


@pytest.mark.parametrize("mood", MOODS)
def test_fades_in_and_out(scores, mood):
    samples = scores[mood].samples
    middle = _rms(samples[8 * RATE:16 * RATE])
    assert np.abs(samples[0]).max() < 1e-6 and np.abs(samples[-1]).max() < 1e-6
    assert _rms(samples[: RATE // 4]) < 0.2 * middle
    assert _rms(samples[-RATE // 4:]) < 0.2 * middle


@pytest.mark.parametrize("mood", ["tender", "dread", "ethereal"])
def test_no_clicks(scores, mood):
    """Moods without noisy percussion should have (next to) nothing above the synth's band."""
    assert _worst_high_band_share(scores[mood].samples) < 1e-6


def test_every_sound_starts_and_ends_silent():
    for name in synth.INSTRUMENTS:
        sound = synth._render((name, (57, 64), RATE // 2, 0.0), RATE)
        peak = np.abs(sound).max()
        assert peak > 0, name
        assert np.abs(sound[0]).max() <= 1e-3 * peak, name
        assert np.abs(sound[-1]).max() <= 1e-3 * peak, name


def test_same_inputs_give_identical_samples(composer, scores):
    again = composer.compose("playful", 24.0, seed=7, section_starts=[0.0, 12.0])
    assert np.array_equal(again.samples, scores["playful"].samples)


def test_seeds_change_the_melody(composer, scores):
    other = composer.compose("playful", 24.0, seed=8, section_starts=[0.0, 12.0])
    assert not np.array_equal(other.samples, scores["playful"].samples)
    assert other.tempo_bpm == scores["playful"].tempo_bpm and other.key == scores["playful"].key

    def melody(seed: int) -> list[int]:
        notes = synth._arrange(MOOD_STYLES["playful"], [(0.0, 24.0)], np.random.default_rng(seed))
        return [n.pitches[0] for n in notes if n.instrument == MOOD_STYLES["playful"].lead]

    assert melody(1) != melody(2)


def test_moods_differ_in_tempo_and_colour(scores):
    dread, playful = scores["dread"], scores["playful"]
    assert dread.tempo_bpm < 70 < 110 < playful.tempo_bpm
    assert _spectral_centroid_hz(playful.samples) > 2 * _spectral_centroid_hz(dread.samples)
    keys = {score.key for score in scores.values()}
    assert len(keys) >= 6


def test_playful_percussion_pulses_at_its_tempo(scores):
    """The loudness envelope repeats once per beat: its autocorrelation peaks at 60/bpm s."""
    samples = scores["playful"].samples[6 * RATE:18 * RATE].mean(axis=1)
    hop = 240  # 5 ms
    envelope = np.sqrt(np.square(samples[: len(samples) // hop * hop]).reshape(-1, hop).mean(axis=1))
    onsets = np.maximum(np.diff(envelope), 0)
    onsets -= onsets.mean()
    correlation = np.correlate(onsets, onsets, "full")[len(onsets) - 1:]
    lags = np.arange(len(correlation)) * hop / RATE
    in_range = (lags > 0.3) & (lags < 0.7)
    best_lag = lags[in_range][np.argmax(correlation[in_range])]
    assert best_lag == pytest.approx(60 / MOOD_STYLES["playful"].tempo_bpm, abs=0.02)


def test_scene_changes_restart_the_progression_with_an_accent():
    style = MOOD_STYLES["heroic"]
    sections = synth._sections(30.0, [0.0, 13.3, 40.0])
    assert sections == [(0.0, 13.3), (13.3, 30.0)]
    notes = synth._arrange(style, sections, np.random.default_rng(0))
    pads_at_change = [n for n in notes if n.start_s == 13.3 and n.instrument == style.pad]
    assert len(pads_at_change) == 1
    expected = synth._voice(synth._chord_pitches(style, style.progressions[1][0]), synth.PAD_LOW)
    assert pads_at_change[0].pitches == expected
    assert any(n.start_s == 13.3 and n.instrument == style.accent for n in notes)
    # Nothing from the first section sounds past its end, apart from release tails.
    assert all(n.start_s + n.gate_s <= 13.3 + 1e-9 for n in notes if n.start_s < 13.3)
