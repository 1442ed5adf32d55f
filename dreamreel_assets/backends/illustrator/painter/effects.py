"""The building blocks of the styles' finishing passes, on float RGB (or uint8 where named)."""

from __future__ import annotations

import math

import cv2
import numpy as np


LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


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
