"""A small synthesised score per mood: pad chords, bass, a seeded melody, an arpeggio or
ostinato, and light percussion, all rendered with numpy (no samples, no model weights).

Scene changes (`section_starts`) restart the chord progression (each mood alternates two),
strike an accent, and set the dynamics: scenes build towards the middle of the film.

Speed comes from caching: a film repeats the same few chords and notes many times, so each
distinct sound (instrument, pitches, length, pan) is synthesised once and then only added into
the output at every onset.

The parts, in the order a score passes through them:
- `styles`: each mood's tempo, key, progressions and instruments;
- `harmony`: scale steps, chords and their voicings;
- `arrangement` and `melody`: what plays when, as `notes.Note`s;
- `tones` and `instruments`: waveforms, envelopes, stereo width and level;
- `mixing`: every distinct sound rendered once and added in at each onset;
- `mastering`: the fades and the peak level.
"""

from __future__ import annotations

import numpy as np

from dreamreel_assets.backends.composer import Score
from dreamreel_assets.backends.composer.synth.arrangement import PAD_LOW, arrange, section_bounds
from dreamreel_assets.backends.composer.synth.harmony import MODES, chord_pitches, voice
from dreamreel_assets.backends.composer.synth.instruments import INSTRUMENTS, Instrument
from dreamreel_assets.backends.composer.synth.mastering import (
    FADE_IN_S, FADE_OUT_S, PEAK, fade, normalise_peak,
)
from dreamreel_assets.backends.composer.synth.mixing import mix, render
from dreamreel_assets.backends.composer.synth.notes import Note
from dreamreel_assets.backends.composer.synth.styles import MOOD_STYLES, MoodStyle, Percussion
from dreamreel_assets.models import MOODS, Mood

# The names these had when the composer was one module, for the tests that reach in.
_arrange, _sections, _render, _mix = arrange, section_bounds, render, mix
_chord_pitches, _voice = chord_pitches, voice

__all__ = [
    "FADE_IN_S", "FADE_OUT_S", "INSTRUMENTS", "MODES", "MOOD_STYLES", "PAD_LOW", "PEAK",
    "Instrument", "MoodStyle", "Note", "Percussion", "SynthComposer",
]


class SynthComposer:
    """Composes and renders a mood's score with numpy."""

    name = "synth"

    def compose(
        self, mood: Mood, duration_s: float, seed: int, sample_rate: int = 48_000,
        section_starts: list[float] | None = None,
    ) -> Score:
        style = MOOD_STYLES[mood]
        n_samples = max(0, round(duration_s * sample_rate))
        duration_s = n_samples / sample_rate
        rng = np.random.default_rng([int(seed) % 2**64, MOODS.index(mood)])
        notes = arrange(style, section_bounds(duration_s, section_starts), rng)
        samples = mix(notes, n_samples, sample_rate)
        fade(samples, sample_rate)
        normalise_peak(samples, PEAK)
        return Score(samples=samples, sample_rate=sample_rate, tempo_bpm=float(style.tempo_bpm),
                     key=style.key)
