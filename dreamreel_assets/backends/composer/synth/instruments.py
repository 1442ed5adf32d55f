"""Instruments: a tone with its envelope, stereo width and level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from dreamreel_assets.backends.composer.synth import tones


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



def _percussion(tone: Callable[[float, np.ndarray, int], np.ndarray], attack: float, release: float,
                level: float = 1.0) -> Instrument:
    """A drum or noise: no decay stage, full level from the attack until the release."""
    return Instrument(tone, attack, 0.0, 1.0, release, level=level)


# Positional: tone, attack s, decay s, sustain level, release s; grouped by the part they play.
_SUSTAINED: dict[str, Instrument] = {
    "brass_pad": Instrument(tones.brass, 0.15, 0.4, 0.75, 0.5, width_cents=6, level=0.75),
    "soft_pad": Instrument(tones.soft, 0.5, 0.5, 0.8, 0.8, width_cents=5, level=0.75),
    "airy_pad": Instrument(tones.airy, 1.0, 0.5, 0.85, 1.2, width_cents=8),
    "shimmer_pad": Instrument(tones.shimmer, 1.5, 0.5, 0.9, 1.5, width_cents=10, level=0.9),
    "warm_pad": Instrument(tones.mellow_saw, 0.4, 0.5, 0.8, 0.8, width_cents=7, level=0.7),
    "dark_pad": Instrument(tones.dark_saw, 0.8, 0.5, 0.8, 1.0, width_cents=9, level=0.7),
    "drone": Instrument(tones.drone, 0.6, 0.5, 0.9, 1.0, level=0.8),
    "strings": Instrument(tones.string_saw, 0.02, 0.1, 0.7, 0.08, level=1.2),
}
_BASSES: dict[str, Instrument] = {
    "sine_bass": Instrument(tones.sine_bass, 0.01, 0.3, 0.7, 0.15, level=0.65),
    "pluck_bass": Instrument(tones.pluck_bass, 0.005, 0.2, 0.5, 0.1, level=1.4),
}
_LEADS: dict[str, Instrument] = {
    "brass_lead": Instrument(tones.brass_lead, 0.05, 0.2, 0.8, 0.2, level=1.1),
    "square_lead": Instrument(tones.pluck_square, 0.004, 0.15, 0.6, 0.12, level=2.5),
    "flute": Instrument(tones.flute, 0.08, 0.2, 0.85, 0.25, level=0.95),
    "dark_lead": Instrument(tones.dark_lead, 0.4, 0.5, 0.8, 0.8),
}
_STRUCK: dict[str, Instrument] = {
    "piano": Instrument(tones.piano, 0.004, 0.5, 0.6, 0.35, level=1.4),
    "bell": Instrument(tones.bell, 0.003, 0.1, 0.9, 1.2, level=1.4),
    "glass": Instrument(tones.glass, 0.004, 0.1, 0.9, 0.8, level=1.6),
    "pluck_square": Instrument(tones.pluck_square, 0.003, 0.1, 0.5, 0.1, level=2.0),
    "soft_pluck": Instrument(tones.soft_pluck, 0.005, 0.2, 0.6, 0.3, level=1.4),
}
_PERCUSSION: dict[str, Instrument] = {
    "timpani": _percussion(tones.timpani, 0.002, 1.2, level=0.5),
    "kick": _percussion(tones.kick, 0.002, 0.3),
    "low_hit": _percussion(tones.low_hit, 0.003, 1.5, level=0.8),
    "hat": _percussion(tones.hat, 0.001, 0.06, level=4.0),
    "shaker": _percussion(tones.shaker, 0.002, 0.1, level=6.0),
    "tick": _percussion(tones.tick, 0.001, 0.04, level=3.0),
    "rumble": _percussion(tones.rumble, 0.5, 1.0, level=0.8),
}
INSTRUMENTS: dict[str, Instrument] = {**_SUSTAINED, **_BASSES, **_LEADS, **_STRUCK, **_PERCUSSION}
