"""Each mood's style: tempo, key, chord progressions, and which instrument plays each part."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Percussion:
    instrument: str
    beats: tuple[float, ...]
    """Onsets within the bar, in beats."""
    gain: float
    pan: float = 0.0
    pitched: bool = False
    """Tuned to the chord root (timpani), else a fixed pitch."""


@dataclass(frozen=True)
class MoodStyle:
    tempo_bpm: float
    tonic: int
    """MIDI note of the key's tonic, around middle C."""
    mode: str
    progressions: tuple[tuple[int, ...], ...]
    """Chords as 0-based scale degrees; sections take turns."""
    pad: str
    bass: str
    lead: str
    lead_range: tuple[int, int]
    """Lowest and highest MIDI pitch of the melody."""
    texture: str | None = None
    """Arpeggio or ostinato instrument, if any."""
    texture_kind: str = "arpeggio"
    """"arpeggio" walks the chord's tones; "ostinato" repeats a riff on its root."""
    texture_per_beat: int = 2
    texture_low: int = 60
    percussion: tuple[Percussion, ...] = ()
    accent: str = "low_hit"
    """Instrument struck at each scene change."""
    beats_per_bar: int = 4
    bars_per_chord: int = 1
    sevenths: bool = False
    cluster: bool = False
    """Add a semitone above the chord root to the pad: dissonance for dread."""
    bass_beats: tuple[float, ...] = (0.0,)
    sparse_melody: bool = False

    @property
    def key(self) -> str:
        names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
        return f"{names[self.tonic % 12]} {self.mode}"

    @property
    def beat_s(self) -> float:
        return 60.0 / self.tempo_bpm

    @property
    def bar_s(self) -> float:
        return self.beat_s * self.beats_per_bar


MOOD_STYLES: dict[str, MoodStyle] = {
    "heroic": MoodStyle(
        110, 62, "major", ((0, 4, 5, 3), (5, 3, 0, 4)), pad="brass_pad", bass="sine_bass",
        lead="brass_lead", lead_range=(62, 81), texture="strings", texture_kind="ostinato",
        texture_low=50, percussion=(Percussion("timpani", (0, 2, 2.5), 0.55, pitched=True),
                                    Percussion("hat", (1, 3), 0.12, pan=0.3)),
        accent="timpani", bass_beats=(0, 2),
    ),
    "playful": MoodStyle(
        124, 65, "major", ((0, 5, 3, 4), (3, 4, 2, 5)), pad="soft_pad", bass="pluck_bass",
        lead="square_lead", lead_range=(72, 89), texture="pluck_square", texture_low=65,
        percussion=(Percussion("kick", (0, 2), 0.5), Percussion("tick", (1, 3), 0.18, pan=-0.2),
                    Percussion("hat", (0.5, 1.5, 2.5, 3.5), 0.1, pan=0.35)),
        accent="pluck_square", bass_beats=(0, 1.5, 2, 3),
    ),
    "tender": MoodStyle(
        72, 57, "minor", ((0, 5, 2, 6), (3, 0, 4, 0)), pad="soft_pad", bass="sine_bass",
        lead="piano", lead_range=(64, 81), texture="piano", texture_low=57, beats_per_bar=3,
        sevenths=True, accent="piano",
    ),
    "wondrous": MoodStyle(
        84, 64, "lydian", ((0, 1, 5, 4), (0, 1, 0, 2)), pad="airy_pad", bass="sine_bass",
        lead="bell", lead_range=(71, 88), texture="glass", texture_low=71,
        percussion=(Percussion("shaker", (0.5, 1.5, 2.5, 3.5), 0.08, pan=0.3),), accent="bell",
        bass_beats=(0, 2.5),
    ),
    "dread": MoodStyle(
        60, 48, "minor", ((0, 5, 3, 0), (0, 1, 5, 4)), pad="dark_pad", bass="drone",
        lead="dark_lead", lead_range=(55, 70), percussion=(Percussion("rumble", (0,), 0.35),
                                                           Percussion("low_hit", (0,), 0.4)),
        cluster=True, sparse_melody=True,
    ),
    "suspense": MoodStyle(
        90, 62, "minor", ((0, 5, 3, 4), (0, 6, 5, 4)), pad="dark_pad", bass="pluck_bass",
        lead="piano", lead_range=(62, 79), texture="strings", texture_kind="ostinato",
        texture_low=50, percussion=(Percussion("tick", tuple(b / 2 for b in range(8)), 0.14,
                                               pan=-0.25),
                                    Percussion("kick", (0,), 0.4)),
        sparse_melody=True,
    ),
    "warm": MoodStyle(
        80, 58, "major", ((0, 2, 3, 4), (3, 0, 4, 0)), pad="warm_pad", bass="sine_bass",
        lead="flute", lead_range=(65, 82), texture="soft_pluck", texture_low=58,
        percussion=(Percussion("shaker", (0.5, 1.5, 2.5, 3.5), 0.07, pan=-0.3),),
        sevenths=True, accent="soft_pluck", bass_beats=(0, 2),
    ),
    "ethereal": MoodStyle(
        70, 66, "major", ((0, 3, 5, 4), (0, 4, 5, 3)), pad="shimmer_pad", bass="sine_bass",
        lead="glass", lead_range=(73, 90), texture="glass", texture_per_beat=1, texture_low=78,
        bars_per_chord=2, accent="bell", sevenths=True,
    ),
}
