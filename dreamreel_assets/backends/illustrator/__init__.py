"""Drawing character sheets and keyframes."""

from typing import Protocol

from PIL import Image

from dreamreel_assets.models import Character, Scene, Script, Shot


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
