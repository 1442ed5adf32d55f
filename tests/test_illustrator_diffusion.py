"""The Stable Diffusion illustrator on tiny random-weight pipelines (SD 1.5 and SDXL layouts).

The pipelines are saved to disk and loaded through `load_diffusion_illustrator`, the real loading
path, with no download. Their pictures are noise, so tests check sizes, seeds, which pipeline ran
with which prompt and start image, never what the picture shows.
"""

from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from tiny_diffusion import save_tiny_sd, save_tiny_sdxl, tiny_sd_components  # noqa: E402

from dreamreel_assets.backends.illustrator.diffusion import (  # noqa: E402
    IMAGE_TO_IMAGE,
    TEXT_TO_IMAGE,
    DiffusionIllustrator,
    fit_prompt,
    generation_size,
    load_diffusion_illustrator,
    sheet_layout,
)
from dreamreel_assets.catalog.styles import styles  # noqa: E402
from dreamreel_assets.models import STYLES, Character, Line, Scene, Script, Shot  # noqa: E402
from dreamreel_assets.backends.accelerator import Accelerator  # noqa: E402

GPU = Accelerator(device="cpu")  # tiny models: the CPU is quick and bit-exact
SETTINGS = {
    "sd": {"steps": 2, "generation_pixels": 64 * 64},
    "sdxl": {"steps": 2, "generation_pixels": 64 * 64, "size_multiple": 16},  # 64 would make 64 x 64 square
}
SHEET = (64, 96)
LANDSCAPE, PORTRAIT = (160, 90), (90, 160)

CHARACTERS = [
    Character(id="mara", name="Mara", role="the keeper", age="elder", voice="female-soft",
              look="a weathered woman with silver hair in a braid, a yellow raincoat and a lantern"),
    Character(id="tom", name="Tom", role="the boy", age="child", voice="child-light",
              look="a small boy with red hair, a blue coat and round glasses"),
]


def make_script(style: str = "cinematic", description: str = "Mara hands Tom the lantern") -> Script:
    def shots(index: int) -> list[Shot]:
        return [
            Shot(id=f"s{index}-a", description="waves break on the rocks", shot_type="establishing", camera="static"),
            Shot(id=f"s{index}-b", description="Mara climbs the stairs", shot_type="medium", camera="push-in",
                 characters=["mara"]),
            Shot(id=f"s{index}-c", description=description, shot_type="wide", camera="static",
                 characters=["mara", "tom"]),
        ]

    scenes = [
        Scene(index=i, title=f"Scene {i}", setting="a lighthouse on a rocky coast at dusk",
              lines=[Line(speaker="narrator", text="Once.")], shots=shots(i))
        for i in (1, 2, 3)
    ]
    return Script(title="The Lamp", logline="A keeper and a boy.", genre="drama", style=style, mood="tender",
                  characters=CHARACTERS, scenes=scenes)


def drawn_sheet(color: tuple[int, int, int]) -> Image.Image:
    """A stand-in sheet: a figure of one colour on a plain white background."""
    sheet = Image.new("RGB", SHEET, (255, 255, 255))
    ImageDraw.Draw(sheet).rectangle((20, 10, 44, 90), fill=color)
    return sheet


SHEETS = {"mara": drawn_sheet((220, 30, 30)), "tom": drawn_sheet((30, 30, 220))}


class Recorder:
    """Stands in for a pipeline: records each call's arguments, then runs the real one (or, with
    `run=False`, returns a blank picture)."""

    def __init__(self, pipeline, run: bool = True):
        self.pipeline, self.run, self.calls = pipeline, run, []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        return self.pipeline(**kwargs) if self.run else SimpleNamespace(images=[Image.new("RGB", (8, 8))])

    def __getattr__(self, name):
        return getattr(self.pipeline, name)


def spy(monkeypatch, illustrator: DiffusionIllustrator, run: bool = True) -> tuple[Recorder, Recorder]:
    text2image, image2image = Recorder(illustrator.pipeline, run), Recorder(illustrator.image2image, run)
    monkeypatch.setattr(illustrator, "pipeline", text2image)
    monkeypatch.setattr(illustrator, "image2image", image2image)
    return text2image, image2image


def token_count(illustrator: DiffusionIllustrator, text: str) -> int:
    return len(illustrator.pipeline.tokenizer(text).input_ids)  # with the start and end tokens


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models gain nothing from threads, and lose much on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def model_dirs(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("tiny-diffusion")
    return {"sd": save_tiny_sd(root / "sd"), "sdxl": save_tiny_sdxl(root / "sdxl")}


@pytest.fixture(params=["sd", "sdxl"])
def illustrator(request, model_dirs) -> DiffusionIllustrator:
    return load_diffusion_illustrator(str(model_dirs[request.param]), GPU, **SETTINGS[request.param])


# --- through the loader, SD 1.5 and SDXL -------------------------------------------------------


@pytest.mark.parametrize(("family", "expected", "pixels", "multiple"), [
    ("sd", "StableDiffusionPipeline", 512 * 512, 8),
    ("sdxl", "StableDiffusionXLPipeline", 1024 * 1024, 64),
])
def test_loader_detects_the_family_and_takes_its_defaults(model_dirs, family, expected, pixels, multiple):
    illustrator = load_diffusion_illustrator(str(model_dirs[family]), GPU)
    assert illustrator.name == f"diffusers:{expected}:{model_dirs[family]}"
    assert illustrator.is_sdxl == (family == "sdxl")
    assert (illustrator.generation_pixels, illustrator.size_multiple) == (pixels, multiple)
    assert type(illustrator.image2image).__name__ == expected.replace("Pipeline", "Img2ImgPipeline")
    assert illustrator.image2image.unet is illustrator.pipeline.unet  # the same weights, loaded once


@pytest.mark.parametrize(("family", "steps", "guidance", "pixels"), [
    ("sd", 30, 7.5, 512 * 512),        # SD 1.5 at 1024^2 would draw duplicated figures
    ("sdxl", 30, 6.0, 1024 * 1024),
])
def test_the_resource_leaves_the_familys_defaults_alone_unless_set(model_dirs, family, steps, guidance, pixels):
    from dreamreel_assets.resources.backends import IllustratorResource
    from dreamreel_assets.resources.gpu import GPUResource

    resource = IllustratorResource(backend="diffusers", model=str(model_dirs[family]))
    illustrator = resource.build(GPUResource(device="cpu"))
    assert (illustrator.steps, illustrator.guidance, illustrator.generation_pixels) == (steps, guidance, pixels)
    assert illustrator.generation_size((1600, 900)) == ((680, 384) if family == "sd" else (1344, 768))
    chosen = IllustratorResource(backend="diffusers", model=str(model_dirs[family]), steps=4, guidance=3.0)
    assert (chosen.build(GPUResource(device="cpu")).steps, chosen.build(GPUResource(device="cpu")).guidance) == (4, 3.0)


def test_loader_loads_a_model_once_per_process(model_dirs):
    first = load_diffusion_illustrator(str(model_dirs["sd"]), GPU, **SETTINGS["sd"])
    second = load_diffusion_illustrator(str(model_dirs["sd"]), GPU, steps=3, generation_pixels=96 * 96)
    assert second.pipeline is first.pipeline
    assert (second.steps, second.generation_pixels) == (3, 96 * 96)


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["16:9", "9:16"])
def test_pictures_are_rgb_at_exactly_the_requested_size(illustrator, size):
    script = make_script()
    scene = script.scenes[0]
    sheet = illustrator.character_sheet(script, CHARACTERS[0], SHEET, seed=1)
    assert (sheet.mode, sheet.size) == ("RGB", SHEET)
    for shot in scene.shots:
        frame = illustrator.keyframe(script, scene, shot, SHEETS, size, seed=2)
        assert (frame.mode, frame.size) == ("RGB", size)


def test_same_seed_same_pixels_other_seed_other_pixels(illustrator):
    script = make_script()
    scene = script.scenes[0]
    for shot in scene.shots[:2]:  # text-to-image and image-to-image
        first, again, other = (
            np.asarray(illustrator.keyframe(script, scene, shot, SHEETS, LANDSCAPE, seed))
            for seed in (5, 5, 6)
        )
        assert np.array_equal(first, again)
        assert not np.array_equal(first, other)
    sheets = [np.asarray(illustrator.character_sheet(script, CHARACTERS[1], SHEET, seed)) for seed in (5, 5, 6)]
    assert np.array_equal(sheets[0], sheets[1]) and not np.array_equal(sheets[0], sheets[2])


def test_shots_with_characters_are_redrawn_from_their_sheets(illustrator, monkeypatch):
    text2image, image2image = spy(monkeypatch, illustrator)
    script = make_script()
    scene = script.scenes[0]
    illustrator.keyframe(script, scene, scene.shots[2], SHEETS, LANDSCAPE, seed=3)
    assert (len(text2image.calls), len(image2image.calls), illustrator.last_mode) == (0, 1, IMAGE_TO_IMAGE)
    call = image2image.calls[0]
    assert call["strength"] == illustrator.consistency_strength
    assert int(call["num_inference_steps"] * call["strength"]) >= illustrator.steps
    start = np.asarray(call["image"])
    assert call["image"].size == generation_size(LANDSCAPE, illustrator.generation_pixels, illustrator.size_multiple)
    reds = (start[..., 0] > 150) & (start[..., 2] < 100)
    blues = (start[..., 2] > 150) & (start[..., 0] < 100)
    assert reds.any() and blues.any()  # both characters' sheets are in the start image
    assert reds.nonzero()[1].mean() < blues.nonzero()[1].mean()  # in the order they are listed


def test_shots_without_characters_are_text_to_image(illustrator, monkeypatch):
    text2image, image2image = spy(monkeypatch, illustrator)
    script = make_script()
    scene = script.scenes[0]
    illustrator.keyframe(script, scene, scene.shots[0], SHEETS, PORTRAIT, seed=3)
    assert (len(text2image.calls), len(image2image.calls), illustrator.last_mode) == (1, 0, TEXT_TO_IMAGE)
    call = text2image.calls[0]
    assert call["width"] < call["height"]  # the film's aspect
    assert call["width"] % illustrator.size_multiple == 0 and call["height"] % illustrator.size_multiple == 0
    assert call["num_inference_steps"] == illustrator.steps


def test_a_character_without_a_sheet_falls_back_to_text_to_image(illustrator):
    script = make_script()
    scene = script.scenes[0]
    illustrator.keyframe(script, scene, scene.shots[1], {"tom": SHEETS["tom"]}, LANDSCAPE, seed=3)
    assert illustrator.last_mode == TEXT_TO_IMAGE


@pytest.mark.parametrize("style", STYLES)
def test_every_style_sends_its_preset(illustrator, monkeypatch, style):
    text2image, image2image = spy(monkeypatch, illustrator, run=False)  # only the prompts matter here
    script = make_script(style)
    scene = script.scenes[0]
    illustrator.character_sheet(script, CHARACTERS[0], SHEET, seed=1)
    illustrator.keyframe(script, scene, scene.shots[1], SHEETS, LANDSCAPE, seed=2)
    suffix, negative = styles()[style].prompt.words, styles()[style].prompt.avoid
    sheet_call, keyframe_call = text2image.calls[0], image2image.calls[0]
    for call in (sheet_call, keyframe_call):
        assert suffix in call["prompt"] and negative in call["negative_prompt"]
    assert sheet_call["prompt"].startswith(CHARACTERS[0].look)
    assert "character reference sheet, full body, plain background" in sheet_call["prompt"]
    assert keyframe_call["prompt"].startswith("medium shot, Mara climbs the stairs, a lighthouse")
    assert CHARACTERS[0].look in keyframe_call["prompt"]


def test_a_long_description_is_fitted_to_the_tokenizer(illustrator, monkeypatch):
    text2image, image2image = spy(monkeypatch, illustrator)
    long = " ".join(["Mara runs along the wet rocks toward the lamp while the storm rises"] * 30)
    script = make_script("pixel-art", description=long)
    scene = script.scenes[0]
    frame = illustrator.keyframe(script, scene, scene.shots[2], SHEETS, PORTRAIT, seed=4)
    assert frame.size == PORTRAIT
    prompt = image2image.calls[0]["prompt"]
    assert token_count(illustrator, prompt) <= 77
    assert prompt.startswith("wide shot, Mara runs along")
    assert prompt.endswith(styles()["pixel-art"].prompt.words)  # the style survives; the description gave way


# --- the parts ----------------------------------------------------------------------------------


def test_an_injected_pipeline_is_used_as_is():
    from diffusers import StableDiffusionPipeline

    pipeline = StableDiffusionPipeline(**tiny_sd_components(), requires_safety_checker=False)
    illustrator = DiffusionIllustrator(pipeline, consistency_strength=0.5)
    assert illustrator.pipeline is pipeline and not illustrator.is_sdxl
    assert (illustrator.generation_pixels, illustrator.size_multiple, illustrator.steps) == (512 * 512, 8, 30)
    with pytest.raises(ValueError):
        DiffusionIllustrator(pipeline, consistency_strength=0)


def test_generation_size_keeps_the_aspect_and_the_area():
    assert generation_size((1600, 900), 1024 * 1024, 64) == (1344, 768)
    assert generation_size((900, 1600), 512 * 512, 8) == (384, 680)
    assert generation_size((512, 768), 512 * 512, 8) == (416, 624)
    assert generation_size((1000, 10), 64 * 64, 64) == (640, 64)  # never below one multiple


def test_fit_prompt_admits_parts_by_priority_and_keeps_their_order():
    words = lambda text: len(text.split())  # noqa: E731
    parts = ["one two three four", "five six", "seven eight nine"]
    assert fit_prompt(parts, [0, 1, 2], words, 100) == "one two three four, five six, seven eight nine"
    assert fit_prompt(parts, [2, 0, 1], words, 6) == "one two three, seven eight nine"
    assert fit_prompt(parts, [1, 2, 0], words, 2) == "five six"
    assert fit_prompt(parts, [0, 2, 1], words, 6) == "one two three four, five six"  # no "seven eight" stub


def test_sheet_layout_frames_characters_by_shot_type():
    sheet = drawn_sheet((220, 30, 30))

    def figure_rows(shot_type: str) -> int:
        layout = np.asarray(sheet_layout([sheet], (320, 180), shot_type))
        return int(((layout[..., 0] > 150) & (layout[..., 2] < 100)).any(axis=1).sum())

    layout = sheet_layout([sheet, sheet, sheet], (180, 320), "medium")
    assert layout.size == (180, 320) and layout.getpixel((0, 0)) == (255, 255, 255)  # the sheets' backdrop
    assert figure_rows("establishing") < figure_rows("wide") < figure_rows("medium") <= figure_rows("close-up")


def test_a_scenes_keyframes_are_drawn_in_batches_each_with_its_own_seed(illustrator, monkeypatch):
    script = make_script()
    scene = script.scenes[0]
    jobs = [(scene.shots[0], 11), (scene.shots[1], 12), (scene.shots[2], 13), (scene.shots[0], 14)]
    singles = [np.asarray(illustrator.keyframe(script, scene, shot, SHEETS, LANDSCAPE, seed)).astype(int)
               for shot, seed in jobs]
    text2image, image2image = spy(monkeypatch, illustrator)
    batched = [np.asarray(picture).astype(int)
               for picture in illustrator.keyframes(script, scene, jobs, SHEETS, LANDSCAPE)]
    # one call for the two shots without characters, one for the two with
    assert [len(call["prompt"]) for call in text2image.calls] == [2]
    assert [len(call["prompt"]) for call in image2image.calls] == [2]
    for one, together in zip(singles, batched):  # the same pictures (a batch may round differently)
        assert one.shape == together.shape == (LANDSCAPE[1], LANDSCAPE[0], 3)
        assert np.abs(one - together).mean() < 1.0
    assert np.abs(batched[0] - batched[3]).mean() > 5  # seeds 11 and 14: other pictures


def test_the_batch_size_caps_each_call(model_dirs, monkeypatch):
    illustrator = load_diffusion_illustrator(str(model_dirs["sd"]), GPU, batch_size=1, **SETTINGS["sd"])
    text2image, image2image = spy(monkeypatch, illustrator, run=False)
    script = make_script()
    scene = script.scenes[0]
    illustrator.keyframes(script, scene, [(shot, 1) for shot in scene.shots], SHEETS, LANDSCAPE)
    assert len(text2image.calls) + len(image2image.calls) == 3
