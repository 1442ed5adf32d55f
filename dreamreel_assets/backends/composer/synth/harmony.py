"""Harmony: scale steps to MIDI pitches, chords on scale degrees, and their voicings."""

from __future__ import annotations

from dreamreel_assets.backends.composer.synth.styles import MoodStyle

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
}


def scale_pitch(style: MoodStyle, step: int) -> int:
    octave, index = divmod(step, 7)
    return style.tonic + 12 * octave + MODES[style.mode][index]


def chord_pitches(style: MoodStyle, degree: int) -> tuple[int, ...]:
    steps = (0, 2, 4, 6) if style.sevenths else (0, 2, 4)
    return tuple(scale_pitch(style, degree + s) for s in steps)


def voice(pitches: tuple[int, ...], low: int) -> tuple[int, ...]:
    """Each pitch moved by octaves into the octave above `low`: close voicings that move little."""
    return tuple(sorted(low + (p - low) % 12 for p in pitches))


def spread(pitches: tuple[int, ...], low: int, octaves: int) -> list[int]:
    """The chord's pitch classes from `low` up over `octaves` octaves, for arpeggios."""
    classes = {p % 12 for p in pitches}
    return [p for p in range(low, low + 12 * octaves) if p % 12 in classes]


def bass_pitch(style: MoodStyle, degree: int) -> int:
    return 36 + (scale_pitch(style, degree) - 36) % 12
