"""The embedded illustrator: a procedural painter of character sheets and keyframes.

No model, no GPU, no network: scenes are built from the words of the script (setting, shot
description, character looks) out of flat shapes, then finished in the film's style
(`finishers.py`). A character's appearance comes from their `Character` alone, through a
`CharacterDesign` (`designs.py`), so they look the same on their sheet and in every shot; the
shot's seed only moves the camera, the figures and the props.

The modules, in drawing order: `scenes` reads the words, `world` sets up the shot, `sky`,
`scenery`, `props` and `interiors` paint the backdrop, `framing` and `figures` the cast, `sheets`
the character sheets; `styles`, `effects`, `textures` and `finishers` give the look.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dreamreel_assets.backends.illustrator.painter.canvas import Canvas
from dreamreel_assets.backends.illustrator.painter.designs import design_for
from dreamreel_assets.backends.illustrator.painter.effects import add_light_bytes
from dreamreel_assets.backends.illustrator.painter.finishers import stylize
from dreamreel_assets.backends.illustrator.painter.framing import paint_cast
from dreamreel_assets.backends.illustrator.painter.interiors import paint_interior
from dreamreel_assets.backends.illustrator.painter.scenery import paint_outdoors
from dreamreel_assets.backends.illustrator.painter.scenes import scene_spec
from dreamreel_assets.backends.illustrator.painter.sheets import label_sheet, paint_sheet
from dreamreel_assets.backends.illustrator.painter.sky import paint_precipitation
from dreamreel_assets.backends.illustrator.painter.styles import render_size, style_of
from dreamreel_assets.backends.illustrator.painter.world import World, make_world
from dreamreel_assets.models import Character, Scene, Script, Shot


__all__ = ["ProceduralPainter", "design_for", "scene_spec"]


class ProceduralPainter:
    """Draws character sheets and keyframes from words alone (see the module docstring)."""

    name = "procedural"

    def character_sheet(self, script: Script, character: Character, size: tuple[int, int],
                        seed: int) -> Image.Image:
        """Full figure, bust, colour swatches and name plate. The seed is not needed: a sheet is
        the character's design, which never depends on a seed."""
        style = style_of(script.style)
        canvas = Canvas(render_size(style, size), style.drawing.roundness)
        plate = paint_sheet(canvas, design_for(character))
        picture = stylize(style, canvas.image, canvas.labels, canvas.light_map(), size)
        label_sheet(picture, character, plate, canvas.width)
        return picture

    def keyframe(self, script: Script, scene: Scene, shot: Shot, sheets: dict[str, Image.Image],
                 size: tuple[int, int], seed: int) -> Image.Image:
        """The shot's picture. `sheets` are not read: each figure is drawn from the same design
        as its sheet, derived again from the `Character`, so they match without sampling."""
        style = style_of(script.style)
        canvas = Canvas(render_size(style, size), style.drawing.roundness)
        world = make_world(script, scene, shot, canvas, style, seed)
        paint_backdrop(world)
        paint_cast(world, shot, {c.id: design_for(c) for c in script.characters})
        paint_precipitation(world)
        return stylize(style, canvas.image, canvas.labels, canvas.light_map(), size)


def paint_backdrop(world: World) -> None:
    if world.spec.indoor:
        paint_interior(world)
    else:
        paint_outdoors(world)
    bake_lights(world.canvas, world.style.drawing.light_gain)


def bake_lights(canvas: Canvas, gain: float) -> None:
    """Light the backdrop now, so its glows stay behind the figures instead of shining on them."""
    light = canvas.light_map()
    if light is None:
        return
    canvas.image.paste(Image.fromarray(add_light_bytes(np.asarray(canvas.image), light, gain)))
    canvas.lights.clear()
