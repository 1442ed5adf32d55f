"""Small helpers of the painter: stable seeds, the words of a text, colour arithmetic."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata

import numpy as np


RGB = tuple[int, int, int]


def stable_int(*parts: object) -> int:
    """A seed from values, stable across processes (unlike `hash`)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rng_for(*parts: object) -> np.random.Generator:
    return np.random.default_rng(stable_int(*parts))


PHRASES = {  # multi-word expressions, read as one word before splitting
    "first light": "dawn", "golden hour": "sunset", "blue hour": "dusk", "late night": "night",
    "dust storm": "haze", "sandstorm": "haze", "walking stick": "cane", "top hat": "tophat",
}


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words ("café" -> "cafe"), with known phrases folded into one word."""
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    for phrase, word in PHRASES.items():
        text = text.replace(phrase, word)
    return re.findall(r"[a-z]+", text)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def scaled(c: RGB, f: float | tuple[float, float, float]) -> RGB:
    fs = f if isinstance(f, tuple) else (f, f, f)
    return tuple(max(0, min(255, int(round(x * k)))) for x, k in zip(c, fs))  # type: ignore[return-value]


def saturated(c: RGB, amount: float) -> RGB:
    grey = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
    return tuple(max(0, min(255, int(round(grey + (x - grey) * amount)))) for x in c)  # type: ignore[return-value]


def ellipse_points(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0, n: int = 28):
    """A rotated ellipse as a polygon (PIL cannot rotate ellipses)."""
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts
