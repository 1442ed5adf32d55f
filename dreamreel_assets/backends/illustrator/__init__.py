"""Drawing character sheets and keyframes."""

from collections.abc import Sequence
from typing import Protocol

from PIL import Image

from dreamreel_assets.models import Character, Scene, Script, Shot


class SafetyFlagged(RuntimeError):
    """The image model's safety checker flagged a picture on every try (the step fails with this,
    in words: trying the same seeds again would give the same black pictures)."""


class Illustrator(Protocol):
    name: str

    def character_sheet(
        self, script: Script, character: Character, size: tuple[int, int], seed: int
    ) -> Image.Image:
        """A reference picture of one character: the anchor of their look in every shot."""
        ...

    def keyframe(
        self,
        script: Script,
        scene: Scene,
        shot: Shot,
        sheets: dict[str, Image.Image],
        size: tuple[int, int],
        seed: int,
    ) -> Image.Image:
        """The picture a shot starts from, in the script's style, with its characters as drawn
        on their sheets (`sheets` maps character id to sheet)."""
        ...


def draw_keyframes(
    illustrator: Illustrator, script: Script, scene: Scene, shots: Sequence[tuple[Shot, int]],
    sheets: dict[str, Image.Image], size: tuple[int, int],
) -> list[Image.Image]:
    """Keyframes for several (shot, seed) of one scene: in batches where the illustrator draws
    several at once (the diffusion models on a GPU), one by one otherwise."""
    batched = getattr(illustrator, "keyframes", None)
    if batched is not None:
        return batched(script, scene, shots, sheets, size)
    return [illustrator.keyframe(script, scene, shot, sheets, size, seed) for shot, seed in shots]
