"""Scoring the film."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from dreamreel_assets.models import Mood


@dataclass(frozen=True)
class Score:
    samples: np.ndarray
    """Stereo float32, shape (n, 2), peak below 1."""
    sample_rate: int
    tempo_bpm: float
    key: str


class Composer(Protocol):
    name: str

    def compose(
        self, mood: Mood, duration_s: float, seed: int, sample_rate: int = 48_000,
        section_starts: list[float] | None = None,
    ) -> Score:
        """A score exactly `duration_s` long whose tempo, key and timbre follow the mood;
        `section_starts` (seconds) mark scene changes the music may follow."""
        ...
