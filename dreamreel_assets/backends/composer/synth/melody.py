"""The seeded melody and its rhythms."""

from __future__ import annotations

from typing import Callable

import numpy as np

from dreamreel_assets.backends.composer.synth.harmony import scale_pitch
from dreamreel_assets.backends.composer.synth.notes import Note
from dreamreel_assets.backends.composer.synth.styles import MoodStyle


class MelodyWriter:
    """A seeded melody: one phrase per pass through the progression, repeated with variations.

    Pitches walk the scale and land on chord tones on strong beats.
    """

    def __init__(self, style: MoodStyle, progression: tuple[int, ...], rng: np.random.Generator):
        self.style, self.progression, self.rng = style, progression, rng
        low, high = style.lead_range
        self.steps = [s for s in range(-14, 28) if low <= scale_pitch(style, s) <= high]
        self.step = self.steps[len(self.steps) // 2]
        bars = len(progression) * style.bars_per_chord
        self.phrase = [self._compose_bar(bar) for bar in range(bars)]

    def _compose_bar(self, bar: int) -> list[tuple[float, float, int]]:
        """(onset beats, length beats, scale step) for each note of one bar."""
        rhythms = _RHYTHMS[(self.style.beats_per_bar, self.style.sparse_melody)]
        rhythm = rhythms[self.rng.integers(len(rhythms))]
        degree = self.progression[(bar // self.style.bars_per_chord) % len(self.progression)]
        notes = []
        for onset, length in rhythm:
            step = self._clamp(self.step + int(self.rng.choice((-2, -1, -1, 0, 1, 1, 2, 3, -3))))
            if onset % 2 == 0:
                step = self._nearest_chord_tone(step, degree)
            notes.append((onset, length, step))
            self.step = step
        return notes

    def bar(self, bar_in_cycle: int, cycle: int, bar_start: float, energy: float,
            clip: Callable[[float, float], float]) -> list[Note]:
        notes = []
        for onset_beats, length, step in self.phrase[bar_in_cycle]:
            if cycle % 2 and onset_beats % 1 and self.rng.random() < 0.5:
                step = self._clamp(step + int(self.rng.choice((-1, 1, 2))))
            onset = bar_start + onset_beats * self.style.beat_s
            gate = clip(onset, length * self.style.beat_s * 0.92)
            gain = 0.24 * energy * (1.0 if onset_beats == 0 else 0.85)
            pitch = scale_pitch(self.style, step)
            notes.append(Note(onset, (pitch,), gate, self.style.lead, gain, pan=0.1))
        return notes

    def _clamp(self, step: int) -> int:
        return min(max(step, self.steps[0]), self.steps[-1])

    def _nearest_chord_tone(self, step: int, degree: int) -> int:
        chord = {(degree + k) % 7 for k in (0, 2, 4)}
        candidates = [s for s in self.steps if s % 7 in chord]
        return min(candidates, key=lambda s: (abs(s - step), s)) if candidates else step


# (onset beats, length beats) per bar; keyed by (beats per bar, sparse).
_RHYTHMS: dict[tuple[int, bool], list[list[tuple[float, float]]]] = {
    (4, False): [
        [(0, 1), (1, 1), (2, 2)],
        [(0, 1.5), (1.5, 0.5), (2, 1), (3, 1)],
        [(0, 2), (2, 1), (3, 1)],
        [(0, 0.5), (0.5, 0.5), (1, 1), (2, 1.5), (3.5, 0.5)],
        [(0, 3), (3, 1)],
        [(0, 1), (1.5, 0.5), (2, 2)],
    ],
    (3, False): [
        [(0, 2), (2, 1)],
        [(0, 1), (1, 1), (2, 1)],
        [(0, 1.5), (1.5, 0.5), (2, 1)],
        [(0, 3)],
    ],
    (4, True): [[(0, 4)], [(0, 2), (2, 2)], [(0, 3)], [(1, 3)], [(0, 1.5), (2, 2)]],
    (3, True): [[(0, 3)], [(0, 2)], [(1, 2)]],
}
