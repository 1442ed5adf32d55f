"""Mixing: each distinct sound (instrument, pitches, length, pan) rendered once, then added into
the output at every onset."""

from __future__ import annotations

import math

import numpy as np

from dreamreel_assets.backends.composer.synth.instruments import INSTRUMENTS, Instrument
from dreamreel_assets.backends.composer.synth.notes import Note


def mix(notes: list[Note], n_samples: int, sample_rate: int) -> np.ndarray:
    out = np.zeros((n_samples, 2), dtype=np.float32)
    cache: dict[tuple, np.ndarray] = {}
    for note in notes:
        start = round(note.start_s * sample_rate)
        if start >= n_samples:
            continue
        key = (note.instrument, note.pitches, round(note.gate_s * sample_rate), round(note.pan, 2))
        sound = cache.get(key)
        if sound is None:
            sound = cache[key] = render(key, sample_rate)
        end = min(n_samples, start + len(sound))
        out[start:end] += sound[: end - start] * np.float32(note.gain)
    return out


def render(key: tuple, sample_rate: int) -> np.ndarray:
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
