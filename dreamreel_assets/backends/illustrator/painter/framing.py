"""The cast of a shot: where each character stands, by shot type, and the backdrop behind them."""

from __future__ import annotations

import cv2
import numpy as np

from dreamreel_assets.backends.illustrator.painter.basics import scaled
from dreamreel_assets.backends.illustrator.painter.canvas import Canvas
from dreamreel_assets.backends.illustrator.painter.designs import CharacterDesign, stranger_design
from dreamreel_assets.backends.illustrator.painter.effects import blur_downsampled
from dreamreel_assets.backends.illustrator.painter.figures import Pose, draw_figure
from dreamreel_assets.backends.illustrator.painter.world import World
from dreamreel_assets.models import Shot


def figure_tone(world: World):
    """Characters take half the scene's ambient tint, so they stay recognisable at night."""
    ambient = tuple(0.5 + 0.5 * a for a in world.ambient)
    return lambda colour: scaled(colour, ambient)  # type: ignore[arg-type]


def frame_figures(world: World, shot: Shot, designs: dict[str, CharacterDesign]) -> list[tuple[str, Pose]]:
    """Where each of the shot's characters stands and how big, by shot type."""
    ids = [cid for cid in shot.characters if cid in designs]
    if not ids:
        return []
    w, h, rng = world.w, world.h, world.rng
    portrait = h > w
    kind = shot.shot_type
    if kind in ("establishing", "wide"):
        size = h * (0.2 if kind == "establishing" else 0.44) * (0.75 if portrait else 1.0)
        centre = w * float(rng.uniform(0.32, 0.68))
        gap = size * 0.42
        feet = h * (0.9 if kind == "establishing" else 0.95)
        return [(cid, _standing(designs[cid], centre + (i - (len(ids) - 1) / 2) * gap, feet, size, i, len(ids)))
                for i, cid in enumerate(ids)]
    if kind == "close-up":
        d = designs[ids[0]]
        head = min(h * 0.42, w * 0.55)
        size = head / d.head_ratio
        cx = w * (0.5 + float(rng.choice([-1, 1])) * float(rng.uniform(0.06, 0.14)))
        facing = 0 if rng.random() < 0.4 else (1 if cx < w / 2 else -1)
        return [(ids[0], Pose(cx, h * (0.3 if portrait else 0.14), size, facing))]
    if kind == "over-the-shoulder":
        return _over_the_shoulder(world, ids, designs)
    n = min(len(ids), 3)
    size = min(h * 1.3, w / (n * 0.34)) if not portrait else min(h * 0.95, w / (n * 0.34))
    xs = [w * (0.5 + (i - (n - 1) / 2) * (0.62 / max(1, n - 1) if n > 1 else 0)) for i in range(n)]
    xs = [x + w * float(rng.uniform(-0.04, 0.04)) for x in xs]
    poses = []
    for i, (cid, x) in enumerate(zip(ids[:n], xs)):
        d = designs[cid]
        facing = 0 if n == 1 else (1 if x < w / 2 else -1)
        poses.append((cid, Pose(x, h * (0.14 if not portrait else 0.28) + size * (1 - d.height) * 0.3,
                                size * d.height ** 0.5, facing)))
    return poses


def _standing(design: CharacterDesign, x: float, feet: float, size: float, i: int, n: int) -> Pose:
    height = size * design.height
    facing = 0 if n == 1 else (1 if i < (n - 1) / 2 else -1 if i > (n - 1) / 2 else 0)
    return Pose(x, feet - height, height, facing)


def _over_the_shoulder(world: World, ids: list[str], designs: dict[str, CharacterDesign]) -> list[tuple[str, Pose]]:
    w, h = world.w, world.h
    side = 1 if world.rng.random() < 0.5 else -1
    listener = ids[0] if len(ids) > 1 else ""
    speakers = ids[1:] if len(ids) > 1 else ids
    poses = []
    for i, cid in enumerate(speakers[:2]):
        d = designs[cid]
        head = min(h * 0.24, w * 0.3)
        x = w * (0.5 - side * (0.14 - 0.2 * i))
        poses.append((cid, Pose(x, h * (0.2 if h <= w else 0.3), head / d.head_ratio, side)))
    head = min(h * 0.4, w * 0.5)
    poses.append((listener, Pose(w * (0.5 + side * 0.36), h * 0.3 if h <= w else h * 0.5, head / 0.142, -side,
                                 back=True)))
    return poses


def paint_cast(world: World, shot: Shot, designs: dict[str, CharacterDesign]) -> None:
    """The shot's characters, framed by shot type; the backdrop goes soft behind close framings."""
    canvas, style = world.canvas, world.style
    poses = frame_figures(world, shot, designs)
    if poses and shot.shot_type in ("medium", "close-up", "over-the-shoulder") and style.drawing.depth_of_field:
        blur_backdrop(canvas, 0.012 if shot.shot_type == "medium" else 0.02)
    tone = figure_tone(world)
    for cid, pose in poses:
        if not pose.back:
            draw_figure(canvas, designs[cid], pose, tone)
    for cid, pose in poses:  # the near shoulder of an over-the-shoulder goes on top
        if pose.back:
            paint_foreground_shoulder(canvas, designs.get(cid, stranger_design()), pose, tone,
                                      soft=style.drawing.pixel_rows is None)


def blur_backdrop(canvas: Canvas, amount: float) -> None:
    """Depth of field: soften everything drawn so far and forget its shapes (no outlines)."""
    rgb, _ = canvas.arrays()
    blurred = blur_downsampled(rgb.astype(np.float32), canvas.short * amount)
    canvas.set_arrays(np.clip(blurred, 0, 255).astype(np.uint8), np.zeros((canvas.height, canvas.width), np.uint8))


def paint_foreground_shoulder(canvas: Canvas, design: CharacterDesign, pose: Pose, tone, soft: bool = True) -> None:
    """The near character of an over-the-shoulder, darkened. `soft`: drawn small, blurred up and
    without shapes, so the style pass leaves it out of focus."""
    if not soft:
        draw_figure(canvas, design, pose, lambda c: scaled(tone(c), 0.55))
        return
    factor = 4
    small = Canvas((max(2, canvas.width // factor), max(2, canvas.height // factor)))
    shrunk = Pose(pose.cx / factor, pose.top / factor, pose.size / factor, pose.facing, back=True)
    draw_figure(small, design, shrunk, lambda c: scaled(tone(c), 0.5))
    size = (canvas.width, canvas.height)
    rgb_small, mask_small = small.arrays()
    fg = cv2.GaussianBlur(cv2.resize(rgb_small, size, interpolation=cv2.INTER_LINEAR).astype(np.float32), (0, 0), 2)
    alpha = (mask_small > 0).astype(np.float32)
    alpha = cv2.GaussianBlur(cv2.resize(alpha, size, interpolation=cv2.INTER_LINEAR), (0, 0), 3)[..., None]
    rgb, labels = canvas.arrays()
    out = rgb.astype(np.float32) * (1 - alpha) + fg * alpha
    labels[alpha[..., 0] > 0.3] = 0
    canvas.set_arrays(np.clip(out, 0, 255).astype(np.uint8), labels)
