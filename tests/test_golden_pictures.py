"""Golden pictures: the embedded painter draws exactly the pixels it drew when they were recorded.

The inputs are fixed: scripts written once by the template writer and kept as JSON in
tests/data/golden/pictures/ (so a change to the writer does not move them), the seeds the assets
derive, the sizes the assets draw at. Every character sheet, keyframe and style reference picture
is hashed; the test names each picture whose pixels changed.

Record again (only when a change to the look is meant):
    DREAMREEL_RECORD_GOLDEN=1 .venv/bin/pytest tests/test_golden_pictures.py
"""

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image

from dreamreel_api.styles import style_png
from dreamreel_assets.assets.common import derive_seed
from dreamreel_assets.backends.illustrator.painter import ProceduralPainter
from dreamreel_assets.catalog.styles import styles
from dreamreel_assets.models import FilmRequest, Script

GOLDEN = Path(__file__).parent / "data" / "golden"
SCRIPTS = sorted((GOLDEN / "pictures").glob("*.json"))
HASHES = GOLDEN / "picture_hashes.json"
RECORDING = os.environ.get("DREAMREEL_RECORD_GOLDEN") == "1"

SHEET_SIZE = (512, 768)
KEYFRAME_SIZES = {"16:9": (1600, 900), "9:16": (900, 1600)}
"""The film's frame with the illustrator's default overscan (1.25), as the keyframes asset draws."""


def picture_hash(picture: Image.Image) -> str:
    return hashlib.sha256(f"{picture.mode} {picture.size}".encode() + picture.tobytes()).hexdigest()


def film_pictures(path: Path) -> dict[str, str]:
    """The hash of every sheet and keyframe of one golden film, by name."""
    document = json.loads(path.read_text())
    request = FilmRequest.model_validate(document["request"])
    script = Script.model_validate(document["script"])
    painter = ProceduralPainter()
    hashes = {}
    for character in script.characters:
        seed = derive_seed(request.seed, "character", character.id)
        hashes[f"{path.stem}/sheet/{character.id}"] = picture_hash(
            painter.character_sheet(script, character, SHEET_SIZE, seed))
    size = KEYFRAME_SIZES[request.aspect]
    for scene in script.scenes:
        for shot in scene.shots:
            seed = derive_seed(request.seed, "keyframe", shot.id)
            hashes[f"{path.stem}/keyframe/{shot.id}"] = picture_hash(
                painter.keyframe(script, scene, shot, {}, size, seed))
    return hashes


def reference_pictures() -> dict[str, str]:
    """The form's style reference pictures, as the API serves them."""
    return {f"reference/{style}": picture_hash(Image.open(io.BytesIO(style_png(style))).convert("RGB"))
            for style in styles()}


def recorded() -> dict[str, str]:
    return json.loads(HASHES.read_text()) if HASHES.exists() else {}


def check(drawn: dict[str, str]) -> None:
    if RECORDING:
        HASHES.write_text(json.dumps({**recorded(), **drawn}, indent=1, sort_keys=True) + "\n")
        return
    expected = recorded()
    missing = sorted(name for name in drawn if name not in expected)
    assert not missing, f"no golden hash for {missing}: record with DREAMREEL_RECORD_GOLDEN=1"
    changed = sorted(name for name, digest in drawn.items() if expected[name] != digest)
    assert not changed, f"{len(changed)} of {len(drawn)} pictures differ from their golden: {changed}"


def test_golden_scripts_are_there():
    assert len(SCRIPTS) >= 6
    drawn_in = {json.loads(path.read_text())["script"]["style"] for path in SCRIPTS}
    assert drawn_in == set(styles())


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.stem for path in SCRIPTS])
def test_sheets_and_keyframes_match_their_goldens(path):
    check(film_pictures(path))


def test_style_reference_pictures_match_their_goldens():
    check(reference_pictures())


def test_every_recorded_picture_is_still_drawn():
    names = set(recorded())
    stems = {path.stem for path in SCRIPTS} | {"reference"}
    assert {name.split("/")[0] for name in names} <= stems
