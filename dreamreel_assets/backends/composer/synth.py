"""A small synthesised score per mood: pad chords, bass, a seeded melody, an arpeggio or
ostinato, and light percussion, all rendered with numpy (no samples, no model weights).

Scene changes (`section_starts`) restart the chord progression (each mood alternates two),
strike an accent, and set the dynamics: scenes build towards the middle of the film.

Speed comes from caching: a film repeats the same few chords and notes many times, so each
distinct sound (instrument, pitches, length, pan) is synthesised once and then only added into
the output at every onset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.signal import butter, sosfilt

from dreamreel_assets.backends.composer import Score
from dreamreel_assets.models import MOODS, Mood

PEAK = 0.89
FADE_IN_S = 2.0
FADE_OUT_S = 3.0
PAD_LOW = 53

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
}


@dataclass(frozen=True)
class Percussion:
    instrument: str
    beats: tuple[float, ...]
    """Onsets within the bar, in beats."""
    gain: float
    pan: float = 0.0
    pitched: bool = False
    """Tuned to the chord root (timpani), else a fixed pitch."""


@dataclass(frozen=True)
class MoodStyle:
    tempo_bpm: float
    tonic: int
    """MIDI note of the key's tonic, around middle C."""
    mode: str
    progressions: tuple[tuple[int, ...], ...]
    """Chords as 0-based scale degrees; sections take turns."""
    pad: str
    bass: str
    lead: str
    lead_range: tuple[int, int]
    """Lowest and highest MIDI pitch of the melody."""
    texture: str | None = None
    """Arpeggio or ostinato instrument, if any."""
    texture_kind: str = "arpeggio"
    """"arpeggio" walks the chord's tones; "ostinato" repeats a riff on its root."""
    texture_per_beat: int = 2
    texture_low: int = 60
    percussion: tuple[Percussion, ...] = ()
    accent: str = "low_hit"
    """Instrument struck at each scene change."""
    beats_per_bar: int = 4
    bars_per_chord: int = 1
    sevenths: bool = False
    cluster: bool = False
    """Add a semitone above the chord root to the pad: dissonance for dread."""
    bass_beats: tuple[float, ...] = (0.0,)
    sparse_melody: bool = False

    @property
    def key(self) -> str:
        names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
        return f"{names[self.tonic % 12]} {self.mode}"

    @property
    def beat_s(self) -> float:
        return 60.0 / self.tempo_bpm

    @property
    def bar_s(self) -> float:
        return self.beat_s * self.beats_per_bar


MOOD_STYLES: dict[str, MoodStyle] = {
    "heroic": MoodStyle(
        110, 62, "major", ((0, 4, 5, 3), (5, 3, 0, 4)), pad="brass_pad", bass="sine_bass",
        lead="brass_lead", lead_range=(62, 81), texture="strings", texture_kind="ostinato",
        texture_low=50, percussion=(Percussion("timpani", (0, 2, 2.5), 0.55, pitched=True),
                                    Percussion("hat", (1, 3), 0.12, pan=0.3)),
        accent="timpani", bass_beats=(0, 2),
    ),
    "playful": MoodStyle(
        124, 65, "major", ((0, 5, 3, 4), (3, 4, 2, 5)), pad="soft_pad", bass="pluck_bass",
        lead="square_lead", lead_range=(72, 89), texture="pluck_square", texture_low=65,
        percussion=(Percussion("kick", (0, 2), 0.5), Percussion("tick", (1, 3), 0.18, pan=-0.2),
                    Percussion("hat", (0.5, 1.5, 2.5, 3.5), 0.1, pan=0.35)),
        accent="pluck_square", bass_beats=(0, 1.5, 2, 3),
    ),
    "tender": MoodStyle(
        72, 57, "minor", ((0, 5, 2, 6), (3, 0, 4, 0)), pad="soft_pad", bass="sine_bass",
        lead="piano", lead_range=(64, 81), texture="piano", texture_low=57, beats_per_bar=3,
        sevenths=True, accent="piano",
    ),
    "wondrous": MoodStyle(
        84, 64, "lydian", ((0, 1, 5, 4), (0, 1, 0, 2)), pad="airy_pad", bass="sine_bass",
        lead="bell", lead_range=(71, 88), texture="glass", texture_low=71,
        percussion=(Percussion("shaker", (0.5, 1.5, 2.5, 3.5), 0.08, pan=0.3),), accent="bell",
        bass_beats=(0, 2.5),
    ),
    "dread": MoodStyle(
        60, 48, "minor", ((0, 5, 3, 0), (0, 1, 5, 4)), pad="dark_pad", bass="drone",
        lead="dark_lead", lead_range=(55, 70), percussion=(Percussion("rumble", (0,), 0.35),
                                                           Percussion("low_hit", (0,), 0.4)),
        cluster=True, sparse_melody=True,
    ),
    "suspense": MoodStyle(
        90, 62, "minor", ((0, 5, 3, 4), (0, 6, 5, 4)), pad="dark_pad", bass="pluck_bass",
        lead="piano", lead_range=(62, 79), texture="strings", texture_kind="ostinato",
        texture_low=50, percussion=(Percussion("tick", tuple(b / 2 for b in range(8)), 0.14,
                                               pan=-0.25),
                                    Percussion("kick", (0,), 0.4)),
        sparse_melody=True,
    ),
    "warm": MoodStyle(
        80, 58, "major", ((0, 2, 3, 4), (3, 0, 4, 0)), pad="warm_pad", bass="sine_bass",
        lead="flute", lead_range=(65, 82), texture="soft_pluck", texture_low=58,
        percussion=(Percussion("shaker", (0.5, 1.5, 2.5, 3.5), 0.07, pan=-0.3),),
        sevenths=True, accent="soft_pluck", bass_beats=(0, 2),
    ),
    "ethereal": MoodStyle(
        70, 66, "major", ((0, 3, 5, 4), (0, 4, 5, 3)), pad="shimmer_pad", bass="sine_bass",
        lead="glass", lead_range=(73, 90), texture="glass", texture_per_beat=1, texture_low=78,
        bars_per_chord=2, accent="bell", sevenths=True,
    ),
}


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
        notes = _arrange(style, _sections(duration_s, section_starts), rng)
        samples = _mix(notes, n_samples, sample_rate)
        _fade(samples, sample_rate)
        _normalise_peak(samples, PEAK)
        return Score(samples=samples, sample_rate=sample_rate, tempo_bpm=float(style.tempo_bpm),
                     key=style.key)


# --- arrangement: what plays when ----------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    start_s: float
    pitches: tuple[int, ...]
    """MIDI pitches sounded together (a chord is rendered as one sound)."""
    gate_s: float
    instrument: str
    gain: float
    pan: float = 0.0


def _sections(duration_s: float, section_starts: list[float] | None) -> list[tuple[float, float]]:
    inner = sorted({s for s in section_starts or [] if 0.0 < s < duration_s})
    bounds = [0.0, *inner, duration_s]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _arrange(
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
        return Note(at, (_bass_pitch(style, degree),), 1.5, style.accent, 0.8)
    return Note(at, _voice(_chord_pitches(style, degree), PAD_LOW + 12), 1.0, style.accent, 0.3)


class _SectionWriter:
    """Writes one section: its bars restart the progression at the section's first beat."""

    def __init__(self, style: MoodStyle, progression: tuple[int, ...], start: float, end: float,
                 end_of_piece: float, intensity: float, rng: np.random.Generator) -> None:
        self.style, self.progression = style, progression
        self.start, self.end, self.end_of_piece = start, end, end_of_piece
        self.intensity, self.rng = intensity, rng
        self.cycle_bars = len(progression) * style.bars_per_chord
        self.melody = _MelodyWriter(style, progression, rng)
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
        pitches = _voice(_chord_pitches(self.style, degree), PAD_LOW)
        if self.style.cluster:
            pitches = (*pitches, pitches[0] + 1)
        gate = self._clip(bar_start, self.style.bar_s * self.style.bars_per_chord)
        return [Note(bar_start, pitches, gate, self.style.pad, 0.16 * energy)]

    def _bass(self, bar_start: float, degree: int, energy: float) -> list[Note]:
        beats = self.style.bass_beats
        root = _bass_pitch(self.style, degree)
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
            root = _bass_pitch(style, degree) + 12
            while root < style.texture_low:
                root += 12
            pitches = [root + self.pattern[i % len(self.pattern)] for i in range(count)]
        else:
            tones = _spread(_chord_pitches(style, degree), style.texture_low, 2)
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
            pitch = _bass_pitch(self.style, degree) if part.pitched else 45
            for beat in part.beats:
                onset = bar_start + beat * self.style.beat_s
                if onset < self.end:
                    gate = self.style.bar_s if part.instrument == "rumble" else 0.2
                    gain = part.gain * energy * (1.0 if beat == 0 else 0.85)
                    notes.append(Note(onset, (pitch,), gate, part.instrument, gain, part.pan))
        return notes


class _MelodyWriter:
    """A seeded melody: one phrase per pass through the progression, repeated with variations.

    Pitches walk the scale and land on chord tones on strong beats.
    """

    def __init__(self, style: MoodStyle, progression: tuple[int, ...], rng: np.random.Generator):
        self.style, self.progression, self.rng = style, progression, rng
        low, high = style.lead_range
        self.steps = [s for s in range(-14, 28) if low <= _scale_pitch(style, s) <= high]
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
            pitch = _scale_pitch(self.style, step)
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

_ARPEGGIOS = ((0, 1, 2, 3), (0, 1, 2, 3, 4, 3, 2, 1), (0, 2, 1, 3), (0, 2, 4, 2), (1, 0, 2, 3, 4, 2))
_OSTINATOS = ((0, 0, 12, 0, 7, 0, 12, 7), (0, 12, 7, 12), (0, 0, 7, 0, 10, 0, 7, 12), (0, 7, 12, 7))


def _texture_pattern(style: MoodStyle, rng: np.random.Generator) -> tuple[int, ...]:
    bank = _OSTINATOS if style.texture_kind == "ostinato" else _ARPEGGIOS
    return bank[rng.integers(len(bank))]


# --- harmony -------------------------------------------------------------------------------------


def _scale_pitch(style: MoodStyle, step: int) -> int:
    octave, index = divmod(step, 7)
    return style.tonic + 12 * octave + MODES[style.mode][index]


def _chord_pitches(style: MoodStyle, degree: int) -> tuple[int, ...]:
    steps = (0, 2, 4, 6) if style.sevenths else (0, 2, 4)
    return tuple(_scale_pitch(style, degree + s) for s in steps)


def _voice(pitches: tuple[int, ...], low: int) -> tuple[int, ...]:
    """Each pitch moved by octaves into the octave above `low`: close voicings that move little."""
    return tuple(sorted(low + (p - low) % 12 for p in pitches))


def _spread(pitches: tuple[int, ...], low: int, octaves: int) -> list[int]:
    """The chord's pitch classes from `low` up over `octaves` octaves, for arpeggios."""
    classes = {p % 12 for p in pitches}
    return [p for p in range(low, low + 12 * octaves) if p % 12 in classes]


def _bass_pitch(style: MoodStyle, degree: int) -> int:
    return 36 + (_scale_pitch(style, degree) - 36) % 12


# --- sound: instruments and mixing --------------------------------------------------------------


def _mix(notes: list[Note], n_samples: int, sample_rate: int) -> np.ndarray:
    out = np.zeros((n_samples, 2), dtype=np.float32)
    cache: dict[tuple, np.ndarray] = {}
    for note in notes:
        start = round(note.start_s * sample_rate)
        if start >= n_samples:
            continue
        key = (note.instrument, note.pitches, round(note.gate_s * sample_rate), round(note.pan, 2))
        sound = cache.get(key)
        if sound is None:
            sound = cache[key] = _render(key, sample_rate)
        end = min(n_samples, start + len(sound))
        out[start:end] += sound[: end - start] * np.float32(note.gain)
    return out


def _render(key: tuple, sample_rate: int) -> np.ndarray:
    """One sound as (samples, 2) float32: a note or chord with its envelope and pan."""
    name, pitches, gate_samples, pan = key
    instrument = INSTRUMENTS[name]
    gate = gate_samples / sample_rate
    t = np.arange(round((gate + instrument.release) * sample_rate)) / sample_rate
    envelope = _adsr(t, gate, instrument)

    def wave(detune_cents: float) -> np.ndarray:
        shift = 2 ** (detune_cents / 1200)
        return sum(instrument.tone(_hz(p) * shift, t, sample_rate) for p in pitches) * envelope

    left = wave(-instrument.width_cents)
    right = wave(instrument.width_cents) if instrument.width_cents else left
    # Constant-power pan.
    angle = (pan + 1) * math.pi / 4
    gain = instrument.level * math.sqrt(2)
    stereo = np.stack([left * math.cos(angle), right * math.sin(angle)], axis=1) * gain
    return _without_silent_tail(stereo.astype(np.float32))


def _without_silent_tail(sound: np.ndarray) -> np.ndarray:
    """Struck and plucked notes die away long before their release ends; dropping the
    inaudible rest (-80 dB) saves memory and mixing time."""
    loudness = np.abs(sound).max(axis=1)
    audible = np.flatnonzero(loudness > 1e-4 * max(float(loudness.max()), 1e-9))
    return sound[: audible[-1] + 1] if audible.size else sound[:0]


def _hz(midi: int) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _adsr(t: np.ndarray, gate: float, instrument: Instrument) -> np.ndarray:
    a, s = instrument.attack, instrument.sustain
    d = max(instrument.decay, 1e-6)  # np.interp needs increasing breakpoints
    held = np.interp(t, (0, a, a + d), (0, 1, s))
    level_at_gate = float(np.interp(gate, (0, a, a + d), (0, 1, s)))
    released = level_at_gate * np.clip(1 - (t - gate) / instrument.release, 0, 1)
    return np.where(t < gate, held, released)


@dataclass(frozen=True)
class Instrument:
    tone: Callable[[float, np.ndarray, int], np.ndarray]
    """(frequency Hz, time s, sample rate) -> waveform, roughly within [-1, 1]."""
    attack: float
    decay: float
    sustain: float
    release: float
    width_cents: float = 0.0
    """Detune between left and right: a wide, chorused stereo image for pads."""
    level: float = 1.0
    """Evens out loudness between instruments, so arrangement gains mean the same for all."""


_TABLE_SIZE = 8192


def _band_limit(sr: int) -> float:
    """Nothing above 12 kHz (or Nyquist): bright timbres stay soft and alias-free at any rate."""
    return min(12_000.0, 0.45 * sr)


def _partials(f: float, t: np.ndarray, sr: int, ratios, amps, decays) -> np.ndarray:
    """A sum of sines at `f * ratio`, each decaying at its own rate (plucked and struck tones)."""
    wave = np.zeros_like(t)
    for ratio, amp, decay in zip(ratios, amps, decays):
        if f * ratio < _band_limit(sr):
            wave += amp * np.sin(2 * np.pi * f * ratio * t) * np.exp(-decay * t)
    return wave


def _harmonic(f: float, cycles: np.ndarray, sr: int, amps) -> np.ndarray:
    """A steady tone with harmonic amplitudes `amps` (1st, 2nd, ...), read from a one-cycle
    wavetable at `cycles` (the running phase in cycles): one lookup per sample, however many
    harmonics, which is what keeps long pad chords cheap."""
    k = np.arange(1, len(amps) + 1)
    amps = np.where(k * f < _band_limit(sr), amps, 0.0)
    phase = np.arange(_TABLE_SIZE) / _TABLE_SIZE
    table = (amps[:, None] * np.sin(2 * np.pi * k[:, None] * phase)).sum(axis=0)
    return table[((cycles % 1.0) * _TABLE_SIZE).astype(np.intp)]


def _saw(f, t, sr, harmonics=10, rolloff=1.0):
    k = np.arange(1, harmonics + 1)
    return _harmonic(f, f * t, sr, 0.6 / k**rolloff)


def _mellow_saw(f, t, sr):
    return _saw(f, t, sr, harmonics=6, rolloff=2.0)


def _dark_saw(f, t, sr):
    return _saw(f, t, sr, harmonics=8, rolloff=1.6)


def _string_saw(f, t, sr):
    return _saw(f, t, sr, harmonics=10, rolloff=1.4)


def _vibrato_cycles(f, t, rate=5.2, depth=0.004):
    """Phase in cycles of a tone whose pitch wobbles by `depth` (fraction), fading in over 0.4 s."""
    depth_t = depth * np.minimum(t / 0.4, 1)
    return f * t - (f * depth_t / (2 * np.pi * rate)) * np.cos(2 * np.pi * rate * t)


def _brass(f, t, sr):
    # A dull tone opening into a bright one: the brassy "blat" of an attack.
    k = np.arange(1, 11)
    dull = _harmonic(f, f * t, sr, 0.6 / k**2.5)
    bright = _harmonic(f, f * t, sr, 0.6 / k**1.1)
    opening = np.exp(-t * 6)
    return dull * opening + bright * (1 - opening)


def _brass_lead(f, t, sr):
    k = np.arange(1, 9)
    return _harmonic(f, _vibrato_cycles(f, t), sr, 0.55 / k**1.3)


def _flute(f, t, sr):
    return _harmonic(f, _vibrato_cycles(f, t, rate=4.8, depth=0.005), sr, (0.7, 0.12, 0.05))


def _dark_lead(f, t, sr):
    return _harmonic(f, _vibrato_cycles(f, t, rate=3.5, depth=0.008), sr, (0.7, 0, 0.2))


def _soft(f, t, sr):
    return _harmonic(f, f * t, sr, (0.6, 0.15, 0.05))


def _airy(f, t, sr):
    breathe = 0.75 + 0.25 * np.sin(2 * np.pi * 0.3 * t)
    return _harmonic(f, f * t, sr, (0.5, 0.25, 0.08)) * breathe


def _shimmer(f, t, sr):
    # Each pitch's LFO starts at its own phase, so a chord's voices swell in turn.
    shimmer = 0.7 + 0.3 * np.sin(2 * np.pi * 0.25 * t + f % 1 * 6)
    return _harmonic(f, f * t, sr, (0.5, 0.25, 0, 0.1)) * shimmer


def _drone(f, t, sr):
    # A second, slightly sharp tone beats slowly against the first.
    beating = _harmonic(f, f * t, sr, (0.45, 0.2, 0.08)) + 0.35 * np.sin(2 * np.pi * 1.006 * f * t)
    return beating * (0.8 + 0.2 * np.sin(2 * np.pi * 0.15 * t))


def _pluck_square(f, t, sr):
    odd = np.arange(1, 16, 2)
    return _partials(f, t, sr, odd, 0.7 / odd, 5 + 1.5 * odd)


def _soft_pluck(f, t, sr):
    return _partials(f, t, sr, (1, 2, 3), (0.7, 0.2, 0.05), (2.5, 4.5, 7))


def _piano(f, t, sr):
    k = np.arange(1, 9)
    stretched = k * np.sqrt(1 + 0.0004 * k**2)  # string stiffness: slightly sharp overtones
    return _partials(f, t, sr, stretched, 0.6 / k**1.4, 0.9 + 0.6 * k)


def _bell(f, t, sr):
    ratios = (1, 2.0, 2.76, 4.07, 5.4)  # inharmonic, like a struck bar or bell
    return _partials(f, t, sr, ratios, (0.5, 0.18, 0.25, 0.1, 0.08), (1.0, 1.6, 2.2, 3.2, 4.5))


def _glass(f, t, sr):
    return _partials(f, t, sr, (1, 3.0, 4.2), (0.55, 0.12, 0.06), (1.5, 4, 6))


def _sine_bass(f, t, sr):
    return _harmonic(f, f * t, sr, (0.7, 0.25, 0.08))


def _pluck_bass(f, t, sr):
    k = np.arange(1, 7)
    return _partials(f, t, sr, k, 0.6 / k, 3 + 1.5 * k)


def _timpani(f, t, sr):
    settle = 2 * np.pi * f * (t + 0.08 / 12 * (1 - np.exp(-12 * t)))  # pitch sags after the hit
    body = (0.7 * np.sin(settle) + 0.3 * np.sin(1.5 * settle) + 0.15 * np.sin(2 * settle))
    return body * np.exp(-3 * t) + 0.3 * _noise(len(t), sr, lowpass_hz=800) * np.exp(-30 * t)


def _kick(f, t, sr):
    phase = 2 * np.pi * (45 * t + (65 / 20) * (1 - np.exp(-20 * t)))
    return 0.9 * np.sin(phase) * np.exp(-9 * t)


def _low_hit(f, t, sr):
    phase = 2 * np.pi * (38 * t + (50 / 8) * (1 - np.exp(-8 * t)))
    return (0.8 * np.sin(phase) + 0.4 * _noise(len(t), sr, lowpass_hz=200)) * np.exp(-2.5 * t)


def _hat(f, t, sr):
    return 0.5 * _noise(len(t), sr, highpass=True) * np.exp(-60 * t)


def _shaker(f, t, sr):
    return 0.5 * _noise(len(t), sr, highpass=True) * np.exp(-35 * t) * (1 - np.exp(-250 * t))


def _tick(f, t, sr):
    return (0.5 * np.sin(2 * np.pi * 2200 * t) + 0.3 * np.sin(2 * np.pi * 3500 * t)) * np.exp(-120 * t)


def _rumble(f, t, sr):
    return _noise(len(t), sr, lowpass_hz=90) * (0.7 + 0.3 * np.sin(2 * np.pi * 0.5 * t))


def _noise(n: int, sr: int, lowpass_hz: float | None = None, highpass: bool = False) -> np.ndarray:
    """Fixed-seed noise (so scores are deterministic), optionally filtered, about unit peak."""
    noise = np.random.default_rng(1234).uniform(-1, 1, n)
    if lowpass_hz is not None:
        noise = sosfilt(butter(4, lowpass_hz, fs=sr, output="sos"), noise)
        noise /= max(np.abs(noise).max(), 1e-9)
    if highpass:
        noise = np.diff(noise, prepend=0.0) * 0.5
    return noise


# Positional: tone, attack s, decay s, sustain level, release s.
INSTRUMENTS: dict[str, Instrument] = {
    "brass_pad": Instrument(_brass, 0.15, 0.4, 0.75, 0.5, width_cents=6, level=0.75),
    "soft_pad": Instrument(_soft, 0.5, 0.5, 0.8, 0.8, width_cents=5, level=0.75),
    "airy_pad": Instrument(_airy, 1.0, 0.5, 0.85, 1.2, width_cents=8),
    "shimmer_pad": Instrument(_shimmer, 1.5, 0.5, 0.9, 1.5, width_cents=10, level=0.9),
    "warm_pad": Instrument(_mellow_saw, 0.4, 0.5, 0.8, 0.8, width_cents=7, level=0.7),
    "dark_pad": Instrument(_dark_saw, 0.8, 0.5, 0.8, 1.0, width_cents=9, level=0.7),
    "drone": Instrument(_drone, 0.6, 0.5, 0.9, 1.0, level=0.8),
    "sine_bass": Instrument(_sine_bass, 0.01, 0.3, 0.7, 0.15, level=0.65),
    "pluck_bass": Instrument(_pluck_bass, 0.005, 0.2, 0.5, 0.1, level=1.4),
    "brass_lead": Instrument(_brass_lead, 0.05, 0.2, 0.8, 0.2, level=1.1),
    "square_lead": Instrument(_pluck_square, 0.004, 0.15, 0.6, 0.12, level=2.5),
    "flute": Instrument(_flute, 0.08, 0.2, 0.85, 0.25, level=0.95),
    "dark_lead": Instrument(_dark_lead, 0.4, 0.5, 0.8, 0.8),
    "piano": Instrument(_piano, 0.004, 0.5, 0.6, 0.35, level=1.4),
    "bell": Instrument(_bell, 0.003, 0.1, 0.9, 1.2, level=1.4),
    "glass": Instrument(_glass, 0.004, 0.1, 0.9, 0.8, level=1.6),
    "pluck_square": Instrument(_pluck_square, 0.003, 0.1, 0.5, 0.1, level=2.0),
    "soft_pluck": Instrument(_soft_pluck, 0.005, 0.2, 0.6, 0.3, level=1.4),
    "strings": Instrument(_string_saw, 0.02, 0.1, 0.7, 0.08, level=1.2),
    "timpani": Instrument(_timpani, 0.002, 0.0, 1.0, 1.2, level=0.5),
    "kick": Instrument(_kick, 0.002, 0.0, 1.0, 0.3),
    "low_hit": Instrument(_low_hit, 0.003, 0.0, 1.0, 1.5, level=0.8),
    "hat": Instrument(_hat, 0.001, 0.0, 1.0, 0.06, level=4.0),
    "shaker": Instrument(_shaker, 0.002, 0.0, 1.0, 0.1, level=6.0),
    "tick": Instrument(_tick, 0.001, 0.0, 1.0, 0.04, level=3.0),
    "rumble": Instrument(_rumble, 0.5, 0.0, 1.0, 1.0, level=0.8),
}


# --- mastering -----------------------------------------------------------------------------------


def _fade(samples: np.ndarray, sample_rate: int) -> None:
    """Fade in and out in place, shortening both fades for very short scores."""
    n = len(samples)
    scale = min(1.0, n / sample_rate / (FADE_IN_S + FADE_OUT_S)) if n else 0.0
    fade_in = round(FADE_IN_S * scale * sample_rate)
    fade_out = round(FADE_OUT_S * scale * sample_rate)
    if fade_in:
        samples[:fade_in] *= _fade_curve(fade_in)[:, None]
    if fade_out:
        samples[n - fade_out:] *= _fade_curve(fade_out)[::-1, None]


def _fade_curve(n: int) -> np.ndarray:
    return (np.sin(np.linspace(0, np.pi / 2, n, dtype=np.float32)) ** 2).astype(np.float32)


def _normalise_peak(samples: np.ndarray, target: float, block: int = 1 << 20) -> None:
    """Scale in place so the loudest sample is `target`; in blocks, to avoid whole-buffer copies."""
    peak = max((float(np.abs(samples[i:i + block]).max()) for i in range(0, len(samples), block)),
               default=0.0)
    if peak > 0:
        samples *= np.float32(target / peak)
