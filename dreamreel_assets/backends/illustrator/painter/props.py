"""Things standing in a scene: trees, houses, towers, lighthouses, boats, lamps, starships, shelves."""

from __future__ import annotations

import numpy as np

from dreamreel_assets.backends.illustrator.painter.basics import ellipse_points, scaled
from dreamreel_assets.backends.illustrator.painter.world import World


def draw_tree(world: World, x: float, ground_y: float, size: float, depth: float, conifer: bool) -> None:
    c = world.canvas
    trunk = world.tone((92, 64, 42), depth)
    leaf = world.ground((46, 112, 52) if conifer else (72, 136, 58), depth)
    tw = size * 0.07
    c.rect((x - tw, ground_y - size * 0.45, x + tw, ground_y), trunk)
    if conifer:
        for k in range(3):
            top = ground_y - size * (1.05 - k * 0.22)
            half = size * (0.22 + k * 0.08)
            c.polygon([(x, top), (x + half, top + size * 0.42), (x - half, top + size * 0.42)],
                      scaled(leaf, 1 - 0.06 * k))
    else:
        label = c.new_label()
        for dx, dy, r in ((0, -0.72, 0.3), (-0.2, -0.55, 0.24), (0.2, -0.55, 0.24), (0, -0.9, 0.2)):
            c.ellipse((x + (dx - r) * size, ground_y + (dy - r) * size, x + (dx + r) * size,
                       ground_y + (dy + r) * size), leaf, label)


def draw_lighthouse(world: World, x: float, base: float, height: float) -> None:
    c = world.canvas
    w0, w1 = height * 0.13, height * 0.085
    white, red = world.tone((238, 236, 228), 0.3), world.tone((196, 50, 44), 0.3)
    c.polygon([(x - w0, base), (x + w0, base), (x + w1, base - height), (x - w1, base - height)], white)
    for k in (0.2, 0.55):
        y0, y1 = base - height * k, base - height * (k + 0.16)
        f0, f1 = w0 + (w1 - w0) * k, w0 + (w1 - w0) * (k + 0.16)
        c.polygon([(x - f0, y0), (x + f0, y0), (x + f1, y1), (x - f1, y1)], red)
    top = base - height
    c.rect((x - w1 * 1.3, top - height * 0.03, x + w1 * 1.3, top + height * 0.02), world.tone((60, 60, 66), 0.3))
    lit = world.spec.time in ("dusk", "night", "sunset") or world.spec.weather in ("fog", "storm", "rain")
    lamp = (255, 226, 140) if lit else world.tone((200, 220, 230), 0.3)
    c.rect((x - w1 * 0.8, top - height * 0.16, x + w1 * 0.8, top - height * 0.03), lamp)
    c.polygon([(x - w1 * 1.1, top - height * 0.16), (x + w1 * 1.1, top - height * 0.16), (x, top - height * 0.27)],
              red)
    if lit:
        ly = top - height * 0.1
        side = 1 if world.rng.random() < 0.5 else -1
        far = x + side * c.width * 0.6
        beam = [(x, ly - 4), (far, ly - height * 0.35), (far, ly + height * 0.2),
                (x, ly + 4)]
        c.polygon(beam, (255, 240, 190, 60), label=False)
        c.glow(x, ly, height * 0.9, (255, 220, 150), 0.8)


def draw_boat(world: World, x: float, y: float, size: float) -> None:
    c = world.canvas
    depth = 0.4
    hull = world.tone((120, 70, 46), depth)
    c.polygon([(x - size, y - size * 0.25), (x + size, y - size * 0.25), (x + size * 0.7, y), (x - size * 0.7, y)],
              hull)
    c.line([(x, y - size * 0.25), (x, y - size * 1.5)], world.tone((80, 60, 50), depth), max(1, size * 0.05))
    mast = x + size * 0.05
    c.polygon([(mast, y - size * 1.45), (x + size * 0.8, y - size * 0.35), (mast, y - size * 0.35)],
              world.tone((240, 236, 222), depth))


def draw_windows(world: World, box, lit: bool, rng: np.random.Generator) -> None:
    c, u = world.canvas, world.u
    x0, y0, x1, y1 = box
    size = 12 * u
    gap = size * 1.1
    dark = world.tone((60, 80, 110))
    glow = (255, 214, 120)
    for y in np.arange(y0 + gap, y1 - gap * 2, size + gap):
        for x in np.arange(x0 + gap, x1 - size - gap * 0.5, size + gap):
            on = lit and rng.random() < 0.45
            c.rect((x, y, x + size, y + size * 1.3), glow if on else dark, label=False, radius=0)


def draw_streetlamp(world: World, x: float, base: float, height: float, lit: bool) -> None:
    c = world.canvas
    pole = world.tone((40, 42, 48))
    c.rect((x - height * 0.015, base - height, x + height * 0.015, base), pole)
    c.rect((x - height * 0.06, base - height * 1.06, x + height * 0.06, base - height * 0.98),
           (255, 228, 160) if lit else world.tone((200, 200, 190)))
    if lit:
        c.glow(x, base - height, height * 0.8, (255, 200, 120), 0.65)


def draw_house(world: World, x: float, ground_y: float, size: float, depth: float) -> None:
    c = world.canvas
    wall = world.tone(((226, 210, 180), (200, 170, 140), (236, 226, 210))[int(x) % 3], depth)
    roof = world.tone(((150, 60, 48), (90, 70, 60), (70, 90, 120))[int(size) % 3], depth)
    c.rect((x - size * 0.5, ground_y - size * 0.7, x + size * 0.5, ground_y), wall)
    c.polygon([(x - size * 0.62, ground_y - size * 0.66), (x + size * 0.62, ground_y - size * 0.66),
               (x, ground_y - size * 1.2)], roof)
    lit = world.spec.time in ("dusk", "night", "sunset")
    win = (255, 210, 120) if lit else world.tone((80, 100, 130), depth)
    c.rect((x - size * 0.3, ground_y - size * 0.5, x - size * 0.08, ground_y - size * 0.28), win, label=False)
    c.rect((x + size * 0.1, ground_y - size * 0.42, x + size * 0.3, ground_y), world.tone((100, 70, 50), depth))
    if lit:
        c.glow(x - size * 0.2, ground_y - size * 0.4, size * 0.9, (255, 190, 110), 0.35)


def draw_starship(world: World, x: float, y: float, size: float, heading: int) -> None:
    c = world.canvas
    hull, trim = (206, 212, 224), (150, 60, 70)
    fin = [(x - heading * size * 0.6, y), (x - heading * size * 0.95, y - size * 0.35), (x - heading * size * 0.2, y)]
    c.polygon(fin, trim)
    c.polygon(ellipse_points(x, y, size, size * 0.22), hull)
    c.polygon([(p[0], p[1] + size * 0.26) for p in fin], scaled(trim, 0.8))
    c.ellipse((x + heading * size * 0.45 - size * 0.12, y - size * 0.1, x + heading * size * 0.45 + size * 0.12,
               y + size * 0.04), (120, 200, 240))
    tail = x - heading * size
    c.polygon([(tail, y - size * 0.1), (tail, y + size * 0.1), (tail - heading * size * 0.5, y)], (255, 170, 90),
              label=False)
    c.glow(tail, y, size * 1.2, (255, 160, 90), 0.6)


def draw_tower(world: World, x: float, base: float, height: float) -> None:
    c = world.canvas
    stone, roof = world.tone((150, 146, 150), 0.5), world.tone((80, 60, 100), 0.5)
    c.rect((x - height * 0.1, base - height, x + height * 0.1, base), stone)
    top = base - height
    c.polygon([(x - height * 0.14, top), (x + height * 0.14, top), (x, top - height * 0.35)], roof)
    lit = world.spec.time in ("dusk", "night", "sunset")
    c.rect((x - height * 0.03, base - height * 0.8, x + height * 0.03, base - height * 0.7),
           (255, 210, 120) if lit else (60, 60, 80), label=False)


def draw_bookshelf(world: World, x: float, floor_y: float, height: float) -> None:
    c, rng = world.canvas, world.rng
    wood = world.tone((96, 62, 40))
    width = height * 0.55
    c.rect((x - width / 2, floor_y - height, x + width / 2, floor_y), wood, radius=0.02)
    shelves = 4
    for k in range(shelves):
        y1 = floor_y - height * (0.05 + k * 0.235)
        y0 = y1 - height * 0.2
        bx = x - width * 0.44
        while bx < x + width * 0.4:
            bw = width * float(rng.uniform(0.04, 0.09))
            colour = world.tone(tuple(int(v) for v in rng.choice(
                [(150, 40, 40), (40, 80, 140), (40, 110, 60), (200, 160, 60), (110, 60, 120)])))
            c.rect((bx, y0 + rng.uniform(0, 0.05) * height, bx + bw, y1), colour, label=False, radius=0)
            bx += bw + 1
