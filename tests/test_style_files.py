"""Visual styles as data files: a style added from a folder of one's own draws keyframes, sheets and
its reference picture; a malformed style file fails at load, naming the file and the field."""

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dreamreel_api.styles import style_png
from dreamreel_assets.backends.illustrator.painter import ProceduralPainter
from dreamreel_assets.catalog import CatalogError
from dreamreel_assets.catalog.styles import styles
from dreamreel_assets.models import Script

GOLDEN_SCRIPT = Path(__file__).parent / "data" / "golden" / "pictures" / "cinematic-scifi.json"

POSTER = """
label = "Travel poster"
description = "Flat bold colour and a hot sunset grade, like an old railway poster"

[prompt]
words = "vintage travel poster, flat bold shapes, screen print"
avoid = "photograph, photorealistic, blurry"

[drawing]
roundness = 0.2
sky_saturation = 1.6

[finish]
recipe = "cinematic"
soften = 1.2
bevel = 0.03
shade = 0.4
bloom_threshold = 0.6
bloom = 0.2
saturation = 1.5
vignette = 0.2
grain = 0.0
contrast = 1.6
shadows = [0.1, -0.05, 0.12]
highlights = [0.15, 0.05, -0.15]
"""


PIXELS = """
label = "Two-tone pixels"
description = "Black and white pixels"
palette = ["000000", "ffffff"]

[prompt]
words = "1-bit pixel art"
avoid = "colour, smooth"

[drawing]
pixel_rows = 120

[finish]
recipe = "pixel-art"
bevel = 2.0
shadow = [0.6, 0.6, 0.6]
highlight = 0.3
saturation = 1.0
dither = 0.1
ink = 0.3
"""


def picture(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float32)


def with_style_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **files: str) -> None:
    folder = tmp_path / "styles"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text)
    monkeypatch.setenv("DREAMREEL_DATA_PATHS", str(tmp_path))


def test_a_style_from_a_file_of_ones_own_draws_keyframes_sheets_and_its_reference_picture(tmp_path, monkeypatch):
    with_style_folder(tmp_path, monkeypatch, poster=POSTER, pixels=PIXELS)
    assert styles()["poster"].label == "Travel poster"
    assert picture(style_png("pixels")).std() > 20
    assert "cinematic" in styles()  # the built-in ones stay

    document = json.loads(GOLDEN_SCRIPT.read_text())
    script = Script.model_validate({**document["script"], "style": "poster"})
    original = Script.model_validate(document["script"])
    painter = ProceduralPainter()
    scene = script.scenes[0]
    for shot in scene.shots[:3]:
        keyframe = painter.keyframe(script, scene, shot, {}, (480, 270), seed=4)
        assert keyframe.size == (480, 270)
        assert np.asarray(keyframe, dtype=np.float32).std() > 20
        built_in = painter.keyframe(original, scene, shot, {}, (480, 270), seed=4)
        assert np.abs(np.asarray(keyframe, np.float32) - np.asarray(built_in, np.float32)).mean() > 8
    sheet = painter.character_sheet(script, script.characters[0], (256, 384), seed=1)
    assert np.asarray(sheet, dtype=np.float32).std() > 20

    reference = picture(style_png("poster"))
    assert reference.shape == (216, 384, 3)
    assert reference.std() > 20, "the reference picture is blank"
    difference = np.abs(reference - picture(style_png("cinematic"))).mean()
    assert difference > 8, f"the poster reference differs from the cinematic one by only {difference:.1f}"


def test_a_style_file_of_ones_own_replaces_the_built_in_one_of_its_name(tmp_path, monkeypatch):
    before = picture(style_png("noir"))
    with_style_folder(tmp_path, monkeypatch, noir=POSTER)
    assert styles()["noir"].label == "Travel poster"
    assert np.abs(picture(style_png("noir")) - before).mean() > 8  # drawn again from the new file


BAD_FILES = {
    "a word for a number": (POSTER.replace("saturation = 1.5", 'saturation = "lots"'), "finish.cinematic.saturation"),
    "an unknown recipe": (POSTER.replace('recipe = "cinematic"', 'recipe = "oil"'), "finish"),
    "a misspelt field": (POSTER.replace("roundness = 0.2", "roundess = 0.2"), "drawing.roundess"),
    "no prompt words": (POSTER.replace('words = "vintage travel poster, flat bold shapes, screen print"\n', ""),
                        "prompt.words"),
    "a colour with two channels": (POSTER.replace("[0.1, -0.05, 0.12]", "[0.1, -0.05]"), "finish.cinematic.shadows"),
    "pixel art without a palette": (PIXELS.replace('palette = ["000000", "ffffff"]', ""), "palette"),
    "pixel art drawn smooth": (PIXELS.replace("pixel_rows = 120", ""), "finish"),
    "not TOML": ("label = Travel poster\n", "Invalid value"),
}


@pytest.mark.parametrize("text,field", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_malformed_style_file_fails_at_load_naming_the_file_and_the_field(tmp_path, monkeypatch, text, field):
    with_style_folder(tmp_path, monkeypatch, broken=text)
    with pytest.raises(CatalogError) as failure:
        styles()
    assert str(failure.value).startswith(f"{tmp_path / 'styles' / 'broken.toml'}: {field}"), failure.value
