"""A wake-up hint from the API to the request sensor, when both run on one machine.

The request sensor looks at a Firestore queue only now and then while nobody asks for films (each
look is a billed read). The API touches `<data dir>/.queue-nudge` whenever it queues work; the
sensor looks at that file on every tick (free) and at the queue at once when it has changed. Where
the API runs elsewhere, the sensor's idle pace alone decides (see sensors.film_requests).
"""

from __future__ import annotations

import os
from pathlib import Path

NUDGE_FILE = ".queue-nudge"


def nudge(data_dir: Path) -> None:
    """Say there is new work (best effort: a failed nudge only delays the pickup)."""
    path = Path(data_dir) / NUDGE_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path)
    except OSError:
        pass


def last_nudge(data_dir: Path) -> float:
    """When work was last announced (0 if never)."""
    try:
        return (Path(data_dir) / NUDGE_FILE).stat().st_mtime
    except OSError:
        return 0.0
