"""The arrangement's output: notes to be rendered and mixed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    start_s: float
    pitches: tuple[int, ...]
    """MIDI pitches sounded together (a chord is rendered as one sound)."""
    gate_s: float
    instrument: str
    gain: float
    pan: float = 0.0

