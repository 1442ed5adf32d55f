"""Character sheets: full figure, bust, colour swatches and a name plate."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dreamreel_assets.backends.illustrator.painter.basics import mix, scaled
from dreamreel_assets.backends.illustrator.painter.canvas import Canvas, Light, gradient_image
from dreamreel_assets.backends.illustrator.painter.designs import CharacterDesign
from dreamreel_assets.backends.illustrator.painter.figures import Pose, draw_figure
from dreamreel_assets.models import Character


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType
        return ImageFont.load_default()


def paint_sheet(canvas: Canvas, design: CharacterDesign) -> tuple[float, float, float, float]:
    """Backdrop, full figure, bust and swatches; returns the name plate's box (canvas px)."""
    w, h = canvas.width, canvas.height
    backdrop = mix((232, 226, 214), design.accent, 0.12)
    canvas.image.paste(gradient_image((w, h), (scaled(backdrop, 1.04), backdrop, scaled(backdrop, 0.86)), h))
    portrait = h >= w
    plate = (w * 0.05, h * 0.875, w * 0.95, h * 0.97)
    canvas.rect(plate, (246, 240, 226), radius=0.25)
    body = (0, h * 0.03, w * (0.56 if portrait else 0.4), h * 0.85)
    bust = (w * 0.56, h * 0.04, w * 0.96, h * 0.5) if portrait else (w * 0.42, h * 0.06, w * 0.74, h * 0.82)
    # full figure, on a floor shadow
    size = (body[3] - body[1]) * 0.88
    height = size * design.height
    feet = body[3] - (body[3] - body[1]) * 0.02
    cx = (body[0] + body[2]) / 2
    shadow = (cx - size * 0.18, feet - size * 0.025, cx + size * 0.18, feet + size * 0.02)
    canvas.ellipse(shadow, scaled(backdrop, 0.8), label=False)
    draw_figure(canvas, design, Pose(cx, feet - height, height, 0))
    paint_bust(canvas, design, bust)
    paint_swatches(canvas, design, bust, portrait)
    return plate


def paint_bust(canvas: Canvas, design: CharacterDesign, box) -> None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    panel = Canvas((x1 - x0, y1 - y0), canvas.roundness, first_label=canvas.last_label)
    panel.image.paste(gradient_image(panel.image.size, (mix(design.accent, (255, 255, 255), 0.55),
                                                         mix(design.accent, (255, 255, 255), 0.3)), panel.height))
    panel.labels.paste(panel.new_label(), (0, 0, panel.width, panel.height))
    head = min(panel.height * 0.42, panel.width * 0.55)
    size = head / design.head_ratio
    draw_figure(panel, design, Pose(panel.width / 2, panel.height * 0.2, size, 1))
    canvas.rect((x0 - 3, y0 - 3, x1 + 3, y1 + 3), (60, 52, 48), radius=0.04)
    canvas.image.paste(panel.image, (x0, y0))
    canvas.labels.paste(panel.labels, (x0, y0))
    canvas.last_label = panel.last_label
    canvas.lights.extend(Light(l.x + x0, l.y + y0, l.radius, l.colour, l.strength) for l in panel.lights)


def paint_swatches(canvas: Canvas, design: CharacterDesign, bust, portrait: bool) -> None:
    w, h = canvas.width, canvas.height
    if portrait:
        x0, y0, x1, y1 = bust[0], bust[3] + h * 0.04, bust[2], h * 0.84
        cells = [(x0 + (x1 - x0) * (0.25 + 0.5 * (i % 2)), y0 + (y1 - y0) * (0.25 + 0.5 * (i // 2)))
                 for i in range(4)]
        r = min(x1 - x0, y1 - y0) * 0.2
    else:
        x0, y0, x1, y1 = w * 0.78, h * 0.08, w * 0.95, h * 0.82
        cells = [((x0 + x1) / 2, y0 + (y1 - y0) * (0.125 + 0.25 * i)) for i in range(4)]
        r = min(x1 - x0, (y1 - y0) / 4) * 0.38
    for (cx, cy), colour in zip(cells, design.palette):
        canvas.ellipse((cx - r, cy - r, cx + r, cy + r), colour)


def label_sheet(picture: Image.Image, character: Character, plate, drawn_width: int) -> None:
    """Name and role on the plate, drawn after the style pass so they stay legible."""
    k = picture.width / drawn_width
    x0, y0, x1, y1 = (v * k for v in plate)
    region = np.asarray(picture.crop((int(x0), int(y0), int(x1), int(y1))), dtype=np.float32)
    ink = (28, 28, 28) if region.mean() > 110 else (244, 244, 244)
    draw = ImageDraw.Draw(picture)
    name_font = _font(max(8, int((y1 - y0) * 0.48)))
    role_font = _font(max(7, int((y1 - y0) * 0.22)))
    cx = (x0 + x1) / 2
    draw.text((cx, y0 + (y1 - y0) * 0.36), character.name, fill=ink, font=name_font, anchor="mm")
    role = f"{character.role} · {character.age}"
    draw.text((cx, y0 + (y1 - y0) * 0.74), role, fill=ink, font=role_font, anchor="mm")
