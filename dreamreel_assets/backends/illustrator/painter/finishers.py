"""The styles' finishing passes.

The painter draws flat shapes into an RGB canvas and, shape by shape, a label map (one id per
solid shape). A style's finisher uses the labels to outline shapes and to shade them as if they
were rounded (a bevel derived from the distance to the nearest shape boundary), then grades,
textures and resizes the picture. Everything is vectorised numpy / OpenCV; textures that do not
depend on the picture are cached per size (`textures.py`).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from dreamreel_assets.backends.illustrator.painter.effects import (
    LUMA, add_light, bevel, bloom, blur_downsampled, boundaries, cel_shade, curve, outline, resize, saturate,
    settle_exposure, soft_shade, soften, tint, to_bytes,
)
from dreamreel_assets.backends.illustrator.painter.styles import palette_colours, pixel_factor
from dreamreel_assets.backends.illustrator.painter.textures import (
    bayer, canvas_weave, film_grain, halftone_cells, paper, smooth_noise, thumbprints, vignette, watercolor_flow,
)
from dreamreel_assets.catalog.styles import Style


Finisher = Callable[[Style, np.ndarray, np.ndarray, "np.ndarray | None", tuple[int, int]], np.ndarray]
"""(style, drawn float RGB, labels, light map or None, output size) -> the finished uint8 RGB picture."""


def _short(rgb: np.ndarray) -> int:
    return min(rgb.shape[:2])


def _finish_bytes(img: np.ndarray, out_size: tuple[int, int]) -> np.ndarray:
    return settle_exposure(resize(img, out_size))


def cinematic(style, rgb, labels, light, out_size):
    f = style.finish
    rgb = soften(rgb, f.soften)
    rgb = soft_shade(rgb, bevel(labels, boundaries(labels), _short(rgb) * f.bevel), f.shade)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    rgb = bloom(rgb, f.bloom_threshold, f.bloom)
    rgb = saturate(rgb, f.saturation)
    h, w = rgb.shape[:2]
    rgb = rgb * vignette(h, w, f.vignette) + film_grain(h, w) * f.grain
    graded = curve(resize(to_bytes(rgb), out_size), contrast=f.contrast, shadows=f.shadows, highlights=f.highlights)
    return settle_exposure(graded)


def watercolor(style, rgb, labels, light, out_size):
    f = style.finish
    h, w = rgb.shape[:2]
    edges = boundaries(labels)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    mx, my = watercolor_flow(h, w)
    rgb = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    bled = blur_downsampled(rgb, _short(rgb) * f.bleed)
    rgb = cv2.GaussianBlur(rgb, (0, 0), 1.2) * 0.7 + bled * 0.3
    rgb = saturate(rgb, f.saturation) * 0.7 + 0.3  # pale washes on white paper
    # pigment pools at the edges of each wash
    pools = cv2.GaussianBlur(cv2.remap(edges.astype(np.float32), mx, my, cv2.INTER_LINEAR), (0, 0), 1.2)
    rgb = rgb * (1 - f.pools * np.clip(pools * 1.6, 0, 1))[..., None]
    granulation = smooth_noise(h, w, max(8, _short(rgb) // 12), 33)[..., None]
    rgb = rgb * (1 - f.granulation * granulation)
    img = resize(to_bytes(rgb), out_size).astype(np.float32) * (1 / 255)
    img = img * paper(out_size[1], out_size[0])
    return settle_exposure(to_bytes(img))


def anime(style, rgb, labels, light, out_size):
    f = style.finish
    rgb = soften(rgb, f.soften)
    edges = boundaries(labels)
    shade = bevel(labels, edges, _short(rgb) * f.bevel)
    rgb = cel_shade(rgb, shade, f.shadow, highlight=f.highlight)
    rgb = saturate(rgb, f.saturation)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    rgb = bloom(rgb, f.bloom_threshold, f.bloom)
    rgb = outline(rgb, edges, max(1.0, _short(rgb) * f.outline), darken=f.outline_darken)
    return settle_exposure(curve(resize(to_bytes(rgb), out_size), contrast=f.contrast))


def storybook(style, rgb, labels, light, out_size):
    f = style.finish
    rgb = soften(rgb, f.soften)
    edges = boundaries(labels)
    rgb = soft_shade(rgb, bevel(labels, edges, _short(rgb) * f.bevel), f.shade)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    rgb = outline(rgb, edges, max(1.0, _short(rgb) * f.outline), colour=f.ink)
    rgb = saturate(rgb, f.saturation)
    rgb = tint(rgb, f.tint, f.lift)
    h, w = rgb.shape[:2]
    rgb = rgb * canvas_weave(h, w) * vignette(h, w, f.vignette)
    return _finish_bytes(to_bytes(rgb), out_size)


def noir(style, rgb, labels, light, out_size):
    f = style.finish
    edges = boundaries(labels)
    shade = bevel(labels, edges, _short(rgb) * f.bevel)
    rgb = cel_shade(rgb, shade, (f.shadow,) * 3, highlight=f.highlight)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    grey = soften(rgb, f.soften) @ LUMA
    grey = outline(grey, edges, max(1.0, _short(rgb) * f.outline), colour=(f.ink,))
    h, w = grey.shape
    grey = grey * vignette(h, w, f.vignette)[..., 0]
    img = settle_exposure(np.repeat(to_bytes(grey)[..., None], 3, axis=2), low=80, min_std=40)
    img = curve(img, contrast=f.contrast)
    grain = film_grain(h, w)[..., 0] * f.grain
    grey = img[..., 0].astype(np.float32) * (1 / 255) + grain
    img = np.repeat(to_bytes(grey)[..., None], 3, axis=2)
    return settle_exposure(resize(img, out_size), low=70)


def nearest_palette_colours(colours: np.ndarray, palette: np.ndarray) -> np.ndarray:
    flat = colours.reshape(-1, 3)
    dist = ((flat[:, None, :] - palette[None, :, :]) ** 2).sum(-1)
    return palette[dist.argmin(1)].reshape(colours.shape)


def pixel_art(style, rgb, labels, light, out_size):
    f = style.finish
    palette = palette_colours(style.palette)
    edges = boundaries(labels)
    rgb = cel_shade(rgb, bevel(labels, edges, f.bevel), f.shadow, highlight=f.highlight)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    rgb = saturate(rgb, f.saturation)
    rgb = settle_exposure(to_bytes(rgb)).astype(np.float32) * (1 / 255)
    h, w = rgb.shape[:2]
    quantized = nearest_palette_colours(rgb + bayer(h, w) * f.dither, palette)
    ink = edges.astype(bool) & (labels > 0)  # one-pixel outlines, in a darker palette colour
    quantized[ink] = nearest_palette_colours(quantized[ink] * f.ink, palette)
    k = pixel_factor(out_size, style.drawing.pixel_rows)
    big = np.repeat(np.repeat(to_bytes(quantized), k, axis=0), k, axis=1)
    return np.ascontiguousarray(big[:out_size[1], :out_size[0]])


def claymation(style, rgb, labels, light, out_size):
    f = style.finish
    rgb = soften(rgb, f.soften)
    shade = bevel(labels, boundaries(labels), _short(rgb) * f.bevel)
    rgb = soft_shade(rgb, shade, f.shade, specular=f.specular)
    rgb = add_light(rgb, light, style.drawing.light_gain)
    rgb = saturate(rgb, f.saturation)
    h, w = rgb.shape[:2]
    in_clay = (0.3 + 0.7 * (labels > 0)).astype(np.float32)[..., None]
    rgb = rgb * (1 + (thumbprints(h, w) - 1) * in_clay) * vignette(h, w, f.vignette)
    return _finish_bytes(to_bytes(rgb), out_size)


def comic(style, rgb, labels, light, out_size):
    f = style.finish
    edges = boundaries(labels)
    short = _short(rgb)
    shade = bevel(labels, edges, short * f.bevel)
    rgb = saturate(rgb, f.saturation)
    h, w = rgb.shape[:2]
    luma = rgb @ LUMA
    darkness = np.clip((0.3 - luma) * 2.0, 0, 0.45) + np.clip((-shade - 0.08) * 6, 0, 1) * 0.55
    cells = halftone_cells(h, w, max(4.0, short * f.halftone))
    dots = (cells < np.sqrt(np.clip(darkness, 0, 1)) * 0.6).astype(np.float32)
    rgb = rgb * (1 - f.dots * cv2.GaussianBlur(dots, (0, 0), 0.5)[..., None])
    rgb = add_light(rgb, light, style.drawing.light_gain)
    rgb = outline(rgb, edges, max(2.0, short * f.outline), colour=f.ink)
    return _finish_bytes(to_bytes(rgb), out_size)


FINISHERS: dict[str, Finisher] = {  # by recipe
    "cinematic": cinematic,
    "watercolor": watercolor,
    "anime": anime,
    "storybook": storybook,
    "noir": noir,
    "pixel-art": pixel_art,
    "claymation": claymation,
    "comic": comic,
}


def stylize(
    style: Style, picture: Image.Image, labels: Image.Image, light: np.ndarray | None,
    out_size: tuple[int, int],
) -> Image.Image:
    """Finish a drawn picture by the style's recipe: shading, outlines, light, grade, texture, final size.

    `light` is an additive RGB light map in [0, 1] at any resolution (glows of suns, lamps).
    """
    rgb = np.asarray(picture, dtype=np.float32) * (1 / 255)
    finished = FINISHERS[style.finish.recipe](style, rgb, np.asarray(labels), light, out_size)
    assert finished.shape[:2] == (out_size[1], out_size[0])
    return Image.fromarray(finished)
