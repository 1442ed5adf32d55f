"""The world of one shot: its canvas, its scene, its sky and light, and how the camera sees it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dreamreel_assets.backends.illustrator.painter.basics import RGB, mix, rng_for, saturated, scaled, stable_int
from dreamreel_assets.backends.illustrator.painter.canvas import Canvas
from dreamreel_assets.backends.illustrator.painter.scenes import SceneSpec, scene_spec
from dreamreel_assets.catalog.styles import Style
from dreamreel_assets.models import Scene, Script, Shot


# --- skies --------------------------------------------------------------------------------

SKIES: dict[str, tuple[RGB, RGB, RGB]] = {  # zenith, middle, horizon
    "dawn": ((62, 78, 146), (204, 142, 160), (255, 198, 142)),
    "morning": ((92, 152, 220), (158, 198, 236), (226, 236, 238)),
    "noon": ((48, 118, 212), (108, 168, 232), (192, 222, 242)),
    "sunset": ((66, 50, 114), (216, 98, 82), (255, 186, 92)),
    "dusk": ((36, 38, 88), (122, 76, 124), (236, 142, 98)),
    "night": ((10, 14, 40), (24, 34, 76), (56, 68, 116)),
}
AMBIENT = {
    "dawn": (1.0, 0.9, 0.88), "morning": (1.0, 0.98, 0.95), "noon": (1.0, 1.0, 1.0),
    "sunset": (1.0, 0.82, 0.7), "dusk": (0.8, 0.7, 0.8), "night": (0.46, 0.52, 0.76),
}
WEATHER_SKY: dict[str, tuple[RGB, float]] = {
    "rain": ((112, 118, 128), 0.6), "storm": ((70, 74, 86), 0.7), "fog": ((200, 202, 206), 0.7),
    "snow": ((214, 220, 230), 0.5),
}
SUN_HEIGHT = {"dawn": 0.85, "morning": 0.45, "noon": 0.18, "sunset": 0.8, "dusk": 0.95, "night": 0.3}


def sky_colours(spec: SceneSpec, style: Style) -> tuple[RGB, RGB, RGB]:
    stops = SKIES[spec.time]
    if spec.place == "space" and not spec.indoor:
        stops = ((8, 6, 26), (22, 16, 52), (48, 30, 78))
    if spec.weather in WEATHER_SKY:
        grey, amount = WEATHER_SKY[spec.weather]
        if spec.time == "night":
            grey = scaled(grey, 0.4)
        stops = tuple(mix(c, grey, amount) for c in stops)  # type: ignore[assignment]
    return tuple(saturated(c, style.drawing.sky_saturation) for c in stops)  # type: ignore[return-value]


# --- the world of one shot ----------------------------------------------------------------

@dataclass
class World:
    """One shot's scene under construction: canvas, what to draw, and how the camera sees it."""

    canvas: Canvas
    spec: SceneSpec
    style: Style
    scene_key: int
    """Seeds scene-level randomness: the same skyline and hills in every shot of a scene."""
    rng: np.random.Generator
    """Shot-level randomness: camera offset, figure positions, props."""
    horizon: float
    pan: float
    sky: tuple[RGB, RGB, RGB]
    haze: float = 0.35
    ambient: tuple[float, float, float] = (1.0, 1.0, 1.0)

    @property
    def w(self) -> int:
        return self.canvas.width

    @property
    def h(self) -> int:
        return self.canvas.height

    @property
    def u(self) -> float:
        """Length unit: 1/1000 of the short side."""
        return self.canvas.short / 1000

    def scene_rng(self, name: str) -> np.random.Generator:
        return np.random.default_rng(stable_int(name, self.scene_key))

    def tone(self, colour: RGB, depth: float = 0.0) -> RGB:
        """A colour as lit by the time of day and faded by distance into the haze."""
        lit = scaled(colour, self.ambient)
        return mix(lit, self.sky[2], min(0.92, self.haze * depth))

    def ground(self, colour: RGB, depth: float = 0.0) -> RGB:
        if self.spec.weather == "snow":
            colour = mix(colour, (236, 240, 248), 0.75)
        return self.tone(colour, depth)

    def profile(self, base: float, amplitude: float, depth: float, key: str, jagged: float = 0.0):
        """A ridge line across the frame (list of points), the same in every shot of the scene
        and shifted by the camera's pan (less for far layers)."""
        rng = self.scene_rng(key)
        freqs = rng.uniform(0.6, 3.2, 4)
        phases = rng.uniform(0, 2 * math.pi, 4)
        weights = rng.uniform(0.4, 1.0, 4)
        xs = np.linspace(-0.02, 1.02, 90)
        wx = xs * (self.w / self.canvas.short) + self.pan * (1 - depth)
        ys = sum(wt * np.sin(f * 2 * math.pi * wx + p) for f, p, wt in zip(freqs, phases, weights))
        ys = ys / weights.sum()
        if jagged:
            teeth = np.abs(((wx * 9 + phases[0]) % 1.0) - 0.5) * 2 - 0.5
            ys = ys + jagged * teeth
        return [(x * self.w, base - amplitude * y) for x, y in zip(xs, ys)]

    def fill_below(self, points, colour: RGB, label=None) -> None:
        self.canvas.polygon([*points, (self.w * 1.05, self.h * 1.05), (-self.w * 0.05, self.h * 1.05)],
                            colour, label)


HORIZON = {"establishing": 0.6, "wide": 0.58, "medium": 0.56, "close-up": 0.55, "over-the-shoulder": 0.55}


def make_world(script: Script, scene: Scene, shot: Shot, canvas: Canvas, style: Style,
               seed: int) -> World:
    spec = scene_spec(script, scene, shot)
    rng = rng_for("shot", seed, shot.id)
    scene_key = stable_int("scene", script.title, scene.index, scene.setting)
    horizon = canvas.height * (HORIZON[shot.shot_type] + float(rng.uniform(-0.03, 0.03)))
    if canvas.height > canvas.width:
        horizon += canvas.height * 0.05
    haze = {"fog": 0.85, "snow": 0.5, "rain": 0.55, "storm": 0.5}.get(spec.weather, 0.38)
    ambient = AMBIENT[spec.time]
    if spec.indoor:
        ambient = tuple(0.55 + 0.45 * a for a in ambient) if spec.time != "night" else (0.72, 0.64, 0.58)
    if spec.weather in ("rain", "storm"):
        ambient = tuple(a * k for a, k in zip(ambient, (0.82, 0.85, 0.9)))
    return World(canvas, spec, style, scene_key, rng, horizon, float(rng.uniform(-0.6, 0.6)),
                 sky_colours(spec, style), haze, ambient)  # type: ignore[arg-type]
