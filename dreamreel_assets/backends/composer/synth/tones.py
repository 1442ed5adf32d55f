"""Waveforms: each instrument's tone as `(frequency Hz, time s, sample rate) -> samples`,
band-limited additive synthesis (wavetables for steady tones, decaying partials for struck ones)
and filtered noise for percussion."""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt

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


def mellow_saw(f, t, sr):
    return _saw(f, t, sr, harmonics=6, rolloff=2.0)


def dark_saw(f, t, sr):
    return _saw(f, t, sr, harmonics=8, rolloff=1.6)


def string_saw(f, t, sr):
    return _saw(f, t, sr, harmonics=10, rolloff=1.4)


def _vibrato_cycles(f, t, rate=5.2, depth=0.004):
    """Phase in cycles of a tone whose pitch wobbles by `depth` (fraction), fading in over 0.4 s."""
    depth_t = depth * np.minimum(t / 0.4, 1)
    return f * t - (f * depth_t / (2 * np.pi * rate)) * np.cos(2 * np.pi * rate * t)


def brass(f, t, sr):
    # A dull tone opening into a bright one: the brassy "blat" of an attack.
    k = np.arange(1, 11)
    dull = _harmonic(f, f * t, sr, 0.6 / k**2.5)
    bright = _harmonic(f, f * t, sr, 0.6 / k**1.1)
    opening = np.exp(-t * 6)
    return dull * opening + bright * (1 - opening)


def brass_lead(f, t, sr):
    k = np.arange(1, 9)
    return _harmonic(f, _vibrato_cycles(f, t), sr, 0.55 / k**1.3)


def flute(f, t, sr):
    return _harmonic(f, _vibrato_cycles(f, t, rate=4.8, depth=0.005), sr, (0.7, 0.12, 0.05))


def dark_lead(f, t, sr):
    return _harmonic(f, _vibrato_cycles(f, t, rate=3.5, depth=0.008), sr, (0.7, 0, 0.2))


def soft(f, t, sr):
    return _harmonic(f, f * t, sr, (0.6, 0.15, 0.05))


def airy(f, t, sr):
    breathe = 0.75 + 0.25 * np.sin(2 * np.pi * 0.3 * t)
    return _harmonic(f, f * t, sr, (0.5, 0.25, 0.08)) * breathe


def shimmer(f, t, sr):
    # Each pitch's LFO starts at its own phase, so a chord's voices swell in turn.
    shimmer = 0.7 + 0.3 * np.sin(2 * np.pi * 0.25 * t + f % 1 * 6)
    return _harmonic(f, f * t, sr, (0.5, 0.25, 0, 0.1)) * shimmer


def drone(f, t, sr):
    # A second, slightly sharp tone beats slowly against the first.
    beating = _harmonic(f, f * t, sr, (0.45, 0.2, 0.08)) + 0.35 * np.sin(2 * np.pi * 1.006 * f * t)
    return beating * (0.8 + 0.2 * np.sin(2 * np.pi * 0.15 * t))


def pluck_square(f, t, sr):
    odd = np.arange(1, 16, 2)
    return _partials(f, t, sr, odd, 0.7 / odd, 5 + 1.5 * odd)


def soft_pluck(f, t, sr):
    return _partials(f, t, sr, (1, 2, 3), (0.7, 0.2, 0.05), (2.5, 4.5, 7))


def piano(f, t, sr):
    k = np.arange(1, 9)
    stretched = k * np.sqrt(1 + 0.0004 * k**2)  # string stiffness: slightly sharp overtones
    return _partials(f, t, sr, stretched, 0.6 / k**1.4, 0.9 + 0.6 * k)


def bell(f, t, sr):
    ratios = (1, 2.0, 2.76, 4.07, 5.4)  # inharmonic, like a struck bar or bell
    return _partials(f, t, sr, ratios, (0.5, 0.18, 0.25, 0.1, 0.08), (1.0, 1.6, 2.2, 3.2, 4.5))


def glass(f, t, sr):
    return _partials(f, t, sr, (1, 3.0, 4.2), (0.55, 0.12, 0.06), (1.5, 4, 6))


def sine_bass(f, t, sr):
    return _harmonic(f, f * t, sr, (0.7, 0.25, 0.08))


def pluck_bass(f, t, sr):
    k = np.arange(1, 7)
    return _partials(f, t, sr, k, 0.6 / k, 3 + 1.5 * k)


def timpani(f, t, sr):
    settle = 2 * np.pi * f * (t + 0.08 / 12 * (1 - np.exp(-12 * t)))  # pitch sags after the hit
    body = (0.7 * np.sin(settle) + 0.3 * np.sin(1.5 * settle) + 0.15 * np.sin(2 * settle))
    return body * np.exp(-3 * t) + 0.3 * _noise(len(t), sr, lowpass_hz=800) * np.exp(-30 * t)


def kick(f, t, sr):
    phase = 2 * np.pi * (45 * t + (65 / 20) * (1 - np.exp(-20 * t)))
    return 0.9 * np.sin(phase) * np.exp(-9 * t)


def low_hit(f, t, sr):
    phase = 2 * np.pi * (38 * t + (50 / 8) * (1 - np.exp(-8 * t)))
    return (0.8 * np.sin(phase) + 0.4 * _noise(len(t), sr, lowpass_hz=200)) * np.exp(-2.5 * t)


def hat(f, t, sr):
    return 0.5 * _noise(len(t), sr, highpass=True) * np.exp(-60 * t)


def shaker(f, t, sr):
    return 0.5 * _noise(len(t), sr, highpass=True) * np.exp(-35 * t) * (1 - np.exp(-250 * t))


def tick(f, t, sr):
    return (0.5 * np.sin(2 * np.pi * 2200 * t) + 0.3 * np.sin(2 * np.pi * 3500 * t)) * np.exp(-120 * t)


def rumble(f, t, sr):
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
