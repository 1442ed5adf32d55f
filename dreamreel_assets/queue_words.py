"""A film's place in the run queue and its estimated times, in words (for `dreamreel status`).

The web client says the same in the same words (client/src/queueWords.ts): change both together.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from dreamreel_assets.stores.requests import QueueEstimate


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st, ..."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _round(value: float) -> int:
    """Halves up, as JavaScript's Math.round (Python's round() rounds halves to even)."""
    return math.floor(value + 0.5)


def in_about(seconds: float) -> str:
    """How long until a moment, as an estimate: "in about 4 min", "in about 1 h 25 min", "soon"."""
    if seconds <= 0:
        return "soon"
    if seconds < 60:
        return "in less than a minute"
    minutes = _round(seconds / 60)
    if minutes < 60:
        return f"in about {minutes} min"
    if minutes < 600:
        hours, rest = divmod(_round(minutes / 5) * 5, 60)  # to 5 minutes: it is an estimate
        return f"in about {hours} h {rest} min" if rest else f"in about {hours} h"
    return f"in about {_round(minutes / 60)} h"


def estimate_source(measured_films: int) -> str:
    if measured_films <= 0:
        return "a first guess: no film of this kind has been timed here yet"
    return f"estimated from {measured_films} film{'' if measured_films == 1 else 's'} made on this server"


def in_the_queue(position: int) -> str:
    """Where a waiting film is: "next in the queue", "2nd in the queue", ..."""
    return f"{'next' if position == 1 else ordinal(position)} in the queue"


def place(position: int) -> str:
    """"Being made", or where the film waits: "Waiting to start: next in the queue", "... 2nd in the queue"."""
    return "Being made" if position <= 0 else f"Waiting to start: {in_the_queue(position)}"


def describe_queue(estimate: QueueEstimate, now: datetime | None = None) -> str:
    """One line: "Waiting to start: 2nd in the queue · starts in about 4 min, ready in about 12 min
    (estimated from 5 films made on this server)", or "Being made · ready in about 6 min (...)"."""
    now = _aware(now or datetime.now(timezone.utc))
    times = []
    if estimate.position > 0 and estimate.estimated_start is not None:
        times.append(f"starts {in_about((_aware(estimate.estimated_start) - now).total_seconds())}")
    if estimate.estimated_finish is not None:
        times.append(f"ready {in_about((_aware(estimate.estimated_finish) - now).total_seconds())}")
    line = place(estimate.position)
    if times:
        line += f" · {', '.join(times)} ({estimate_source(estimate.measured_films)})"
    return line


def _aware(moment: datetime) -> datetime:
    """A naive time is taken as UTC (as the stores write them)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
