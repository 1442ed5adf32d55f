"""Rooms: walls, floor, a window onto the scene's place, and furniture."""

from __future__ import annotations

from dreamreel_assets.backends.illustrator.painter.basics import mix, scaled
from dreamreel_assets.backends.illustrator.painter.canvas import gradient_image
from dreamreel_assets.backends.illustrator.painter.props import draw_bookshelf
from dreamreel_assets.backends.illustrator.painter.scenes import WALLS
from dreamreel_assets.backends.illustrator.painter.world import World


def paint_interior(world: World) -> None:
    c, u, spec = world.canvas, world.u, world.spec
    floor_y = world.horizon
    wall = world.tone(spec.wall)
    c.image.paste(gradient_image((c.width, c.height), (scaled(wall, 0.82), wall, scaled(wall, 1.05)), floor_y))
    c.labels.paste(c.new_label(), (0, 0, c.width, int(floor_y)))
    c.rect((-1, floor_y - 70 * u, c.width + 1, floor_y), scaled(wall, 0.8), radius=0)
    wx = c.width * float(world.rng.uniform(0.15, 0.6))
    window = (wx, floor_y - 0.55 * c.height, wx + c.width * 0.26, floor_y - 0.16 * c.height)
    paint_window(world, window)
    floor = world.tone((132, 92, 60) if spec.wall != WALLS["spaceship"] else (96, 100, 112))
    c.rect((-1, floor_y, c.width + 1, c.height + 1), floor, radius=0)
    for k in range(1, 12):
        y = floor_y + (c.height - floor_y) * (k / 11) ** 1.4
        c.line([(0, y), (c.width, y)], scaled(floor, 0.8), max(1, 2 * u))
    rug = mix(floor, (160, 50, 50), 0.6)
    c.ellipse((c.width * 0.25, c.height * 0.86, c.width * 0.75, c.height * 1.04), rug)
    paint_furniture(world, floor_y, window)


def paint_window(world: World, box) -> None:
    c, u = world.canvas, world.u
    x0, y0, x1, y1 = box
    frame = world.tone((92, 66, 46))
    c.rect((x0 - 14 * u, y0 - 14 * u, x1 + 14 * u, y1 + 14 * u), frame, radius=0.02)
    view = gradient_image((int(x1 - x0), int(y1 - y0)), world.sky, (y1 - y0) * 1.3)
    c.image.paste(view, (int(x0), int(y0)))
    c.labels.paste(c.new_label(), (int(x0), int(y0), int(x1), int(y1)))
    spec = world.spec
    if spec.dark:
        for _ in range(25):
            x, y = world.rng.uniform(x0, x1), world.rng.uniform(y0, y1 * 0.9 + y0 * 0.1)
            c.ellipse((x - 1.5 * u, y - 1.5 * u, x + 1.5 * u, y + 1.5 * u), (230, 230, 250), label=False)
    skyline = world.tone((60, 80, 100) if spec.place == "sea" else (70, 90, 70), 0.5)
    yy = y0 + (y1 - y0) * 0.7
    if spec.place == "city":
        for k in range(6):
            bx = x0 + (x1 - x0) * k / 6
            c.rect((bx, yy - (y1 - y0) * (0.1 + 0.08 * (k % 3)), bx + (x1 - x0) / 6.5, y1), skyline, label=False)
    elif spec.place != "space":
        c.rect((x0, yy, x1, y1), skyline, label=False)
    c.rect(((x0 + x1) / 2 - 5 * u, y0, (x0 + x1) / 2 + 5 * u, y1), frame, radius=0)
    c.rect((x0, (y0 + y1) / 2 - 5 * u, x1, (y0 + y1) / 2 + 5 * u), frame, radius=0)
    if spec.weather in ("rain", "storm"):
        for _ in range(30):
            x, y = world.rng.uniform(x0, x1), world.rng.uniform(y0, y1)
            c.line([(x, y), (x - 4 * u, y + 22 * u)], (210, 220, 240, 120), 2 * u)
    if not spec.dark:
        c.glow((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 1.4, (255, 244, 220), 0.35)


def paint_furniture(world: World, floor_y: float, window) -> None:
    c, u, rng, spec = world.canvas, world.u, world.rng, world.spec
    wood = world.tone((120, 80, 50))
    free_x = [x for x in (0.08, 0.72, 0.86) if not window[0] - 0.15 * c.width < x * c.width < window[2]]
    if "books" in spec.props or rng.random() < 0.4:
        x = c.width * (free_x[0] if free_x else 0.8)
        draw_bookshelf(world, x, floor_y, 420 * u)
    if "fire" in spec.props:
        x = c.width * float(rng.uniform(0.6, 0.85))
        c.rect((x - 110 * u, floor_y - 200 * u, x + 110 * u, floor_y), world.tone((150, 130, 120)))
        c.rect((x - 70 * u, floor_y - 130 * u, x + 70 * u, floor_y), (40, 30, 28))
        c.polygon([(x - 45 * u, floor_y), (x, floor_y - 110 * u), (x + 45 * u, floor_y)], (255, 150, 50))
        c.glow(x, floor_y - 50 * u, 450 * u, (255, 150, 70), 0.55)
    tx = c.width * float(rng.uniform(0.3, 0.7))
    if "table" in spec.props or rng.random() < 0.6:
        top = floor_y + 30 * u
        c.rect((tx - 170 * u, top - 20 * u, tx + 170 * u, top), wood)
        for lx in (-150, 130):
            c.rect((tx + lx * u, top, tx + (lx + 20) * u, top + 150 * u), scaled(wood, 0.8))
        mug = world.tone((230, 230, 220))
        c.rect((tx - 60 * u, top - 60 * u, tx - 20 * u, top - 20 * u), mug)
        if "candle" in spec.props or spec.dark:
            c.rect((tx + 40 * u, top - 80 * u, tx + 58 * u, top - 20 * u), (240, 230, 200))
            c.ellipse((tx + 42 * u, top - 104 * u, tx + 56 * u, top - 80 * u), (255, 200, 90))
            c.glow(tx + 49 * u, top - 92 * u, 340 * u, (255, 180, 90), 0.45)
    if "lamp" in spec.props or spec.dark:
        lx = c.width * float(rng.uniform(0.05, 0.95))
        c.rect((lx - 6 * u, floor_y - 300 * u, lx + 6 * u, floor_y), (50, 44, 40))
        shade_bottom, shade_top = floor_y - 300 * u, floor_y - 380 * u
        c.polygon([(lx - 60 * u, shade_bottom), (lx + 60 * u, shade_bottom), (lx + 36 * u, shade_top),
                   (lx - 36 * u, shade_top)], (250, 222, 160))
        c.glow(lx, floor_y - 320 * u, 480 * u, (255, 200, 120), 0.5)
    if "clock" in spec.props or rng.random() < 0.3:
        cx, cy, r = c.width * float(rng.uniform(0.1, 0.9)), floor_y - 0.5 * c.height, 40 * u
        c.ellipse((cx - r, cy - r, cx + r, cy + r), (240, 234, 220))
        c.line([(cx, cy), (cx, cy - r * 0.7)], (30, 30, 30), 4 * u)
        c.line([(cx, cy), (cx + r * 0.5, cy)], (30, 30, 30), 4 * u)
