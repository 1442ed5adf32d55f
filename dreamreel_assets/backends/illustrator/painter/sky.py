"""The sky and the weather: gradient, stars, sun or moon, clouds, lightning, fog, rain and snow."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from dreamreel_assets.backends.illustrator.painter.basics import mix, scaled, stable_int
from dreamreel_assets.backends.illustrator.painter.canvas import gradient_image
from dreamreel_assets.backends.illustrator.painter.textures import smooth_noise
from dreamreel_assets.backends.illustrator.painter.world import SUN_HEIGHT, World


def paint_sky(world: World) -> None:
    c = world.canvas
    c.image.paste(gradient_image((c.width, c.height), world.sky, world.horizon))
    spec = world.spec
    if spec.dark and spec.weather not in ("rain", "storm", "fog"):
        paint_stars(world, 260 if spec.place == "space" else 140)
    if spec.place == "space" and not spec.indoor:
        paint_nebula(world)
    paint_sun_or_moon(world)


def paint_stars(world: World, count: int) -> None:
    rng, c = world.rng, world.canvas
    xs, ys = rng.uniform(0, c.width, count), rng.uniform(0, world.horizon * 0.95, count)
    sizes = rng.choice([0.6, 0.9, 1.3, 2.0], count, p=[0.5, 0.3, 0.15, 0.05]) * max(1.0, world.u * 1.6)
    for x, y, s in zip(xs, ys, sizes):
        shade = int(150 + 100 * min(1.0, s / (2 * max(1.0, world.u * 1.6))))
        c.ellipse((x - s, y - s, x + s, y + s), (shade, shade, min(255, shade + 20)), label=False)


def paint_nebula(world: World) -> None:
    c = world.canvas
    h, w = max(4, c.height // 16), max(4, c.width // 16)
    seed = stable_int("nebula", world.scene_key)
    cloud = np.clip(smooth_noise(h, w, max(2, min(h, w) // 3), seed % (1 << 31)), 0, None)
    hue = np.array(((140, 60, 170), (40, 120, 170), (190, 70, 110))[seed % 3], np.float32)
    layer = cv2.resize(cloud, (c.width, c.height), interpolation=cv2.INTER_CUBIC)[..., None] * hue * 0.3
    rgb = np.asarray(c.image).astype(np.float32) + layer
    c.image.paste(Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)))


def paint_sun_or_moon(world: World) -> None:
    spec, c, u = world.spec, world.canvas, world.u
    overcast = spec.weather in ("rain", "storm", "fog")
    x = c.width * float(world.scene_rng("sun").uniform(0.15, 0.85)) - world.pan * c.short * 0.3
    x = min(max(x, c.width * 0.08), c.width * 0.92)
    y = world.horizon * SUN_HEIGHT[spec.time]
    if spec.time == "night" or spec.place == "space":
        if "moon" in spec.props or spec.place == "space":
            r = 38 * u
            c.ellipse((x - r, y - r, x + r, y + r), (236, 234, 214) if not overcast else (150, 154, 164))
            c.ellipse((x - r * 0.5, y - r * 0.3, x - r * 0.1, y + r * 0.1), (206, 204, 188), label=False)
            c.glow(x, y, 260 * u, (150, 170, 230), 0.55 if not overcast else 0.25)
        return
    warm = {"dawn": (255, 214, 160), "sunset": (255, 160, 84), "dusk": (255, 140, 90)}.get(spec.time, (255, 248, 222))
    if overcast:
        c.glow(x, y, 420 * u, warm, 0.25)
        return
    r = 46 * u
    c.ellipse((x - r, y - r, x + r, y + r), warm)
    c.glow(x, y, 420 * u, warm, 0.6 if spec.time in ("dawn", "sunset", "dusk") else 0.4)


def paint_clouds(world: World, count: int) -> None:
    rng, c, u = world.rng, world.canvas, world.u
    base = mix(world.sky[1], (255, 255, 255), 0.55)
    if world.spec.time in ("dawn", "sunset", "dusk"):
        base = mix(world.sky[2], (250, 210, 200), 0.4)
    if world.spec.time == "night":
        base = mix(world.sky[1], (120, 130, 170), 0.35)
    if world.spec.weather in ("rain", "storm"):
        base = scaled(world.sky[0], 0.85)
    for _ in range(count):
        cx, cy = rng.uniform(-0.1, 1.1) * c.width, rng.uniform(0.08, 0.75) * world.horizon
        size = rng.uniform(50, 130) * u * (1.6 if world.spec.weather in ("rain", "storm") else 1.0)
        label = c.new_label()
        colour = mix(base, world.sky[0], float(rng.uniform(0, 0.15)))
        for _ in range(int(rng.integers(4, 8))):
            dx, dy = rng.uniform(-1.4, 1.4) * size, rng.uniform(-0.45, 0.1) * size
            r = rng.uniform(0.45, 0.8) * size
            c.ellipse((cx + dx - r, cy + dy - r * 0.7, cx + dx + r, min(cy + dy + r * 0.7, cy + size * 0.25)),
                      colour, label)


def paint_lightning(world: World) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    x = c.width * float(rng.uniform(0.2, 0.8))
    points, y = [(x, 0.0)], 0.0
    while y < world.horizon * 0.9:
        y += float(rng.uniform(20, 60)) * u
        x += float(rng.uniform(-40, 40)) * u
        points.append((x, y))
    c.line(points, (250, 250, 255), 5 * u)
    c.glow(x, world.horizon * 0.4, 700 * u, (200, 210, 255), 0.5)


def paint_fog_banks(world: World) -> None:
    c, u = world.canvas, world.u
    c.rect((-1, -1, c.width + 1, c.height + 1), (222, 224, 228, 70), label=False, radius=0)
    for k in range(4):
        y = world.horizon + (k - 1) * 60 * u + world.rng.uniform(-20, 20) * u
        c.rect((-c.width * 0.1, y - 40 * u, c.width * 1.1, y + 40 * u), (226, 228, 232, 80), label=False, radius=0.5)


# --- weather in front of everything -------------------------------------------------------

def paint_precipitation(world: World) -> None:
    c, u, rng, weather = world.canvas, world.u, world.rng, world.spec.weather
    if world.spec.indoor:
        return
    if weather in ("rain", "storm"):
        count = int(320 * c.width / c.short)
        xs, ys = rng.uniform(-0.1, 1.0, count) * c.width, rng.uniform(0, 1, count) * c.height
        lengths = rng.uniform(20, 50, count) * u
        for x, y, length in zip(xs, ys, lengths):
            c.line([(x, y), (x + length * 0.25, y + length)], (210, 220, 235, 90), max(1, 2 * u))
    if weather == "snow":
        count = int(260 * c.width / c.short)
        xs, ys = rng.uniform(0, c.width, count), rng.uniform(0, c.height, count)
        rs = rng.uniform(2, 6, count) * u
        for x, y, r in zip(xs, ys, rs):
            c.ellipse((x - r, y - r, x + r, y + r), (248, 250, 255, 220), label=False)
