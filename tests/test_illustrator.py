"""The embedded illustrator: sizes, determinism, styles, exposure, framing and character consistency.

Pictures are mostly drawn small to keep the suite fast; timing is measured by benchmarks, not here.
"""

import hashlib
import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dreamreel_assets.backends.illustrator.painter import (
    ProceduralPainter,
    design_for,
    scene_spec,
)
from dreamreel_assets.models import STYLES, Character, Line, Scene, Script, Shot

SMALL = (480, 270)
SHOT_TYPES = ("establishing", "wide", "medium", "close-up", "over-the-shoulder")

CHARACTERS = [
    Character(id="mara", name="Mara", role="the keeper", age="elder", voice="female-soft",
              look="a weathered woman with silver hair in a braid, a yellow raincoat, a teal scarf and a lantern"),
    Character(id="tom", name="Tom", role="the boy", age="child", voice="child-light",
              look="a small boy with red hair, a blue coat, a green scarf and round glasses"),
    Character(id="pip", name="Pip", role="the visitor", age="young", voice="male-deep",
              look="a lanky stranger in a purple coat and a black hat"),
]

SETTINGS = {
    1: "a lighthouse on a rocky coast at dusk",
    2: "a rainy city street at night",
    3: "the lighthouse kitchen at dawn",
    4: "a quiet forest clearing at noon",
}


def make_shots(scene_index: int, cast: list[str]) -> list[Shot]:
    return [
        Shot(id=f"s{scene_index}-{kind}", description=f"{kind} of the scene", shot_type=kind,
             camera="static", characters=[] if kind == "establishing" else cast)
        for kind in SHOT_TYPES
    ]


def make_script(style: str = "anime") -> Script:
    casts = {1: ["mara", "tom"], 2: ["tom", "pip"], 3: ["mara", "tom"], 4: ["mara", "pip"]}
    scenes = [
        Scene(index=i, title=f"Scene {i}", setting=setting, lines=[Line(speaker="narrator", text="Once.")],
              shots=make_shots(i, casts[i]))
        for i, setting in SETTINGS.items()
    ]
    return Script(title="The Lamp", logline="A keeper and a boy.", genre="drama", style=style, mood="tender",
                  characters=CHARACTERS, scenes=scenes)


@pytest.fixture(scope="module")
def painter() -> ProceduralPainter:
    return ProceduralPainter()


def shot_of(script: Script, scene_index: int, kind: str) -> tuple[Scene, Shot]:
    scene = script.scenes[scene_index - 1]
    return scene, next(s for s in scene.shots if s.shot_type == kind)


def luma(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


def near(image: Image.Image, colour, tolerance: int = 60) -> float:
    """Share of pixels within `tolerance` of `colour` on every channel."""
    pixels = np.asarray(image, dtype=np.int32)
    return float((np.abs(pixels - np.array(colour)).max(-1) < tolerance).mean())


def keyframe(painter, script, scene_index, kind, size=SMALL, seed=1) -> Image.Image:
    scene, shot = shot_of(script, scene_index, kind)
    return painter.keyframe(script, scene, shot, {}, size, seed)


def test_name():
    assert ProceduralPainter.name == "procedural"


@pytest.mark.parametrize("size", [(1600, 900), (900, 1600), (333, 187), (64, 64)])
def test_keyframe_size_and_mode(painter, size):
    image = keyframe(painter, make_script("cinematic"), 1, "wide", size)
    assert image.mode == "RGB"
    assert image.size == size


@pytest.mark.parametrize("style,size", [("storybook", (512, 768)), ("pixel-art", (512, 768)), ("comic", (700, 300))])
def test_sheet_size_and_mode(painter, style, size):
    sheet = painter.character_sheet(make_script(style), CHARACTERS[0], size, 3)
    assert sheet.mode == "RGB"
    assert sheet.size == size
    assert luma(sheet).std() > 15


@pytest.mark.parametrize("style", ["cinematic", "watercolor", "pixel-art"])
def test_same_seed_same_bytes_other_seed_other_picture(painter, style):
    script = make_script(style)
    first = keyframe(painter, script, 1, "wide", seed=42)
    again = keyframe(painter, script, 1, "wide", seed=42)
    other = keyframe(painter, script, 1, "wide", seed=43)
    assert first.tobytes() == again.tobytes()
    assert np.abs(luma(first) - luma(other)).mean() > 2
    sheet = painter.character_sheet(script, CHARACTERS[1], (256, 384), 5)
    assert sheet.tobytes() == painter.character_sheet(script, CHARACTERS[1], (256, 384), 5).tobytes()


def test_same_picture_in_a_fresh_process_with_another_hash_seed(painter):
    """Designs and layouts come from hashlib, never from `hash()` or set order."""
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from test_illustrator import make_script, keyframe;"
        "from dreamreel_assets.backends.illustrator.painter import ProceduralPainter;"
        "p = ProceduralPainter(); s = make_script('comic');"
        "print(hashlib.sha256(keyframe(p, s, 2, 'medium').tobytes()).hexdigest())"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    here = hashlib.sha256(keyframe(painter, make_script("comic"), 2, "medium").tobytes()).hexdigest()
    assert out.stdout.strip() == here


def test_every_style_looks_different(painter):
    pictures = {style: np.asarray(keyframe(painter, make_script(style), 1, "wide"), dtype=np.float32)
                for style in STYLES}
    for a, b in itertools.combinations(STYLES, 2):
        difference = np.abs(pictures[a] - pictures[b]).mean()
        assert difference > 8, f"{a} and {b} differ by only {difference:.1f}"


def test_noir_is_grayscale(painter):
    script = make_script("noir")
    sheet = painter.character_sheet(script, CHARACTERS[2], (256, 384), 1)
    for picture in (keyframe(painter, script, 4, "medium"), sheet):
        pixels = np.asarray(picture, dtype=np.int16)
        assert np.abs(pixels[..., 0] - pixels[..., 1]).max() <= 2
        assert np.abs(pixels[..., 1] - pixels[..., 2]).max() <= 2
        assert luma(picture).std() > 30  # high contrast


def test_pixel_art_has_a_small_palette_and_big_pixels(painter):
    picture = keyframe(painter, make_script("pixel-art"), 4, "wide", (1600, 900))
    pixels = np.asarray(picture)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) <= 32
    block = 5  # 900 rows are drawn as 180 and blown up five times
    assert np.array_equal(pixels, np.repeat(np.repeat(pixels[::block, ::block], block, 0), block, 1))


@pytest.mark.parametrize("style", STYLES)
def test_no_black_or_flat_keyframes(painter, style):
    script = make_script(style)
    for scene_index in (1, 2, 3):  # dusk, rainy night, an interior at dawn
        for kind in SHOT_TYPES:
            values = luma(keyframe(painter, script, scene_index, kind, (320, 180)))
            label = f"{style} scene {scene_index} {kind}"
            assert 25 < values.mean() < 235, f"{label}: mean luma {values.mean():.0f}"
            assert values.std() > 15, f"{label}: flat, std {values.std():.0f}"


@pytest.mark.parametrize("style", ["cinematic", "noir", "comic"])
def test_keyframes_have_detail_for_camera_moves(painter, style):
    """A pan across the keyframe must see a changing picture, not a flat field."""
    values = luma(keyframe(painter, make_script(style), 2, "wide", (640, 360)))
    left, right = values[:, :520], values[:, 120:]
    assert np.abs(left - right).mean() > 6
    top, bottom = values[:290], values[70:]
    assert np.abs(top - bottom).mean() > 6


def test_designs_come_from_the_character_alone():
    mara = CHARACTERS[0]
    design = design_for(mara)
    assert design == design_for(mara.model_copy())
    assert design.hair == design_for(mara.model_copy(update={"name": "Someone else"})).hair
    assert design.hair_style == "braid"
    assert design.garment == "coat"
    assert "lantern" in design.items
    assert design.outfit[0] > 200 and design.outfit[1] > 150 and design.outfit[2] < 100  # yellow
    tom = design_for(CHARACTERS[1])
    assert tom.hair[0] > 150 and tom.hair[1] < 80  # red
    assert "glasses" in tom.items and "scarf" in tom.items
    assert tom.height < design.height  # a child is shorter
    fox = design_for(Character(id="vix", name="Vix", role="trickster", look="an orange fox in a purple cloak",
                               voice="male-deep"))
    assert fox.species == "fox" and "cloak" in fox.items


@pytest.mark.parametrize("style", ["cinematic", "anime", "pixel-art", "claymation", "comic"])
def test_character_colours_hold_across_sheet_and_scenes(painter, style):
    """Each character's coat (and Tom's red hair) is on their sheet and in their close-ups in two
    different scenes, with different seeds, and much rarer in the other characters' close-ups.
    (Noir, watercolor and storybook re-colour everything on purpose, so they are not checked.)"""
    script = make_script(style)
    designs = {c.id: design_for(c) for c in CHARACTERS}
    for character in CHARACTERS:
        sheet = painter.character_sheet(script, character, (512, 768), 1)
        assert near(sheet, designs[character.id].outfit, 50) > 0.05, character.id
    for scene_index in (3, 4):  # an interior at dawn, a forest at noon
        scene = script.scenes[scene_index - 1]
        close = {}
        for who in designs:
            shot = Shot(id=f"s{scene_index}-close-{who}", description="close on a face", shot_type="close-up",
                        camera="push-in", characters=[who])
            close[who] = painter.keyframe(script, scene, shot, {}, (640, 360), 7 * scene_index)
        for who in ("mara", "pip"):
            own = near(close[who], designs[who].outfit, 50)
            assert own > 0.05, f"{who} in scene {scene_index}"
            for other in set(designs) - {who}:
                assert own > 1.5 * near(close[other], designs[who].outfit, 50), f"{who} vs {other}"
        if scene_index == 4:  # no red in the forest: Tom's hair is the only red
            hair = near(close["tom"], designs["tom"].hair, 50)
            assert hair > 0.005
            assert hair > 3 * near(close["mara"], designs["tom"].hair, 50)


def test_listed_characters_are_in_frame_and_scenery_has_none(painter):
    script = make_script("anime")
    pip = design_for(CHARACTERS[2])  # the only purple thing in this forest
    scene, with_pip = shot_of(script, 4, "wide")
    empty = with_pip.model_copy(update={"characters": []})
    assert near(painter.keyframe(script, scene, with_pip, {}, SMALL, 3), pip.outfit, 45) > 0.004
    assert near(painter.keyframe(script, scene, empty, {}, SMALL, 3), pip.outfit, 45) < 0.001


def test_close_up_is_bigger_than_wide(painter):
    script = make_script("comic")
    tom = design_for(CHARACTERS[1])
    scene = script.scenes[3]
    sizes = {}
    for kind in ("establishing", "wide", "medium", "close-up"):
        shot = Shot(id=f"tom-{kind}", description="Tom", shot_type=kind, camera="static", characters=["tom"])
        sizes[kind] = near(painter.keyframe(script, scene, shot, {}, SMALL, 2), tom.outfit)
    assert sizes["establishing"] < sizes["wide"] < sizes["medium"]
    assert sizes["wide"] < sizes["close-up"]


def test_scene_words_pick_place_time_and_weather():
    script = make_script()
    cases = {
        1: ("sea", False, "dusk", "clear"),
        2: ("city", False, "night", "rain"),
        3: ("sea", True, "dawn", "clear"),  # a kitchen, with the sea outside the window
        4: ("forest", False, "noon", "clear"),
    }
    for index, (place, indoor, time, weather) in cases.items():
        spec = scene_spec(script, script.scenes[index - 1], None)
        assert (spec.place, spec.indoor, spec.time, spec.weather) == (place, indoor, time, weather)
    fog = script.scenes[0].model_copy(update={"setting": "a misty mountain village, snow on the peaks"})
    assert scene_spec(script, fog, None).place == "mountain"
    space = script.scenes[0].model_copy(update={"setting": "a starship drifting past a ringed planet"})
    assert scene_spec(script, space, None).place == "space"
