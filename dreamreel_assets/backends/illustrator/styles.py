"""The eight looks of the procedural painter, as drawing choices plus a post-processing pass.

The painter draws flat shapes into an RGB canvas and, shape by shape, a label map (one id per
solid shape). A style's finisher uses the labels to outline shapes and to shade them as if they
were rounded (a bevel derived from the distance to the nearest shape boundary), then grades,
textures and resizes the picture. Everything is vectorised numpy / OpenCV; textures that do not
depend on the picture are cached per size.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image

LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass(frozen=True)
class StyleSpec:
    """Drawing-time choices of a style (the rest of the look is its finisher)."""

    name: str
    detail: float = 1.0
    """Size the scene is drawn at, as a fraction of the output size (but never below
    `MIN_DETAIL_ROWS` on the short side)."""
    roundness: float = 0.0
    """Corner radius of drawn boxes, as a fraction of their shorter side."""
    sky_saturation: float = 1.0
    depth_of_field: bool = False
    """Blur the backdrop behind close framings."""
    light_gain: float = 1.0
    """How strongly glows (sun, lamps, lanterns) light the picture."""


STYLE_SPECS: dict[str, StyleSpec] = {
    "cinematic": StyleSpec("cinematic", depth_of_field=True),
    "watercolor": StyleSpec("watercolor", detail=0.5, roundness=0.12, depth_of_field=True, light_gain=0.7),
    "anime": StyleSpec("anime", sky_saturation=1.45),
    "storybook": StyleSpec("storybook", roundness=0.12, light_gain=0.8),
    "noir": StyleSpec("noir", light_gain=1.3),
    "pixel-art": StyleSpec("pixel-art"),
    "claymation": StyleSpec("claymation", roundness=0.3, sky_saturation=1.1, depth_of_field=True),
    "comic": StyleSpec("comic", sky_saturation=1.25, light_gain=0.6),
}

MIN_DETAIL_ROWS = 450
PIXEL_ROWS = 180
"""Pixel-art pictures are drawn about this many pixels on their short side."""

# DawnBringer's 32-colour palette: a classic limited palette for pixel art.
PIXEL_PALETTE = np.array([
    [int(h[i:i + 2], 16) for i in (0, 2, 4)] for h in (
        "000000 222034 45283c 663931 8f563b df7126 d9a066 eec39a fbf236 99e550 6abe30 37946e "
        "4b692f 524b24 323c39 3f3f74 306082 5b6ee1 639bff 5fcde4 cbdbfc ffffff 9badb7 847e87 "
        "696a6a 595652 76428a ac3232 d95763 d77bba 8f974a 8a6f30"
    ).split()
], dtype=np.float32) / 255


def pixel_factor(out_size: tuple[int, int]) -> int:
    return max(2, round(min(out_size) / PIXEL_ROWS))


def render_size(style: str, out_size: tuple[int, int]) -> tuple[int, int]:
    """The size the painter draws at for this style and output size."""
    w, h = out_size
    if style == "pixel-art":
        f = pixel_factor(out_size)
        return math.ceil(w / f), math.ceil(h / f)
    detail = min(1.0, max(STYLE_SPECS[style].detail, MIN_DETAIL_ROWS / min(w, h)))
    return max(8, round(w * detail)), max(8, round(h * detail))


def stylize(
    style: str, picture: Image.Image, labels: Image.Image, light: np.ndarray | None,
    out_size: tuple[int, int],
) -> Image.Image:
    """Finish a drawn picture in `style`: shading, outlines, light, grade, texture, final size.

    `light` is an additive RGB light map in [0, 1] at any resolution (glows of suns, lamps).
    """
    rgb = np.asarray(picture, dtype=np.float32) * (1 / 255)
    finished = FINISHERS[style](rgb, np.asarray(labels), light, out_size)
    assert finished.shape[:2] == (out_size[1], out_size[0])
    return Image.fromarray(finished)


# --- building blocks ------------------------------------------------------------------------


def soften(rgb: np.ndarray, sigma: float = 0.7) -> np.ndarray:
    """A touch of blur: the painter draws without anti-aliasing."""
    return cv2.GaussianBlur(rgb, (0, 0), sigma)


def boundaries(labels: np.ndarray) -> np.ndarray:
    """1 where a pixel touches a different shape, else 0 (uint8)."""
    kernel = np.ones((3, 3), np.uint8)
    return (cv2.dilate(labels, kernel) != cv2.erode(labels, kernel)).astype(np.uint8)


def bevel(labels: np.ndarray, edges: np.ndarray, radius: float) -> np.ndarray:
    """Lighting of every shape as if its edges were rounded over `radius` pixels.

    Positive towards the light (upper left), negative on the far side, 0 on flat interiors and on
    unlabelled pixels (sky). Computed at half size on big pictures: it is smooth anyway.
    """
    h, w = labels.shape
    half = min(h, w) > 500
    if half:
        edges = cv2.resize(edges, (w // 2, h // 2), interpolation=cv2.INTER_NEAREST)
        radius /= 2
    dist = cv2.distanceTransform(1 - edges, cv2.DIST_L2, 5)
    t = np.minimum(dist * (1 / max(radius, 1.0)), 1.0)
    height = np.sqrt(t * (2 - t)) * radius  # a quarter circle: steep at the edge, flat inside
    height = cv2.GaussianBlur(height, (0, 0), 1.2)  # smooth the distance field's facets
    gx = cv2.Sobel(height, cv2.CV_32F, 1, 0, ksize=3) * 0.125
    gy = cv2.Sobel(height, cv2.CV_32F, 0, 1, ksize=3) * 0.125
    lx, ly, lz = -0.5, -0.62, 0.6
    shade = (lz - lx * gx - ly * gy) / np.sqrt(gx * gx + gy * gy + 1) - lz
    if half:
        shade = cv2.resize(shade, (w, h), interpolation=cv2.INTER_LINEAR)
    shade[labels == 0] = 0
    return shade


def _channels(*maps: np.ndarray) -> np.ndarray:
    """(H, W) maps as one (H, W, 3) array (one map is repeated)."""
    return cv2.merge(list(maps) * (3 if len(maps) == 1 else 1))


def cel_shade(rgb: np.ndarray, shade: np.ndarray, shadow: tuple[float, float, float],
              highlight: float = 0.0) -> np.ndarray:
    """Two-tone shading: a hard shadow band on the far side of each shape, a lit band facing the light."""
    dark = np.clip((-shade - 0.12) * 14, 0, 1)
    lit = np.clip((shade - 0.25) * 14, 0, 1) * highlight
    keep = 1 - lit
    out = cv2.multiply(rgb, _channels(*[(1 - dark * (1 - s)) * keep for s in shadow]))
    return cv2.add(out, _channels(lit)) if highlight else out


def soft_shade(rgb: np.ndarray, shade: np.ndarray, strength: float, specular: float = 0.0) -> np.ndarray:
    factor = 1 + strength * shade
    if not specular:
        return cv2.multiply(rgb, _channels(factor))
    spot = np.clip((shade - 0.22) * 3.5, 0, 1) ** 2 * specular
    return cv2.add(cv2.multiply(rgb, _channels(factor * (1 - spot))), _channels(spot))


def outline(rgb: np.ndarray, edges: np.ndarray, width: float,
            colour: tuple[float, ...] | None = None, darken: float = 0.3) -> np.ndarray:
    """Ink the shape boundaries `width` pixels wide, in `colour` or a darker local colour.
    `rgb` may also be a single (H, W) channel."""
    k = max(1, round(width))
    mask = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    m = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 0.6)
    if rgb.ndim == 2:
        return rgb * (1 - m) + (colour[0] if colour else 0.0) * m
    if colour is None:
        return cv2.multiply(rgb, _channels(1 - m * (1 - darken)))
    return cv2.add(cv2.multiply(rgb, _channels(1 - m)), _channels(*[m * c for c in colour]))


def add_light(rgb: np.ndarray, light: np.ndarray | None, gain: float = 1.0) -> np.ndarray:
    """Screen-blend a light map (any resolution) over the picture."""
    if light is None:
        return rgb
    h, w = rgb.shape[:2]
    glow = cv2.resize(np.clip(light * gain, 0, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    rgb = np.clip(rgb, 0, 1)
    return rgb + glow * (1 - rgb)


def add_light_bytes(img: np.ndarray, light: np.ndarray | None, gain: float = 1.0) -> np.ndarray:
    """`add_light` for uint8 pictures."""
    if light is None:
        return img
    h, w = img.shape[:2]
    glow = cv2.resize(np.clip(light * gain * 255, 0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)
    return 255 - cv2.multiply(255 - img, 255 - glow, scale=1 / 255)


def saturate(rgb: np.ndarray, amount: float) -> np.ndarray:
    matrix = np.eye(3, dtype=np.float32) * amount + (1 - amount) * LUMA[None, :]
    return cv2.transform(rgb, matrix)


def tint(rgb: np.ndarray, multiply: tuple[float, float, float], lift: tuple[float, float, float] = (0, 0, 0)):
    matrix = np.hstack([np.diag(multiply), np.array(lift)[:, None]]).astype(np.float32)
    return cv2.transform(rgb, matrix)


def bloom(rgb: np.ndarray, threshold: float, amount: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    bright = np.clip(small - threshold, 0, None) * (1 / (1 - threshold))
    bright = cv2.GaussianBlur(bright, (0, 0), 3)
    return rgb + cv2.resize(bright, (w, h), interpolation=cv2.INTER_LINEAR) * amount


def blur_downsampled(rgb: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur, done cheaply at a quarter size."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / 4))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def to_bytes(rgb: np.ndarray) -> np.ndarray:
    return cv2.convertScaleAbs(cv2.max(rgb, 0.0), alpha=255)


def resize(img: np.ndarray, out_size: tuple[int, int], nearest: bool = False) -> np.ndarray:
    if (img.shape[1], img.shape[0]) == out_size:
        return img
    mode = cv2.INTER_NEAREST if nearest else cv2.INTER_CUBIC
    return cv2.resize(img, out_size, interpolation=mode)


def curve(img: np.ndarray, contrast: float = 1.0, shadows: tuple[float, float, float] = (0, 0, 0),
          highlights: tuple[float, float, float] = (0, 0, 0)) -> np.ndarray:
    """Tone curves on uint8 pixels through one lookup table: an S-curve of `contrast`, then each
    channel pushed by `shadows` in the darks and `highlights` in the brights (a colour grade)."""
    x = np.linspace(0, 1, 256, dtype=np.float64)
    if contrast != 1.0:
        s = 1 / (1 + np.exp(-contrast * 4 * (x - 0.5)))
        lo, hi = 1 / (1 + np.exp(contrast * 2)), 1 / (1 + np.exp(-contrast * 2))
        x = (s - lo) / (hi - lo)
    lut = np.stack([x + dark * (1 - x) ** 2 + bright * x ** 2 for dark, bright in zip(shadows, highlights)], -1)
    return cv2.LUT(img, (np.clip(lut, 0, 1) * 255 + 0.5).astype(np.uint8).reshape(1, 256, 3))


def settle_exposure(img: np.ndarray, low: float = 62, high: float = 205, min_std: float = 28) -> np.ndarray:
    """Pull a too dark, too bright or too flat picture back into a watchable range (uint8)."""
    luma = img[::4, ::4].astype(np.float32) @ (LUMA * 1.0)
    mean, std = float(luma.mean()), float(luma.std())
    x = np.arange(256, dtype=np.float64)
    if std < min_std:
        x = mean + (x - mean) * (min_std / max(std, 1.0))
    x = np.clip(x, 0, 255)
    new_mean = float(np.interp(mean, np.arange(256), x))
    if new_mean < low:
        x = 255 * (x / 255) ** (math.log(low / 255) / math.log(max(new_mean, 1) / 255))
    elif new_mean > high:
        x = 255 * (x / 255) ** (math.log(high / 255) / math.log(min(new_mean, 254) / 255))
    if np.array_equal(x, np.arange(256)):
        return img
    return cv2.LUT(img, np.clip(x + 0.5, 0, 255).astype(np.uint8))


# --- cached textures (they do not depend on the picture) ------------------------------------


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def smooth_noise(h: int, w: int, cell: int, seed: int) -> np.ndarray:
    """Value noise in about [-1, 1], with features about `cell` pixels across."""
    rng = np.random.default_rng(seed)
    grid = rng.standard_normal((h // cell + 3, w // cell + 3)).astype(np.float32)
    big = cv2.resize(grid, ((w // cell + 3) * cell, (h // cell + 3) * cell), interpolation=cv2.INTER_CUBIC)
    return big[cell:cell + h, cell:cell + w]


@lru_cache(maxsize=8)
def vignette(h: int, w: int, strength: float) -> np.ndarray:
    y, x = np.ogrid[-1:1:h * 1j, -1:1:w * 1j]
    r2 = (x * x + y * y).astype(np.float32) / 2
    return _frozen((1 - strength * r2 ** 1.5)[..., None].astype(np.float32))


@lru_cache(maxsize=8)
def film_grain(h: int, w: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    grain = rng.standard_normal((h, w), dtype=np.float32)
    return _frozen(cv2.GaussianBlur(grain, (0, 0), 0.6)[..., None])


@lru_cache(maxsize=8)
def paper(h: int, w: int) -> np.ndarray:
    """Watercolour paper: fine tooth plus faint blotches, as a multiplier near 1."""
    rng = np.random.default_rng(11)
    tooth = cv2.GaussianBlur(rng.standard_normal((h, w), dtype=np.float32), (0, 0), 1.0)
    blotch = smooth_noise(h, w, max(8, min(h, w) // 10), 12)
    return _frozen((1 - 0.025 * np.abs(tooth) - 0.02 * blotch)[..., None])


@lru_cache(maxsize=8)
def canvas_weave(h: int, w: int) -> np.ndarray:
    """Storybook texture: a faint woven canvas plus crayon-like grain."""
    y, x = np.ogrid[0:h, 0:w]
    period = max(3.0, min(h, w) / 180)
    weave = (np.sin(x * (2 * np.pi / period)) * np.sin(y * (2 * np.pi / period))).astype(np.float32)
    rng = np.random.default_rng(13)
    grain = cv2.GaussianBlur(rng.standard_normal((h, w), dtype=np.float32), (0, 0), 1.2)
    mottle = smooth_noise(h, w, max(6, min(h, w) // 14), 14)
    return _frozen((1 + 0.025 * weave - 0.035 * np.abs(grain) + 0.03 * mottle)[..., None])


@lru_cache(maxsize=8)
def thumbprints(h: int, w: int) -> np.ndarray:
    """Claymation: soft lumps and fingerprints in the clay."""
    lumps = smooth_noise(h, w, max(6, min(h, w) // 60), 21)
    swirl = smooth_noise(h, w, max(12, min(h, w) // 18), 22)
    return _frozen((1 + 0.035 * lumps + 0.03 * swirl)[..., None])


@lru_cache(maxsize=8)
def halftone_cells(h: int, w: int, period: float) -> np.ndarray:
    """Distance (in cell units, 0..0.71) from each pixel to the centre of its dot on a 45° grid."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (x + y) * (0.7071 / period)
    v = (x - y) * (0.7071 / period)
    du, dv = u - np.round(u), v - np.round(v)
    return _frozen(np.sqrt(du * du + dv * dv))


@lru_cache(maxsize=8)
def bayer(h: int, w: int) -> np.ndarray:
    """A 4x4 ordered-dither threshold map in [-0.5, 0.5)."""
    m = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 - 0.5
    return _frozen(np.tile(m, (h // 4 + 1, w // 4 + 1))[:h, :w, None])


@lru_cache(maxsize=8)
def watercolor_flow(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """A smooth displacement field: paint wanders a little past the pencil lines."""
    amp = max(1.0, min(h, w) * 0.006)
    cell = max(6, min(h, w) // 20)
    dx, dy = smooth_noise(h, w, cell, 31) * amp, smooth_noise(h, w, cell, 32) * amp
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return _frozen(x + dx), _frozen(y + dy)


# --- the styles -----------------------------------------------------------------------------

Finisher = Callable[[np.ndarray, np.ndarray, "np.ndarray | None", tuple[int, int]], np.ndarray]


def _short(rgb: np.ndarray) -> int:
    return min(rgb.shape[:2])


def _finish_bytes(img: np.ndarray, out_size: tuple[int, int]) -> np.ndarray:
    return settle_exposure(resize(img, out_size))


def cinematic(rgb, labels, light, out_size):
    rgb = soften(rgb)
    rgb = soft_shade(rgb, bevel(labels, boundaries(labels), _short(rgb) * 0.02), 0.3)
    rgb = add_light(rgb, light, STYLE_SPECS["cinematic"].light_gain)
    rgb = bloom(rgb, 0.7, 0.45)
    rgb = saturate(rgb, 1.12)
    h, w = rgb.shape[:2]
    rgb = rgb * vignette(h, w, 0.55) + film_grain(h, w) * 0.012
    graded = curve(resize(to_bytes(rgb), out_size), contrast=1.25,
                   shadows=(-0.1, 0.03, 0.1), highlights=(0.08, 0.02, -0.08))  # teal shadows, warm highlights
    return settle_exposure(graded)


def watercolor(rgb, labels, light, out_size):
    h, w = rgb.shape[:2]
    edges = boundaries(labels)
    rgb = add_light(rgb, light, STYLE_SPECS["watercolor"].light_gain)
    mx, my = watercolor_flow(h, w)
    rgb = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    bled = blur_downsampled(rgb, _short(rgb) * 0.02)
    rgb = cv2.GaussianBlur(rgb, (0, 0), 1.2) * 0.7 + bled * 0.3
    rgb = saturate(rgb, 0.85) * 0.7 + 0.3  # pale washes on white paper
    # pigment pools at the edges of each wash
    pools = cv2.GaussianBlur(cv2.remap(edges.astype(np.float32), mx, my, cv2.INTER_LINEAR), (0, 0), 1.2)
    rgb = rgb * (1 - 0.28 * np.clip(pools * 1.6, 0, 1))[..., None]
    granulation = smooth_noise(h, w, max(8, _short(rgb) // 12), 33)[..., None]
    rgb = rgb * (1 - 0.035 * granulation)
    img = resize(to_bytes(rgb), out_size).astype(np.float32) * (1 / 255)
    img = img * paper(out_size[1], out_size[0])
    return settle_exposure(to_bytes(img))


def anime(rgb, labels, light, out_size):
    rgb = soften(rgb, 0.6)
    edges = boundaries(labels)
    shade = bevel(labels, edges, _short(rgb) * 0.035)
    rgb = cel_shade(rgb, shade, (0.72, 0.74, 0.9), highlight=0.18)
    rgb = saturate(rgb, 1.25)
    rgb = add_light(rgb, light, STYLE_SPECS["anime"].light_gain)
    rgb = bloom(rgb, 0.8, 0.3)
    rgb = outline(rgb, edges, max(1.0, _short(rgb) * 0.0022), darken=0.28)
    return settle_exposure(curve(resize(to_bytes(rgb), out_size), contrast=1.1))


def storybook(rgb, labels, light, out_size):
    rgb = soften(rgb, 0.9)
    edges = boundaries(labels)
    rgb = soft_shade(rgb, bevel(labels, edges, _short(rgb) * 0.025), 0.35)
    rgb = add_light(rgb, light, STYLE_SPECS["storybook"].light_gain)
    rgb = outline(rgb, edges, max(1.0, _short(rgb) * 0.0025), colour=(0.3, 0.2, 0.13))
    rgb = saturate(rgb, 0.72)
    rgb = tint(rgb, (1.03, 0.96, 0.84), (0.06, 0.045, 0.02))  # warm, lifted, muted
    h, w = rgb.shape[:2]
    rgb = rgb * canvas_weave(h, w) * vignette(h, w, 0.35)
    return _finish_bytes(to_bytes(rgb), out_size)


def noir(rgb, labels, light, out_size):
    edges = boundaries(labels)
    shade = bevel(labels, edges, _short(rgb) * 0.03)
    rgb = cel_shade(rgb, shade, (0.4, 0.4, 0.4), highlight=0.35)
    rgb = add_light(rgb, light, STYLE_SPECS["noir"].light_gain)
    grey = soften(rgb, 0.6) @ LUMA
    grey = outline(grey, edges, max(1.0, _short(rgb) * 0.0015), colour=(0.03,))
    h, w = grey.shape
    grey = grey * vignette(h, w, 0.75)[..., 0]
    img = settle_exposure(np.repeat(to_bytes(grey)[..., None], 3, axis=2), low=80, min_std=40)
    img = curve(img, contrast=1.9)
    grain = film_grain(h, w)[..., 0] * 0.05
    grey = img[..., 0].astype(np.float32) * (1 / 255) + grain
    img = np.repeat(to_bytes(grey)[..., None], 3, axis=2)
    return settle_exposure(resize(img, out_size), low=70)


def nearest_palette_colours(colours: np.ndarray) -> np.ndarray:
    flat = colours.reshape(-1, 3)
    dist = ((flat[:, None, :] - PIXEL_PALETTE[None, :, :]) ** 2).sum(-1)
    return PIXEL_PALETTE[dist.argmin(1)].reshape(colours.shape)


def pixel_art(rgb, labels, light, out_size):
    edges = boundaries(labels)
    rgb = cel_shade(rgb, bevel(labels, edges, 3.0), (0.7, 0.7, 0.82), highlight=0.2)
    rgb = add_light(rgb, light, STYLE_SPECS["pixel-art"].light_gain)
    rgb = saturate(rgb, 1.15)
    rgb = settle_exposure(to_bytes(rgb)).astype(np.float32) * (1 / 255)
    h, w = rgb.shape[:2]
    quantized = nearest_palette_colours(rgb + bayer(h, w) * 0.06)
    ink = edges.astype(bool) & (labels > 0)  # one-pixel outlines, in a darker palette colour
    quantized[ink] = nearest_palette_colours(quantized[ink] * 0.35)
    f = pixel_factor(out_size)
    big = np.repeat(np.repeat(to_bytes(quantized), f, axis=0), f, axis=1)
    return np.ascontiguousarray(big[:out_size[1], :out_size[0]])


def claymation(rgb, labels, light, out_size):
    rgb = soften(rgb, 1.4)  # soft, rounded silhouettes
    shade = bevel(labels, boundaries(labels), _short(rgb) * 0.04)
    rgb = soft_shade(rgb, shade, 0.55, specular=0.45)
    rgb = add_light(rgb, light, STYLE_SPECS["claymation"].light_gain)
    rgb = saturate(rgb, 1.12)
    h, w = rgb.shape[:2]
    in_clay = (0.3 + 0.7 * (labels > 0)).astype(np.float32)[..., None]
    rgb = rgb * (1 + (thumbprints(h, w) - 1) * in_clay) * vignette(h, w, 0.3)
    return _finish_bytes(to_bytes(rgb), out_size)


def comic(rgb, labels, light, out_size):
    edges = boundaries(labels)
    short = _short(rgb)
    shade = bevel(labels, edges, short * 0.04)
    rgb = saturate(rgb, 1.35)  # the shapes are flat fills already: make them bold
    h, w = rgb.shape[:2]
    luma = rgb @ LUMA
    darkness = np.clip((0.3 - luma) * 2.0, 0, 0.45) + np.clip((-shade - 0.08) * 6, 0, 1) * 0.55
    cells = halftone_cells(h, w, max(4.0, short * 0.012))
    dots = (cells < np.sqrt(np.clip(darkness, 0, 1)) * 0.6).astype(np.float32)
    rgb = rgb * (1 - 0.6 * cv2.GaussianBlur(dots, (0, 0), 0.5)[..., None])
    rgb = add_light(rgb, light, STYLE_SPECS["comic"].light_gain)
    rgb = outline(rgb, edges, max(2.0, short * 0.0055), colour=(0.04, 0.03, 0.05))
    return _finish_bytes(to_bytes(rgb), out_size)


FINISHERS: dict[str, Finisher] = {
    "cinematic": cinematic,
    "watercolor": watercolor,
    "anime": anime,
    "storybook": storybook,
    "noir": noir,
    "pixel-art": pixel_art,
    "claymation": claymation,
    "comic": comic,
}
