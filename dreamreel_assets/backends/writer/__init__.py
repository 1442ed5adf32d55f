"""Writing the script: request in, validated `Script` out."""

from typing import Protocol

from dreamreel_assets.models import FilmRequest, Script

WORDS_PER_MINUTE = 140
"""Spoken pace the narration is sized to (people speak about 130-150 words a minute)."""


class ScriptWriter(Protocol):
    name: str
    languages: tuple[str, ...]
    """The languages it writes scripts in (ISO 639-1 codes)."""

    def write(self, request: FilmRequest) -> Script:
        """Write a script for the request; same request (seed included) gives the same script."""
        ...
