"""The image model's safety checker: on by default where the model ships one (SD 1.x), a switch
turns it off, and a flagged (blacked-out) picture is drawn again with the next seeds, then fails
the step naming the shot: never a silent black frame.

Tiny random-weight pipelines, loaded from disk through the real loader. The real diffusers checker
is made to flag everything by lowering its concept thresholds; a stand-in checker flags chosen calls.
"""

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")

import numpy as np  # noqa: E402
from dagster import Failure  # noqa: E402
from test_illustrator_diffusion import LANDSCAPE, SETTINGS, SHEET, SHEETS, CHARACTERS, Recorder, make_script  # noqa: E402
from tiny_diffusion import save_tiny_sd_with_safety_checker, save_tiny_sdxl  # noqa: E402

from dreamreel_assets.assets.pictures import safety_flags_fail_at_once  # noqa: E402
from dreamreel_assets.backends.accelerator import Accelerator  # noqa: E402
from dreamreel_assets.backends.illustrator import SafetyFlagged  # noqa: E402
from dreamreel_assets.backends.illustrator.diffusion import load_diffusion_illustrator  # noqa: E402
from dreamreel_assets.resources.backends import IllustratorResource  # noqa: E402
from dreamreel_assets.resources.gpu import GPUResource  # noqa: E402

GPU = Accelerator(device="cpu")


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def checked_model(tmp_path_factory) -> str:
    return str(save_tiny_sd_with_safety_checker(tmp_path_factory.mktemp("tiny-sd-checked") / "sd"))


@pytest.fixture
def illustrator(checked_model):
    return load_diffusion_illustrator(checked_model, GPU, **SETTINGS["sd"])


class StandInChecker(torch.nn.Module):
    """Flags the pictures `flag(call, index)` picks and blacks them out, as the real checker does."""

    def __init__(self, flag):
        super().__init__()
        self.flag, self.calls = flag, 0
        self.device, self.dtype = torch.device("cpu"), torch.float32  # what a pipeline asks its modules

    def forward(self, images, clip_input):
        flags = [bool(self.flag(self.calls, index)) for index in range(len(images))]
        self.calls += 1
        for index, flagged in enumerate(flags):
            if flagged:
                images[index] = 0
        return images, flags


def use_checker(monkeypatch, illustrator, checker) -> None:
    for pipeline in (illustrator.pipeline, illustrator.image2image):
        monkeypatch.setitem(pipeline.__dict__, "safety_checker", checker)


def spy_seeds(monkeypatch, illustrator) -> list[int]:
    """The seeds of every picture the pipelines are asked for, in order."""
    seeds: list[int] = []

    class SeedRecorder(Recorder):
        def __call__(self, **kwargs):
            generators = kwargs["generator"] if isinstance(kwargs["generator"], list) else [kwargs["generator"]]
            seeds.extend(generator.initial_seed() for generator in generators)
            return super().__call__(**kwargs)

    monkeypatch.setattr(illustrator, "pipeline", SeedRecorder(illustrator.pipeline))
    monkeypatch.setattr(illustrator, "image2image", SeedRecorder(illustrator.image2image))
    return seeds


def test_sd_models_load_their_safety_checker_unless_it_is_switched_off(checked_model, tmp_path):
    checked = load_diffusion_illustrator(checked_model, GPU)
    assert type(checked.pipeline.safety_checker).__name__ == "StableDiffusionSafetyChecker"
    assert checked.image2image.safety_checker is checked.pipeline.safety_checker  # img2img is checked too

    unchecked = IllustratorResource(backend="diffusers", model=checked_model, safety_checker=False).build(
        GPUResource(device="cpu"))
    assert unchecked.pipeline.safety_checker is None and unchecked.image2image.safety_checker is None
    assert unchecked.pipeline is not checked.pipeline  # loaded apart: the switch is never lost to the cache
    assert IllustratorResource().safety_checker is True
    assert IllustratorResource(safety_checker=False).settings() != IllustratorResource().settings()

    sdxl = load_diffusion_illustrator(str(save_tiny_sdxl(tmp_path / "sdxl")), GPU, **SETTINGS["sdxl"])
    assert "safety_checker" not in sdxl.pipeline.components  # SDXL ships none: drawn as is


def test_a_picture_the_real_checker_flags_on_every_try_fails_naming_the_shot(illustrator, monkeypatch):
    thresholds = illustrator.pipeline.safety_checker.concept_embeds_weights  # the loaded model's, shared
    shipped = thresholds.data.clone()
    thresholds.data.fill_(-2.0)  # every picture is over every concept's threshold
    try:
        seeds = spy_seeds(monkeypatch, illustrator)
        script = make_script()
        scene = script.scenes[1]
        with pytest.raises(SafetyFlagged) as refused:
            illustrator.keyframe(script, scene, scene.shots[0], SHEETS, LANDSCAPE, seed=7)
        assert seeds == [7, 8, 9]  # the seed, then the next two
        with pytest.raises(SafetyFlagged, match="flagged the character sheet of Tom three times"):
            illustrator.character_sheet(script, CHARACTERS[1], SHEET, seed=3)
    finally:
        thresholds.data.copy_(shipped)
    assert str(refused.value).startswith(
        "the image model's safety checker flagged shot s2-a three times (seeds 7, 8, 9) and blacked it out")
    assert "safety_checker: false" in str(refused.value)


def test_a_flagged_picture_is_drawn_again_with_the_next_seed(illustrator, monkeypatch):
    script = make_script()
    scene = script.scenes[0]
    for shot in scene.shots[:2]:  # text-to-image and image-to-image
        expected = np.asarray(illustrator.keyframe(script, scene, shot, SHEETS, LANDSCAPE, seed=6))
        use_checker(monkeypatch, illustrator, StandInChecker(lambda call, index: call == 0))
        seeds = spy_seeds(monkeypatch, illustrator)
        redrawn = np.asarray(illustrator.keyframe(script, scene, shot, SHEETS, LANDSCAPE, seed=5))
        assert seeds == [5, 6]
        assert redrawn.max() > 0, "a black frame was kept"
        assert np.array_equal(redrawn, expected)  # exactly the picture of the next seed
        monkeypatch.undo()


def test_in_a_batch_only_the_flagged_picture_is_drawn_again(illustrator, monkeypatch):
    script = make_script()
    scene = script.scenes[0]
    jobs = [(scene.shots[0], 11), (scene.shots[1], 12), (scene.shots[2], 13), (scene.shots[0], 14)]
    clean = [np.asarray(picture).astype(int) for picture in illustrator.keyframes(script, scene, jobs, SHEETS, LANDSCAPE)]
    next_seed = np.asarray(illustrator.keyframe(script, scene, scene.shots[0], SHEETS, LANDSCAPE, seed=15)).astype(int)
    # the first call draws the two shots without characters (seeds 11 and 14): flag the second of them
    use_checker(monkeypatch, illustrator, StandInChecker(lambda call, index: (call, index) == (0, 1)))
    seeds = spy_seeds(monkeypatch, illustrator)
    pictures = [np.asarray(picture).astype(int)
                for picture in illustrator.keyframes(script, scene, jobs, SHEETS, LANDSCAPE)]
    assert seeds == [11, 14, 15, 12, 13]  # the batch, the flagged one again with the next seed, the other batch
    assert all(picture.max() > 0 for picture in pictures)
    for index in (0, 1, 2):
        assert np.abs(pictures[index] - clean[index]).mean() < 1.0
    assert np.abs(pictures[3] - next_seed).mean() < 1.0


def test_a_batch_picture_flagged_on_every_try_fails_naming_its_shot(illustrator, monkeypatch):
    script = make_script()
    scene = script.scenes[2]
    use_checker(monkeypatch, illustrator, StandInChecker(lambda call, index: index == 0 or call > 0))
    with pytest.raises(SafetyFlagged, match=r"flagged shot s3-b three times \(seeds 21, 22, 23\)"):
        illustrator.keyframes(script, scene, [(scene.shots[1], 21), (scene.shots[2], 22)], SHEETS, LANDSCAPE)


def test_the_step_fails_at_once_in_words_rather_than_retrying_the_same_seeds():
    with pytest.raises(Failure) as failed, safety_flags_fail_at_once():
        raise SafetyFlagged("the image model's safety checker flagged shot s2-a three times")
    assert failed.value.description == "the image model's safety checker flagged shot s2-a three times"
    assert failed.value.allow_retries is False
