"""Embedded animator: a virtual camera moving over the keyframe (push-in, pull-out, pan, tilt).

Each frame is an affine view of the keyframe, so moves are sub-pixel smooth; frames are made one
at a time as the encoder asks for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from dreamreel_assets.models import CameraMove, Shot


@dataclass(frozen=True)
class View:
    """What the camera sees: a centre and a zoom (1 = the widest view that fits the keyframe)."""

    cx: float
    cy: float
    zoom: float


MOVE_ZOOM = 1.22
"""Zoom held during pans and tilts, and reached by push-ins: leaves room to travel."""


def camera_path(move: CameraMove, drift: tuple[float, float]) -> tuple[View, View]:
    """Start and end views, centres in keyframe fractions; `drift` nudges the focus per shot."""
    fx, fy = 0.5 + drift[0], 0.5 + drift[1]
    travel = (1 - 1 / MOVE_ZOOM) / 2 * 0.9
    paths = {
        "static": (View(fx, fy, 1.04), View(fx, fy, 1.08)),
        "push-in": (View(0.5, 0.5, 1.0), View(fx, fy, MOVE_ZOOM + 0.1)),
        "pull-out": (View(fx, fy, MOVE_ZOOM + 0.1), View(0.5, 0.5, 1.0)),
        "pan-left": (View(0.5 + travel, fy, MOVE_ZOOM), View(0.5 - travel, fy, MOVE_ZOOM)),
        "pan-right": (View(0.5 - travel, fy, MOVE_ZOOM), View(0.5 + travel, fy, MOVE_ZOOM)),
        "tilt-up": (View(fx, 0.5 + travel, MOVE_ZOOM), View(fx, 0.5 - travel, MOVE_ZOOM)),
        "tilt-down": (View(fx, 0.5 - travel, MOVE_ZOOM), View(fx, 0.5 + travel, MOVE_ZOOM)),
    }
    return paths[move]


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


class CameraMoveAnimator:
    name = "camera-moves"

    def frames(
        self, keyframe: Image.Image, shot: Shot, frame_count: int, size: tuple[int, int], fps: int, seed: int,
    ) -> Iterator[np.ndarray]:
        source = np.asarray(keyframe.convert("RGB"))
        start, end = camera_path(shot.camera, _drift(shot.id, seed))
        for index in range(frame_count):
            t = _ease(index / max(frame_count - 1, 1))
            yield render_view(source, View(*(a + (b - a) * t for a, b in zip(
                (start.cx, start.cy, start.zoom), (end.cx, end.cy, end.zoom)))), size)


def render_view(source: np.ndarray, view: View, size: tuple[int, int]) -> np.ndarray:
    """The frame the camera sees, resampled bilinearly from the keyframe."""
    src_h, src_w = source.shape[:2]
    out_w, out_h = size
    base_scale = min(src_w / out_w, src_h / out_h)
    scale = base_scale / view.zoom
    view_w, view_h = out_w * scale, out_h * scale
    left = np.clip(view.cx * src_w - view_w / 2, 0, src_w - view_w)
    top = np.clip(view.cy * src_h - view_h / 2, 0, src_h - view_h)
    output_to_source = np.array([[scale, 0, left], [0, scale, top]], dtype=np.float64)
    return cv2.warpAffine(
        source, output_to_source, (out_w, out_h),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REFLECT,
    )


def _drift(shot_id: str, seed: int) -> tuple[float, float]:
    digest = hashlib.sha256(f"{shot_id}:{seed}".encode()).digest()
    return ((digest[0] / 255 - 0.5) * 0.12, (digest[1] / 255 - 0.5) * 0.08)
