"""Arrangement: what plays when. Sections restart the progression; each bar gets its pad chord,
bass, melody, texture (arpeggio or ostinato) and percussion."""

from __future__ import annotations

import math

import numpy as np

from dreamreel_assets.backends.composer.synth.harmony import bass_pitch, chord_pitches, spread, voice
from dreamreel_assets.backends.composer.synth.melody import MelodyWriter
from dreamreel_assets.backends.composer.synth.notes import Note
from dreamreel_assets.backends.composer.synth.styles import MoodStyle

PAD_LOW = 53


def section_bounds(
    duration_s: float, section_starts: list[float] | None,
) -> list[tuple[float, float]]:
    inner = sorted({s for s in section_starts or [] if 0.0 < s < duration_s})
    bounds = [0.0, *inner, duration_s]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def arrange(
    style: MoodStyle, sections: list[tuple[float, float]], rng: np.random.Generator,
) -> list[Note]:
    notes: list[Note] = []
    end_of_piece = sections[-1][1] if sections else 0.0
    for index, (start, end) in enumerate(sections):
        progression = style.progressions[index % len(style.progressions)]
        # Scenes build to the middle of the film and settle again towards its end.
        intensity = 0.6 + 0.4 * math.sin(math.pi * (index + 1) / (len(sections) + 1))
        if index:
            notes.append(_accent(style, progression[0], start))
        section = _SectionWriter(style, progression, start, end, end_of_piece, intensity, rng)
        notes += section.write(first=index == 0)
    return notes


def _accent(style: MoodStyle, degree: int, at: float) -> Note:
    """A hit marking a scene change: a low drum on the root, or the new chord struck."""
    if style.accent in ("timpani", "low_hit"):
        return Note(at, (bass_pitch(style, degree),), 1.5, style.accent, 0.8)
    return Note(at, voice(chord_pitches(style, degree), PAD_LOW + 12), 1.0, style.accent, 0.3)


class _SectionWriter:
    """Writes one section: its bars restart the progression at the section's first beat."""

    def __init__(self, style: MoodStyle, progression: tuple[int, ...], start: float, end: float,
                 end_of_piece: float, intensity: float, rng: np.random.Generator) -> None:
        self.style, self.progression = style, progression
        self.start, self.end, self.end_of_piece = start, end, end_of_piece
        self.intensity, self.rng = intensity, rng
        self.cycle_bars = len(progression) * style.bars_per_chord
        self.melody = MelodyWriter(style, progression, rng)
        self.pattern = _texture_pattern(style, rng)

    def write(self, first: bool) -> list[Note]:
        notes: list[Note] = []
        bar_count = math.ceil((self.end - self.start) / self.style.bar_s - 1e-9)
        for bar in range(bar_count):
            bar_start = self.start + bar * self.style.bar_s
            degree = self.progression[(bar // self.style.bars_per_chord) % len(self.progression)]
            cycle = bar // self.cycle_bars
            # Every fourth cycle is a breakdown: no percussion, a softer swell.
            breakdown = cycle % 4 == 3
            energy = self.intensity * (0.85 if breakdown else 1.0) * self._swell(bar)
            intro = first and bar < 2 and bar_count > 4
            outro = bar_start + self.style.bar_s >= self.end_of_piece
            if bar % self.style.bars_per_chord == 0:
                notes += self._pad(bar_start, degree, energy)
            notes += self._bass(bar_start, degree, energy)
            if not intro:
                notes += self.melody.bar(bar % self.cycle_bars, cycle, bar_start, energy, self._clip)
            if self.style.texture and not intro:
                notes += self._texture(bar_start, degree, energy)
            if not (intro or outro or breakdown or self.intensity < 0.85):
                notes += self._percussion(bar_start, degree, energy)
        return notes

    def _swell(self, bar: int) -> float:
        """A gentle rise and fall over each pass through the progression."""
        return 0.85 + 0.15 * math.sin(math.pi * ((bar % self.cycle_bars) + 0.5) / self.cycle_bars)

    def _clip(self, onset: float, gate: float) -> float:
        """`gate` shortened so the note ends with its section."""
        return max(0.05, min(gate, self.end - onset))

    def _pad(self, bar_start: float, degree: int, energy: float) -> list[Note]:
        pitches = voice(chord_pitches(self.style, degree), PAD_LOW)
        if self.style.cluster:
            pitches = (*pitches, pitches[0] + 1)
        gate = self._clip(bar_start, self.style.bar_s * self.style.bars_per_chord)
        return [Note(bar_start, pitches, gate, self.style.pad, 0.16 * energy)]

    def _bass(self, bar_start: float, degree: int, energy: float) -> list[Note]:
        beats = self.style.bass_beats
        root = bass_pitch(self.style, degree)
        notes = []
        for i, beat in enumerate(beats):
            length = (beats[i + 1] if i + 1 < len(beats) else self.style.beats_per_bar) - beat
            onset = bar_start + beat * self.style.beat_s
            if onset < self.end:
                pitch = root + (7 if i % 2 and len(beats) > 2 else 0)
                gate = self._clip(onset, length * self.style.beat_s * 0.9)
                notes.append(Note(onset, (pitch,), gate, self.style.bass, 0.32 * energy))
        return notes

    def _texture(self, bar_start: float, degree: int, energy: float) -> list[Note]:
        style = self.style
        step = style.beat_s / style.texture_per_beat
        count = style.beats_per_bar * style.texture_per_beat
        if style.texture_kind == "ostinato":
            root = bass_pitch(style, degree) + 12
            while root < style.texture_low:
                root += 12
            pitches = [root + self.pattern[i % len(self.pattern)] for i in range(count)]
        else:
            tones = spread(chord_pitches(style, degree), style.texture_low, 2)
            pitches = [tones[self.pattern[i % len(self.pattern)] % len(tones)] for i in range(count)]
        notes = []
        for i, pitch in enumerate(pitches):
            onset = bar_start + i * step
            if onset < self.end:
                accent = 1.0 if i % style.texture_per_beat == 0 else 0.8
                pan = 0.35 if i % 2 else -0.35
                notes.append(Note(onset, (pitch,), self._clip(onset, step * 0.8), style.texture,
                                  0.13 * energy * accent, pan))
        return notes

    def _percussion(self, bar_start: float, degree: int, energy: float) -> list[Note]:
        notes = []
        for part in self.style.percussion:
            pitch = bass_pitch(self.style, degree) if part.pitched else 45
            for beat in part.beats:
                onset = bar_start + beat * self.style.beat_s
                if onset < self.end:
                    gate = self.style.bar_s if part.instrument == "rumble" else 0.2
                    gain = part.gain * energy * (1.0 if beat == 0 else 0.85)
                    notes.append(Note(onset, (pitch,), gate, part.instrument, gain, part.pan))
        return notes


_ARPEGGIOS = ((0, 1, 2, 3), (0, 1, 2, 3, 4, 3, 2, 1), (0, 2, 1, 3), (0, 2, 4, 2), (1, 0, 2, 3, 4, 2))
_OSTINATOS = ((0, 0, 12, 0, 7, 0, 12, 7), (0, 12, 7, 12), (0, 0, 7, 0, 10, 0, 7, 12), (0, 7, 12, 7))


def _texture_pattern(style: MoodStyle, rng: np.random.Generator) -> tuple[int, ...]:
    bank = _OSTINATOS if style.texture_kind == "ostinato" else _ARPEGGIOS
    return bank[rng.integers(len(bank))]
