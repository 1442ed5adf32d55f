"""Textures of the styles, cached per size: they do not depend on the picture."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def smooth_noise(h: int, w: int, cell: int, seed: int) -> np.ndarray:
    """Value noise in about [-1, 1], with features about `cell` pixels across."""
    rng = np.random.default_rng(seed)
    grid = rng.standard_normal((h // cell + 3, w // cell + 3)).astype(np.float32)
    big = cv2.resize(grid, ((w // cell + 3) * cell, (h // cell + 3) * cell), interpolation=cv2.INTER_CUBIC)
    return big[cell:cell + h, cell:cell + w]


@lru_cache(maxsize=8)
def vignette(h: int, w: int, strength: float) -> np.ndarray:
    y, x = np.ogrid[-1:1:h * 1j, -1:1:w * 1j]
    r2 = (x * x + y * y).astype(np.float32) / 2
    return _frozen((1 - strength * r2 ** 1.5)[..., None].astype(np.float32))


@lru_cache(maxsize=8)
def film_grain(h: int, w: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    grain = rng.standard_normal((h, w), dtype=np.float32)
    return _frozen(cv2.GaussianBlur(grain, (0, 0), 0.6)[..., None])


@lru_cache(maxsize=8)
def paper(h: int, w: int) -> np.ndarray:
    """Watercolour paper: fine tooth plus faint blotches, as a multiplier near 1."""
    rng = np.random.default_rng(11)
    tooth = cv2.GaussianBlur(rng.standard_normal((h, w), dtype=np.float32), (0, 0), 1.0)
    blotch = smooth_noise(h, w, max(8, min(h, w) // 10), 12)
    return _frozen((1 - 0.025 * np.abs(tooth) - 0.02 * blotch)[..., None])


@lru_cache(maxsize=8)
def canvas_weave(h: int, w: int) -> np.ndarray:
    """Storybook texture: a faint woven canvas plus crayon-like grain."""
    y, x = np.ogrid[0:h, 0:w]
    period = max(3.0, min(h, w) / 180)
    weave = (np.sin(x * (2 * np.pi / period)) * np.sin(y * (2 * np.pi / period))).astype(np.float32)
    rng = np.random.default_rng(13)
    grain = cv2.GaussianBlur(rng.standard_normal((h, w), dtype=np.float32), (0, 0), 1.2)
    mottle = smooth_noise(h, w, max(6, min(h, w) // 14), 14)
    return _frozen((1 + 0.025 * weave - 0.035 * np.abs(grain) + 0.03 * mottle)[..., None])


@lru_cache(maxsize=8)
def thumbprints(h: int, w: int) -> np.ndarray:
    """Claymation: soft lumps and fingerprints in the clay."""
    lumps = smooth_noise(h, w, max(6, min(h, w) // 60), 21)
    swirl = smooth_noise(h, w, max(12, min(h, w) // 18), 22)
    return _frozen((1 + 0.035 * lumps + 0.03 * swirl)[..., None])


@lru_cache(maxsize=8)
def halftone_cells(h: int, w: int, period: float) -> np.ndarray:
    """Distance (in cell units, 0..0.71) from each pixel to the centre of its dot on a 45° grid."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (x + y) * (0.7071 / period)
    v = (x - y) * (0.7071 / period)
    du, dv = u - np.round(u), v - np.round(v)
    return _frozen(np.sqrt(du * du + dv * dv))


@lru_cache(maxsize=8)
def bayer(h: int, w: int) -> np.ndarray:
    """A 4x4 ordered-dither threshold map in [-0.5, 0.5)."""
    m = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 - 0.5
    return _frozen(np.tile(m, (h // 4 + 1, w // 4 + 1))[:h, :w, None])


@lru_cache(maxsize=8)
def watercolor_flow(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """A smooth displacement field: paint wanders a little past the pencil lines."""
    amp = max(1.0, min(h, w) * 0.006)
    cell = max(6, min(h, w) // 20)
    dx, dy = smooth_noise(h, w, cell, 31) * amp, smooth_noise(h, w, cell, 32) * amp
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return _frozen(x + dx), _frozen(y + dy)
