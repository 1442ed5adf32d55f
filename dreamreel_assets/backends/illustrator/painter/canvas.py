"""The canvas the painter draws on: an RGB picture, a label map of its shapes, and its lights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from dreamreel_assets.backends.illustrator.painter.basics import RGB


@dataclass(frozen=True)
class Light:
    x: float
    y: float
    radius: float
    colour: RGB
    strength: float


class Canvas:
    """An RGB picture plus a label map: each solid shape also gets its own label, so the style
    pass can find shape boundaries (outlines) and interiors (shading) without edge detection.
    `label=None` gives a shape a fresh label, an int reuses one, False leaves the map alone
    (for soft things: glows, rain, windows too small to outline)."""

    def __init__(self, size: tuple[int, int], roundness: float = 0.0, first_label: int = 0):
        self.width, self.height = size
        self.image = Image.new("RGB", size)
        self.labels = Image.new("L", size, 0)
        self._paint = ImageDraw.Draw(self.image, "RGBA")
        self._mark = ImageDraw.Draw(self.labels)
        self.last_label = first_label
        self.roundness = roundness
        self.lights: list[Light] = []

    @property
    def short(self) -> int:
        return min(self.width, self.height)

    def new_label(self) -> int:
        self.last_label = self.last_label % 255 + 1
        return self.last_label

    def _shape(self, method: str, xy, fill, label, **kw) -> None:
        getattr(self._paint, method)(xy, fill=fill, **kw)
        if label is not False:
            getattr(self._mark, method)(xy, fill=self.new_label() if label is None else label, **kw)

    def polygon(self, points, fill, label=None) -> None:
        self._shape("polygon", [(float(x), float(y)) for x, y in points], fill, label)

    def ellipse(self, box, fill, label=None) -> None:
        self._shape("ellipse", _box(box), fill, label)

    def chord(self, box, start: float, end: float, fill, label=None) -> None:
        self._shape("chord", _box(box), fill, label, start=start, end=end)

    def rect(self, box, fill, label=None, radius: float | None = None) -> None:
        box = _box(box)
        r = min(box[2] - box[0], box[3] - box[1]) * (self.roundness if radius is None else radius)
        if r >= 1:
            self._shape("rounded_rectangle", box, fill, label, radius=r)
        else:
            self._shape("rectangle", box, fill, label)

    def line(self, points, fill, width: float, label=False) -> None:
        self._shape("line", [(float(x), float(y)) for x, y in points], fill, label,
                    width=max(1, int(round(width))), joint="curve")

    def ring(self, box, colour, width: float) -> None:
        self._paint.ellipse(_box(box), outline=colour, width=max(1, int(round(width))))

    def arc(self, box, start: float, end: float, colour, width: float) -> None:
        self._paint.arc(_box(box), start, end, fill=colour, width=max(1, int(round(width))))

    def glow(self, x: float, y: float, radius: float, colour: RGB, strength: float) -> None:
        self.lights.append(Light(x, y, radius, colour, strength))

    def light_map(self) -> np.ndarray | None:
        """The lights as an additive RGB map at 1/8 size (styles upscale it)."""
        if not self.lights:
            return None
        h, w = max(2, self.height // 8), max(2, self.width // 8)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        xs, ys = (xs + 0.5) * (self.width / w), (ys + 0.5) * (self.height / h)
        total = np.zeros((h, w, 3), np.float32)
        for light in self.lights:
            d2 = ((xs - light.x) ** 2 + (ys - light.y) ** 2) / max(light.radius, 1.0) ** 2
            falloff = light.strength / (1 + 6 * d2) ** 1.5
            total += falloff[..., None] * (np.array(light.colour, np.float32) / 255)
        return total

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.image).copy(), np.asarray(self.labels).copy()

    def set_arrays(self, rgb: np.ndarray, labels: np.ndarray | None = None) -> None:
        self.image.paste(Image.fromarray(rgb))
        if labels is not None:
            self.labels.paste(Image.fromarray(labels))


def _box(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def gradient_image(size: tuple[int, int], stops: tuple[RGB, ...], until: float) -> Image.Image:
    """A vertical gradient through `stops`, reaching the last one at y = `until` (px)."""
    w, h = size
    y = np.arange(h, dtype=np.float32) / max(until, 1.0)
    t = np.clip(y, 0, 1) * (len(stops) - 1)
    column = np.stack([np.interp(t, np.arange(len(stops)), [c[k] for c in stops]) for k in range(3)], -1)
    return Image.fromarray(column.astype(np.uint8)[:, None, :]).resize((w, h), Image.NEAREST)
