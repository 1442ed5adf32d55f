"""Speaking a scene's lines."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from dreamreel_assets.models import Cue, Line


class NarrationFailed(Exception):
    """A narrator could not speak, for a reason a person can act on (said in the message)."""


@dataclass(frozen=True)
class SpokenScene:
    samples: np.ndarray
    """Mono float32 in [-1, 1]."""
    sample_rate: int
    cues: list[Cue]
    """One cue per sentence, seconds from the start of `samples`."""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


class Narrator(Protocol):
    name: str
    fingerprint: str
    """Everything about the backend that changes what it says (speech made under another is not reused)."""

    def speak(self, lines: list[Line], voices: dict[str, str], take: int = 0, language: str = "en") -> SpokenScene:
        """Speak `lines` in order; `voices` maps each speaker id to a `VoicePreset`. A `take` above
        0 is another reading of the same lines (asked for by a fix): same voices, other delivery.
        `language` is what the lines are written in (a `languages.LANGUAGES` code)."""
        ...
