"""`dreamreel prune`: media down to a size budget, never what a current film needs.

What a current film needs stays: the version of its final cut people see (the newest that passed),
a version still being made or checked, and everything its next run could reuse (script,
character sheets, keyframes, clips, narration, music: all of a request's media outside `cuts/`).
What may go, in this order, until the media fit the budget:

1. the files of films whose request no longer exists (orphans), and half-written files of a local
   store (hidden `.*.partial*` names) of films not being made, untouched for an hour;
2. failed versions of a final cut (and unfinished ones a later cut replaced);
3. superseded versions that passed (an older cut replaced by a newer one), oldest first, and the
   final cut of a film made before versions once a version of it plays.

No Dagster here: the stores' own `files(prefix)` and `remove(prefix)` do the listing and removing.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dreamreel_assets.stores.media import LocalMediaStore, MediaStore, StoredFile
from dreamreel_assets.stores.requests import ACTIVE, RequestRecord, RequestStore, cut_folder, cuts_prefix

FILMS = "films/"
LEGACY_CUT_FILES = ("film.mp4", "film.vtt", "film.srt", "poster.jpg")
"""The final cut of a film made before versions, directly under `films/<id>/`."""
PARTIAL = re.compile(r"^\..+\.partial")
"""Half-written files: `.<stem>.partial.<ext>` (a write never committed), `.<name>.partial` (its hash)."""
PARTIAL_QUIET_S = 3600
"""A half-written file touched within this time may still be being written (a run from the Dagster
UI leaves its film's status as it was): it stays."""

UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
         "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(text: str) -> int:
    """Bytes from `20GB`, `500MB`, `1.5GiB`, `1024` (bytes); ValueError in words for anything else."""
    match = SIZE.match(text or "")
    unit = match.group(2).lower() if match else None
    if not match or unit not in UNITS:
        raise ValueError(f"{text!r} is not a size: give a number and a unit, e.g. 20GB, 500MB or 1.5GiB")
    return int(float(match.group(1)) * UNITS[unit])


def format_size(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


@dataclass(frozen=True)
class Removal:
    """Something that may go: a folder (prefix ending in /) or a file, with why, in words."""

    prefix: str
    size: int
    why: str
    local_path: Path | None = None
    """A half-written file the store does not list: removed from the disk directly."""


@dataclass
class Plan:
    budget: int
    used: int
    removals: list[Removal] = field(default_factory=list)

    @property
    def freed(self) -> int:
        return sum(removal.size for removal in self.removals)

    @property
    def left(self) -> int:
        return self.used - self.freed

    @property
    def fits(self) -> bool:
        return self.left <= self.budget


def plan_prune(media: MediaStore, requests: RequestStore, budget: int) -> Plan:
    """What to remove, in order, to bring the media under `budget` bytes (stopping once under)."""
    by_film: dict[str, list[StoredFile]] = defaultdict(list)
    for stored in media.files(FILMS):
        by_film[stored.key[len(FILMS):].split("/", 1)[0]].append(stored)
    existing = set(requests.all_ids())
    records = {film_id: requests.get(film_id) for film_id in by_film if film_id in existing}
    records = {film_id: record for film_id, record in records.items() if record is not None}
    partials = _partials(media, requests, records)
    plan = Plan(budget=budget, used=sum(f.size for files in by_film.values() for f in files)
                + sum(r.size for r in partials))
    candidates = [
        *_orphans(by_film, records), *partials,
        *_oldest_first(_cuts(by_film, records, superseded=False)),
        *_oldest_first(_cuts(by_film, records, superseded=True)),
    ]
    for removal in candidates:
        if plan.fits:
            break
        plan.removals.append(removal)
    return plan


def carry_out(removal: Removal, media: MediaStore) -> None:
    if removal.local_path is not None:
        removal.local_path.unlink(missing_ok=True)
    else:
        media.remove(removal.prefix)


def _oldest_first(dated: Iterable[tuple[datetime, Removal]]) -> list[Removal]:
    return [removal for _, removal in sorted(dated, key=lambda pair: pair[0])]


def _orphans(by_film: dict[str, list[StoredFile]], records: dict[str, RequestRecord]) -> Iterable[Removal]:
    for film_id in sorted((f for f in by_film if f not in records), key=lambda f: min(s.modified for s in by_film[f])):
        yield Removal(f"{FILMS}{film_id}/", sum(s.size for s in by_film[film_id]),
                      f"film {film_id}: its request no longer exists")


def _partials(media: MediaStore, requests: RequestStore, records: dict[str, RequestRecord]) -> list[Removal]:
    """Half-written files in a local store, of films not being made (one being made may be writing them).
    The store lists committed files only, so these are found on the disk."""
    if not isinstance(media, LocalMediaStore) or not (media.root / FILMS).is_dir():
        return []
    root = media.root
    found, now = [], time.time()
    for path in sorted((root / FILMS).rglob(".*.partial*")):
        film_id = path.relative_to(root / FILMS).parts[0]
        record = records[film_id] if film_id in records else requests.get(film_id)
        quiet = path.is_file() and now - path.stat().st_mtime > PARTIAL_QUIET_S
        if quiet and PARTIAL.match(path.name) and (record is None or record.status not in ACTIVE):
            key = path.relative_to(root).as_posix()
            found.append(Removal(key, path.stat().st_size, "a half-written file", local_path=path))
    return found


def _cuts(by_film: dict[str, list[StoredFile]], records: dict[str, RequestRecord],
          superseded: bool) -> Iterable[tuple[datetime, Removal]]:
    """Versions of films whose request exists that no one sees: failed and abandoned ones, or
    (`superseded`) passed ones a newer version replaced, with when each was made."""
    for film_id, record in records.items():
        files = by_film[film_id]
        for number, stored in _cut_folders(film_id, files).items():
            why = _cut_fate(record, number)
            if why is not None and why[0] == superseded:
                yield (min(s.modified for s in stored),
                       Removal(cut_folder(film_id, number), sum(s.size for s in stored), f"film {film_id}: {why[1]}"))
        legacy = [s for s in files if s.key in {f"{FILMS}{film_id}/{name}" for name in LEGACY_CUT_FILES}]
        if superseded and legacy and record.playing_version is not None:
            for stored in legacy:
                yield (stored.modified, Removal(stored.key, stored.size,
                                                f"film {film_id}: its cut from before versions, replaced"))


def _cut_folders(film_id: str, files: list[StoredFile]) -> dict[int, list[StoredFile]]:
    prefix = cuts_prefix(film_id)
    folders: dict[int, list[StoredFile]] = defaultdict(list)
    for stored in files:
        head = stored.key[len(prefix):].split("/", 1)[0] if stored.key.startswith(prefix) else ""
        if head.isdigit():
            folders[int(head)].append(stored)
    return folders


def _cut_fate(record: RequestRecord, number: int) -> tuple[bool, str] | None:
    """(superseded, why) for a version no one needs; None for one that stays."""
    playing = record.playing_version
    newest = max((v.number for v in record.versions), default=0)
    version = next((v for v in record.versions if v.number == number), None)
    if playing is not None and number == playing.number:
        return None
    if number >= newest and (record.status in ACTIVE or (version is not None and version.status == "checking")):
        return None  # being made or checked now
    if version is None or version.status != "passed":
        detail = f" ({', '.join(version.failed_checks)})" if version is not None and version.failed_checks else ""
        state = "failed its checks" if version is not None and version.status == "failed" else "never finished"
        return False, f"version {number} {state}{detail}"
    return True, f"version {number}, replaced by version {playing.number if playing else newest}"
