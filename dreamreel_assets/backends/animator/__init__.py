"""Animating a keyframe into a clip."""

from pathlib import Path
from typing import Protocol

from PIL import Image

from dreamreel_assets.models import Shot


class Animator(Protocol):
    name: str

    def animate(
        self,
        keyframe: Image.Image,
        shot: Shot,
        duration_s: float,
        size: tuple[int, int],
        fps: int,
        seed: int,
        out_path: Path,
    ) -> int:
        """Write an H.264 clip of the shot to `out_path`, exactly round(duration_s * fps) frames
        at `size` and `fps`; return the frame count."""
        ...
