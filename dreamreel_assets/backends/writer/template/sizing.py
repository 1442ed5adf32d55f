"""How much a film holds: scenes, words and shots for its length."""

from __future__ import annotations

from dreamreel_assets.backends.writer import WORDS_PER_MINUTE
from dreamreel_assets.models import FilmRequest
from dreamreel_assets.timeline import speech_budget_s

WORD_FILL = 0.95
SHORT_FILL_FROM_S = 120.0
SHORT_FILM_FILL_CUT = 0.16
"""Share of the speech budget the narration aims for, leaving the voice a little room."""
SECONDS_PER_SHOT = 6.5
MIN_SHOTS_PER_SCENE = 3
SHORT_FILM_S = 120
"""Films shorter than this get three scenes."""
LONG_FILM_S = 480
"""Films this long or longer get five scenes."""

ARCS: dict[int, tuple[str, ...]] = {
    3: ("setup", "complication", "resolution"),
    4: ("setup", "complication", "climax", "resolution"),
    5: ("setup", "complication", "turn", "climax", "resolution"),
}
BEAT_WEIGHT = {"setup": 1.1, "complication": 1.0, "turn": 0.9, "climax": 1.1, "resolution": 0.9}


def scene_count_for(target_s: float) -> int:
    if target_s < SHORT_FILM_S:
        return 3
    return 5 if target_s >= LONG_FILM_S else 4


def word_target(request: FilmRequest) -> int:
    """Words of narration (dialogue included) the script aims for."""
    scene_count = scene_count_for(request.target_seconds)
    return round(WORDS_PER_MINUTE / 60 * speech_budget_s(request.target_seconds, scene_count) * word_fill(request.target_seconds))


def word_fill(target_s: float) -> float:
    """How full of words the speech budget is planned. The pauses between lines and sentences cost
    about the same few seconds in any film, which a short film's budget cannot absorb: a 20-second
    preview planned as full as a 5-minute film came out 12% long (measured over 24 scripts)."""
    return WORD_FILL - SHORT_FILM_FILL_CUT * max(0.0, (SHORT_FILL_FROM_S - target_s) / SHORT_FILL_FROM_S)


def shot_counts(scene_words: list[int], target_s: float) -> list[int]:
    """Shots per scene: about one per SECONDS_PER_SHOT of film, shared by narration length."""
    minimum = MIN_SHOTS_PER_SCENE * len(scene_words)
    extra = max(round(target_s / SECONDS_PER_SHOT), minimum) - minimum
    total_words = max(sum(scene_words), 1)
    shares = [extra * words / total_words for words in scene_words]
    counts = [MIN_SHOTS_PER_SCENE + int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[: minimum + extra - sum(counts)]:
        counts[i] += 1
    return counts
