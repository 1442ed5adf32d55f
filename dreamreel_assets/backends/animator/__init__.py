"""Animating a keyframe into a clip."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # bench/gpu.py imports the video backends where pydantic is not installed
    import numpy as np
    from PIL import Image

    from dreamreel_assets.models import Shot


class Animator(Protocol):
    name: str

    def frames(
        self, keyframe: Image.Image, shot: Shot, frame_count: int, size: tuple[int, int], fps: int, seed: int,
    ) -> Iterator[np.ndarray]:
        """Exactly `frame_count` RGB uint8 frames of `size` (width, height) showing the shot at `fps`.

        The clips stage encodes them; a backend never writes files itself.
        """
        ...
