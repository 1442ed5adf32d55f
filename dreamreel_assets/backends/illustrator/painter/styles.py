"""A style as the painter uses it: the catalog's entry for the script's style, the size it is drawn
at, and its limited palette (for pixel art)."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from dreamreel_assets.catalog.styles import Style, styles

MIN_DETAIL_ROWS = 450


def style_of(name: str) -> Style:
    return styles()[name]


def pixel_factor(out_size: tuple[int, int], pixel_rows: int) -> int:
    """How many output pixels across one drawn pixel is."""
    return max(2, round(min(out_size) / pixel_rows))


def render_size(style: Style, out_size: tuple[int, int]) -> tuple[int, int]:
    """The size the painter draws at for this style and output size."""
    w, h = out_size
    if style.drawing.pixel_rows:
        f = pixel_factor(out_size, style.drawing.pixel_rows)
        return math.ceil(w / f), math.ceil(h / f)
    detail = min(1.0, max(style.drawing.detail, MIN_DETAIL_ROWS / min(w, h)))
    return max(8, round(w * detail)), max(8, round(h * detail))


@lru_cache(maxsize=16)
def palette_colours(palette: tuple[str, ...]) -> np.ndarray:
    """'rrggbb' colours as float RGB rows in [0, 1]."""
    return np.array([[int(h[i:i + 2], 16) for i in (0, 2, 4)] for h in palette], dtype=np.float32) / 255
