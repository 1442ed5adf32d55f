"""Outdoor places: the ground, hills and what stands on them, for each kind of place."""

from __future__ import annotations

from dreamreel_assets.backends.illustrator.painter.basics import RGB, mix, scaled
from dreamreel_assets.backends.illustrator.painter.canvas import gradient_image
from dreamreel_assets.backends.illustrator.painter.props import (
    draw_boat, draw_house, draw_lighthouse, draw_starship, draw_streetlamp, draw_tower, draw_tree, draw_windows,
)
from dreamreel_assets.backends.illustrator.painter.sky import paint_clouds, paint_fog_banks, paint_lightning, paint_sky
from dreamreel_assets.backends.illustrator.painter.world import World


def paint_hills(world: World, layers: int, base_colour: RGB, top: float, spread: float) -> None:
    for i in range(layers):
        depth = 1 - i / max(1, layers)
        y = world.horizon + (top + spread * i / max(1, layers - 1 if layers > 1 else 1)) * world.h
        points = world.profile(y, 60 * world.u * (1 + i * 0.4), depth, f"hills{i}")
        world.fill_below(points, world.ground(mix(base_colour, (20, 40, 20), 0.08 * i), depth))


def paint_trees(world: World, y_range: tuple[float, float], count: int, depth: float, key: str,
                conifer_share: float = 0.5) -> None:
    rng = world.scene_rng(key)
    c, u = world.canvas, world.u
    scale = (1 - depth) * 1.6 + 0.35
    positions = sorted(zip(rng.uniform(-0.1, 1.1, count), rng.uniform(*y_range, count)), key=lambda p: p[1])
    for wx, y in positions:
        x = (wx - world.pan * (1 - depth) * 0.5) % 1.2 - 0.1
        draw_tree(world, x * c.width, y, 150 * u * scale * float(rng.uniform(0.8, 1.3)), depth,
                  rng.random() < conifer_share)


def paint_sea(world: World) -> None:
    c, u, spec = world.canvas, world.u, world.spec
    water = world.tone(mix(world.sky[2], (30, 70, 110), 0.55))
    deep = world.tone(mix(world.sky[0], (10, 40, 70), 0.6))
    c.image.paste(gradient_image((c.width, c.height - int(world.horizon)), (water, deep), c.height - world.horizon),
                  (0, int(world.horizon)))
    c.labels.paste(c.new_label(), (0, int(world.horizon), c.width, c.height))
    highlight = mix(world.sky[2], (255, 255, 255), 0.4)
    rng = world.rng
    for _ in range(90):
        y = world.horizon + (rng.random() ** 1.6) * (c.height - world.horizon)
        length = (20 + 160 * (y - world.horizon) / c.height) * u
        x = rng.uniform(0, c.width)
        c.line([(x, y), (x + length, y)], (*highlight, 110), max(1, 3 * u * (y / c.height)))
    headland_side = 1 if world.scene_rng("headland").random() < 0.5 else -1
    x0 = c.width * (0.64 if headland_side > 0 else 0.0) - world.pan * c.short * 0.1
    cliff = world.ground((84, 110, 70), 0.35)
    top = world.horizon - 70 * u
    c.polygon([(x0, world.horizon + 4 * u), (x0 + 40 * u, top + 30 * u), (x0 + 90 * u, top),
               (x0 + c.width * 0.32, top + 10 * u), (x0 + c.width * 0.36, world.horizon + 4 * u)], cliff)
    if "lighthouse" in spec.props or world.scene_rng("lighthouse").random() < 0.5:
        draw_lighthouse(world, x0 + c.width * 0.18, top + 4 * u, 190 * u)
    if "boat" in spec.props or rng.random() < 0.45:
        draw_boat(world, rng.uniform(0.15, 0.85) * c.width, world.horizon + rng.uniform(0.05, 0.2) * c.height,
                  rng.uniform(50, 90) * u)
    shore = world.profile(c.height * 0.83, 18 * u, 0.0, "shore")
    sandy = world.scene_rng("sand").random() < 0.5
    world.fill_below(shore, world.ground((214, 192, 148) if sandy else (96, 132, 72)))
    if "rocks" in spec.props or not sandy:
        paint_rocks(world, c.height * 0.86, 4)


def paint_rocks(world: World, y: float, count: int) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    for _ in range(count):
        x, r = rng.uniform(0, c.width), rng.uniform(20, 60) * u
        yy = y + rng.uniform(0, 0.1) * c.height
        c.ellipse((x - r * 1.3, yy - r, x + r * 1.3, yy + r * 0.4), world.ground((112, 108, 104)))


def paint_city(world: World) -> None:
    c, u, spec = world.canvas, world.u, world.spec
    lit = spec.time in ("dusk", "night", "sunset") or spec.weather in ("rain", "storm", "fog")
    for depth, count, tall in ((0.8, 16, 0.45), (0.4, 9, 0.75)):
        rng = world.scene_rng(f"city{depth}")
        x = -c.width * 0.1 - (world.pan * (1 - depth) * c.short) % (c.width * 0.2)
        while x < c.width * 1.1:
            bw = rng.uniform(0.06, 0.14) * c.width * (1.3 - depth * 0.5)
            bh = rng.uniform(0.3, 1.0) * tall * world.horizon
            colour = world.tone(tuple(int(v) for v in rng.choice(
                [(120, 110, 120), (150, 120, 100), (100, 112, 130), (170, 150, 130), (90, 90, 104)])), depth)
            top = world.horizon + 10 * u - bh
            c.rect((x, top, x + bw, world.horizon + 30 * u), colour, radius=world.style.drawing.roundness * 0.3)
            if depth < 0.6:
                draw_windows(world, (x, top, x + bw, world.horizon + 10 * u), lit, rng)
            x += bw + rng.uniform(-0.01, 0.02) * c.width
    road_top = c.height * 0.76
    world.fill_below(world.profile(world.horizon + 30 * u, 0, 0.3, "street"), world.ground((130, 126, 122), 0.3))
    c.rect((-1, road_top, c.width + 1, c.height + 1), world.ground((74, 76, 84)), radius=0)
    c.rect((-1, road_top - 18 * u, c.width + 1, road_top), world.ground((160, 154, 146)), radius=0)
    for k in range(6):
        x = (k / 5) * c.width * 1.1 - (world.pan * c.short) % (c.width * 0.22)
        c.rect((x, c.height * 0.9, x + 70 * u, c.height * 0.91), world.tone((220, 210, 170)), label=False)
    if lit or "lamp" in spec.props:
        for k in range(3):
            x = c.width * (0.12 + 0.38 * k) + world.rng.uniform(-0.05, 0.05) * c.width
            draw_streetlamp(world, x, road_top - 10 * u, 260 * u, lit)


def paint_forest(world: World) -> None:
    c, u = world.canvas, world.u
    far = world.profile(world.horizon + 10 * u, 40 * u, 0.85, "treeline", jagged=0.6)
    world.fill_below(far, world.ground((70, 110, 80), 0.85))
    paint_hills(world, 1, (82, 132, 64), 0.02, 0.0)
    paint_trees(world, (world.horizon + 0.02 * c.height, world.horizon + 0.1 * c.height), 14, 0.6, "mid")
    ground = world.profile(c.height * 0.8, 14 * u, 0.0, "floor")
    world.fill_below(ground, world.ground((78, 128, 58)))
    cx = c.width * (0.5 + float(world.rng.uniform(-0.15, 0.15)))
    c.polygon([(cx - 16 * u, world.horizon + 0.12 * c.height), (cx + 16 * u, world.horizon + 0.12 * c.height),
               (cx + c.width * 0.22, c.height * 1.02), (cx - c.width * 0.22, c.height * 1.02)],
              world.ground((160, 128, 86)))
    paint_trees(world, (c.height * 0.95, c.height * 1.05), 3, 0.05, "front" + str(world.rng.integers(99)), 0.3)
    if world.spec.time in ("morning", "dawn") and world.spec.weather == "clear":
        for k in range(3):
            x = c.width * float(world.rng.uniform(0.1, 0.9))
            c.polygon([(x, 0), (x + 60 * u, 0), (x + 260 * u, c.height), (x + 120 * u, c.height)],
                      (255, 240, 190, 34), label=False)


def paint_mountains(world: World) -> None:
    c, u = world.canvas, world.u
    peaks = world.profile(world.horizon - 40 * u, 190 * u, 0.9, "peaks", jagged=0.9)
    world.fill_below(peaks, world.ground((110, 118, 140), 0.75))
    snow = world.tone((240, 242, 248), 0.6)
    for (x0, y0), (x1, y1), (x2, y2) in zip(peaks, peaks[1:], peaks[2:]):
        if y1 < y0 and y1 < y2 and y1 < world.horizon - 150 * u:
            d = 40 * u
            c.polygon([(x1, y1), (x1 + d, y1 + d * 1.1), (x1 - d * 0.9, y1 + d * 1.1)], snow, label=False)
    paint_hills(world, 2, (92, 138, 72), -0.01, 0.06)
    rng = world.rng
    if "house" in world.spec.props or world.scene_rng("village").random() < 0.7:
        for _ in range(int(rng.integers(3, 7))):
            draw_house(world, rng.uniform(0.05, 0.95) * c.width, world.horizon + rng.uniform(0.05, 0.12) * c.height,
                       rng.uniform(45, 80) * u, 0.4)
    world.fill_below(world.profile(c.height * 0.82, 20 * u, 0.0, "meadow"), world.ground((96, 148, 70)))
    paint_trees(world, (c.height * 0.84, c.height * 0.9), 3, 0.15, "meadow" + str(rng.integers(99)), 0.8)


def paint_desert(world: World) -> None:
    c, u = world.canvas, world.u
    for i, colour in enumerate(((226, 186, 130), (214, 168, 110), (232, 196, 140))):
        depth = 0.8 - i * 0.35
        dunes = world.profile(world.horizon + (i * 0.1) * c.height, (40 + 20 * i) * u, depth, f"dune{i}")
        world.fill_below(dunes, world.ground(colour, depth))
    rng = world.rng
    for _ in range(int(rng.integers(1, 4))):
        x, y, s = rng.uniform(0.05, 0.95) * c.width, rng.uniform(0.78, 0.95) * c.height, rng.uniform(60, 120) * u
        green = world.ground((70, 130, 80))
        c.rect((x - s * 0.1, y - s, x + s * 0.1, y), green, radius=0.5)
        c.rect((x - s * 0.4, y - s * 0.65, x - s * 0.22, y - s * 0.3), green, radius=0.5)
        c.rect((x - s * 0.4, y - s * 0.4, x, y - s * 0.3), green, radius=0.5)


def paint_space_ground(world: World) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    srng = world.scene_rng("planet")
    x, y, r = (float(srng.uniform(0.2, 0.8)) - world.pan * 0.2) * c.width, world.horizon * 0.45, 150 * u
    planet = ((90, 130, 200), (200, 120, 90), (120, 180, 150))[int(srng.integers(3))]
    c.ellipse((x - r, y - r, x + r, y + r), planet)
    c.chord((x - r, y - r, x + r, y + r), 300, 120, scaled(planet, 0.6), label=False)
    c.ring((x - r * 1.8, y - r * 0.35, x + r * 1.8, y + r * 0.35), mix(planet, (255, 255, 255), 0.5), 5 * u)
    if "starship" in world.spec.props or "boat" in world.spec.props:
        draw_starship(world, c.width * float(rng.uniform(0.2, 0.8)), world.horizon * float(rng.uniform(0.3, 0.6)),
                      float(rng.uniform(110, 170)) * u, 1 if rng.random() < 0.5 else -1)
    surface = world.profile(world.horizon + 0.05 * c.height, 30 * u, 0.0, "regolith")
    world.fill_below(surface, (128, 124, 134))
    for _ in range(7):
        cx, cy, cr = rng.uniform(0, c.width), rng.uniform(0.8, 1.0) * c.height, rng.uniform(20, 70) * u
        c.ellipse((cx - cr, cy - cr * 0.3, cx + cr, cy + cr * 0.3), (96, 92, 104), label=False)


def paint_landscape(world: World) -> None:
    c = world.canvas
    paint_hills(world, 3, (104, 158, 72), -0.01, 0.12)
    paint_trees(world, (world.horizon + 0.05 * c.height, world.horizon + 0.15 * c.height), 6, 0.5, "copse", 0.3)
    world.fill_below(world.profile(c.height * 0.83, 14 * world.u, 0.0, "field"), world.ground((112, 166, 76)))
    if "flowers" in world.spec.props or world.rng.random() < 0.5:
        paint_flowers(world)
    if "house" in world.spec.props:
        draw_house(world, c.width * float(world.rng.uniform(0.1, 0.9)), world.horizon + 0.08 * c.height,
                   90 * world.u, 0.3)
    if "tower" in world.spec.props:
        draw_tower(world, c.width * float(world.rng.uniform(0.15, 0.85)), world.horizon + 0.02 * c.height,
                   320 * world.u)


def paint_flowers(world: World) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    for _ in range(40):
        x, y = rng.uniform(0, c.width), rng.uniform(0.85, 1.0) * c.height
        r = rng.uniform(4, 9) * u
        colour = world.tone(((236, 90, 110), (250, 220, 80), (240, 240, 250), (170, 110, 220))[int(rng.integers(4))])
        c.ellipse((x - r, y - r, x + r, y + r), colour, label=False)


OUTDOOR_PAINTERS = {
    "sea": paint_sea, "city": paint_city, "forest": paint_forest, "mountain": paint_mountains,
    "desert": paint_desert, "space": paint_space_ground, "landscape": paint_landscape,
}


def paint_outdoors(world: World) -> None:
    paint_sky(world)
    if world.spec.place != "space":
        rainy = world.spec.weather in ("rain", "storm")
        paint_clouds(world, int(world.rng.integers(6, 9) if rainy else world.rng.integers(1, 5)))
    if world.spec.weather == "storm":
        paint_lightning(world)
    OUTDOOR_PAINTERS[world.spec.place](world)
    if world.spec.weather == "fog":
        paint_fog_banks(world)
