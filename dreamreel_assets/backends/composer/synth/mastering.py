"""Mastering: fades at both ends and the peak level, in place."""

from __future__ import annotations

import numpy as np

PEAK = 0.89
FADE_IN_S = 2.0
FADE_OUT_S = 3.0


def fade(samples: np.ndarray, sample_rate: int) -> None:
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


def normalise_peak(samples: np.ndarray, target: float, block: int = 1 << 20) -> None:
    """Scale in place so the loudest sample is `target`; in blocks, to avoid whole-buffer copies."""
    peak = max((float(np.abs(samples[i:i + block]).max()) for i in range(0, len(samples), block)),
               default=0.0)
    if peak > 0:
        samples *= np.float32(target / peak)
