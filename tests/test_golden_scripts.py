"""Golden scripts: the template writer's output for fixed requests, recorded as JSON.

Any change to what the writer writes shows up here as a readable diff. When a change is meant
(a new sentence, a better rule), record the scripts again and review the diff in git:

    DREAMREEL_RECORD_GOLDEN=1 .venv/bin/pytest tests/test_golden_scripts.py
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

import pytest

from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.models import FilmRequest

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden" / "scripts"
RECORDING = os.environ.get("DREAMREEL_RECORD_GOLDEN") == "1"

EXTRA_CASES = (
    {"genre": "horror", "theme": "A night nurse hears a lullaby from the empty ward", "style": "noir",
     "preview_seconds": 20, "seed": 3},
    {"genre": "comedy", "theme": "A baker and a clockmaker swap shops for a day", "style": "claymation",
     "minutes": 7, "seed": 11},
    {"genre": "romance", "theme": "Two rivals meet every dawn at the same bakery", "style": "watercolor",
     "preview_seconds": 30, "seed": 5},
    {"genre": "adventure", "theme": "A girl climbs the tower at the end of the world", "style": "anime",
     "minutes": 6, "seed": 42},
)


def golden_cases() -> dict[str, FilmRequest]:
    """Every valid sample request, plus a few seeds and lengths; named by number, genre and theme."""
    entries = json.loads((DATA / "requests.json").read_text())["valid"] + list(EXTRA_CASES)
    return {_case_name(number, entry): FilmRequest(**entry) for number, entry in enumerate(entries, start=1)}


def _case_name(number: int, entry: dict) -> str:
    words = re.findall(r"[a-z0-9]+", entry["theme"].lower())[:4]
    return f"{number:02d}-{entry['genre']}-{'-'.join(words) or 'theme'}"


def script_json(request: FilmRequest) -> str:
    return json.dumps(TemplateWriter().write(request).model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name, request_", golden_cases().items(), ids=list(golden_cases()))
def test_template_writer_matches_its_golden_script(name: str, request_: FilmRequest) -> None:
    path = GOLDEN / f"{name}.json"
    written = script_json(request_)
    if RECORDING:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(written, encoding="utf-8")
        return
    assert path.exists(), f"no golden script {path.name}: record with DREAMREEL_RECORD_GOLDEN=1"
    recorded = path.read_text(encoding="utf-8")
    if written != recorded:
        diff = difflib.unified_diff(recorded.splitlines(), written.splitlines(), f"golden/{path.name}", "written",
                                    lineterm="", n=1)
        pytest.fail("the script differs from its golden copy:\n" + "\n".join(list(diff)[:80]), pytrace=False)


def test_the_golden_cases_cover_every_genre() -> None:
    from dreamreel_assets.models import GENRES

    assert {request.genre for request in golden_cases().values()} >= set(GENRES)


def test_no_stale_golden_files() -> None:
    assert {path.stem for path in GOLDEN.glob("*.json")} <= set(golden_cases())
