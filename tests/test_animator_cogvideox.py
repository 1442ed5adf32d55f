"""The CogVideoX animator on a tiny random-weight pipeline saved to disk and loaded the real way."""

from fractions import Fraction

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("diffusers")
pytest.importorskip("transformers")

from tiny_cogvideox import TINY_NUM_FRAMES, TINY_SIZE, save_tiny_cogvideox_i2v  # noqa: E402

from dreamreel_assets.backends.animator.cogvideox import (  # noqa: E402
    CAMERA_PHRASES,
    CogVideoXAnimator,
    cover_resize,
    fit_keyframe,
    load_cogvideox_animator,
    native_frames_needed,
    retime,
    shot_prompt,
)
from dreamreel_assets.models import Shot  # noqa: E402
from dreamreel_assets.backends.accelerator import Accelerator  # noqa: E402

LANDSCAPE, PORTRAIT = (64, 36), (36, 64)
SETTINGS = {"steps": 2, "num_frames": TINY_NUM_FRAMES, "generation_size": TINY_SIZE}


class PipelineSpy:
    """Passes everything through to the pipeline and records each call and its frames."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.calls: list[dict] = []

    def __getattr__(self, name):
        return getattr(self.pipe, name)

    def __call__(self, **kwargs):
        output = self.pipe(**kwargs)
        self.calls.append({**kwargs, "seed": kwargs["generator"].initial_seed(), "frames": output.frames[0]})
        return output


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    return str(save_tiny_cogvideox_i2v(tmp_path_factory.mktemp("cogvideox-i2v")))


@pytest.fixture(scope="module")
def any_size_model_dir(tmp_path_factory) -> str:
    directory = tmp_path_factory.mktemp("cogvideox-i2v-rope-only")
    return str(save_tiny_cogvideox_i2v(directory, learned_positional_embeddings=False))


@pytest.fixture(scope="module")
def animator(model_dir) -> CogVideoXAnimator:
    return load_cogvideox_animator(model_dir, Accelerator(), **SETTINGS)


def spied(animator: CogVideoXAnimator, **settings) -> tuple[CogVideoXAnimator, PipelineSpy]:
    spy = PipelineSpy(animator.pipe)
    return CogVideoXAnimator(spy, **{**SETTINGS, **settings}), spy


def keyframe(size: tuple[int, int]) -> Image.Image:
    x, y = np.meshgrid(np.linspace(0, 1, size[0]), np.linspace(0, 1, size[1]))
    return Image.fromarray((np.stack([x, y, 1 - x * y], axis=-1) * 255).astype(np.uint8))


def shot(camera: str = "push-in") -> Shot:
    return Shot(id="s1-sh1", description="A shy dragon opens a bakery at night.", shot_type="wide", camera=camera)


def render(animator, frame_count: int, size=LANDSCAPE, seed: int = 7, camera: str = "push-in") -> list[np.ndarray]:
    return list(animator.frames(keyframe((size[0] * 2, size[1] * 2)), shot(camera), frame_count, size, 24, seed))


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_frames_are_exactly_the_count_and_size_asked_for(animator, size):
    frames = render(animator, 12, size)

    assert len(frames) == 12
    for frame in frames:
        assert frame.dtype == np.uint8
        assert frame.shape == (size[1], size[0], 3)


def test_a_shot_longer_than_a_clip_continues_from_the_clips_last_frame(animator):
    animator, spy = spied(animator)

    frames = render(animator, 70)  # 70 frames at 24 fps need 24 native frames at 8 fps: 9 + 8 + 8

    assert len(frames) == 70
    assert len(spy.calls) == animator.clips_needed(70, 24) == 3
    assert [call["seed"] for call in spy.calls] == [7, 8, 9]
    for before, after in zip(spy.calls, spy.calls[1:]):
        last_frame = np.rint(np.clip(before["frames"][-1], 0, 1) * 255).astype(np.uint8)
        assert np.array_equal(np.asarray(after["image"]), last_frame)


def test_a_shot_a_little_longer_than_a_clip_plays_slower_instead(animator):
    animator, spy = spied(animator)

    frames = render(animator, 26)  # 1.08 s, 4% longer than one 9-frame clip at 8 fps

    assert len(frames) == 26
    assert len(spy.calls) == animator.clips_needed(26, 24) == 1


def test_only_the_frames_the_shot_needs_are_generated(animator):
    animator, spy = spied(animator)

    frames = animator.frames(keyframe((128, 72)), shot(), 12, LANDSCAPE, 24, 7)
    assert spy.calls == []  # nothing happens until the encoder asks
    next(frames)
    assert len(spy.calls) == 1


def test_same_seed_same_frames_and_another_seed_other_frames(animator):
    first, again, other = render(animator, 8, seed=3), render(animator, 8, seed=3), render(animator, 8, seed=4)

    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


def test_the_loader_keeps_one_pipeline_per_model(model_dir, animator):
    again = load_cogvideox_animator(model_dir, Accelerator(), steps=3, num_frames=TINY_NUM_FRAMES,
                                    generation_size=TINY_SIZE)

    assert again.pipe is animator.pipe
    assert (again.steps, animator.steps) == (3, 2)
    assert again.name == "cogvideox"


@pytest.mark.parametrize("camera", ["static", "push-in", "pan-left", "tilt-down"])
def test_the_prompt_carries_the_description_and_the_camera_move(animator, camera):
    animator, spy = spied(animator)

    render(animator, 4, camera=camera)

    prompt = spy.calls[0]["prompt"]
    assert prompt.startswith("A shy dragon opens a bakery at night.")
    assert CAMERA_PHRASES[camera] in prompt.lower()
    assert spy.calls[0]["num_inference_steps"] == 2


def test_portrait_films_generate_in_portrait_where_the_model_allows(any_size_model_dir):
    animator, spy = spied(load_cogvideox_animator(any_size_model_dir, Accelerator(), **SETTINGS))

    render(animator, 4, PORTRAIT)
    render(animator, 4, LANDSCAPE)

    assert [(call["width"], call["height"]) for call in spy.calls] == [(16, 32), (32, 16)]


def test_a_landscape_only_model_frames_a_portrait_film_inside_its_size(animator):
    animator, spy = spied(animator)

    frames = render(animator, 4, PORTRAIT)

    assert (spy.calls[0]["width"], spy.calls[0]["height"]) == TINY_SIZE
    assert spy.calls[0]["image"].size == TINY_SIZE
    assert frames[0].shape == (64, 36, 3)


def test_a_generation_size_the_model_cannot_make_is_refused(animator):
    with pytest.raises(ValueError, match="generates only at"):
        CogVideoXAnimator(animator.pipe, generation_size=(720, 480))


# --- frame-rate conversion and framing, without a model ---------------------------------------


def numbered(count: int, pulled: list[int] | None = None):
    for value in range(count):
        if pulled is not None:
            pulled.append(value)
        yield np.full((2, 2, 3), value * 30, np.uint8)


def test_retime_blends_neighbouring_frames_in_time():
    frames = list(retime(numbered(4), Fraction(1, 3), 10))

    assert [int(f[0, 0, 0]) for f in frames] == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]


def test_retime_nearest_repeats_frames():
    frames = list(retime(numbered(4), Fraction(1, 3), 7, "nearest"))

    assert [int(f[0, 0, 0]) for f in frames] == [0, 0, 30, 30, 30, 60, 60]


def test_retime_reads_no_further_than_it_needs():
    pulled: list[int] = []
    step = Fraction(8, 24)

    frames = list(retime(numbered(100, pulled), step, 10))

    assert len(frames) == 10
    assert len(pulled) == native_frames_needed(10, step) == 4


def test_cover_resize_crops_the_centre_to_exact_size():
    frame = np.zeros((40, 100, 3), np.uint8)
    frame[:, 30:70] = 255  # the centre 40 x 40 is white

    out = cover_resize(frame, (20, 20))

    assert out.shape == (20, 20, 3) and out.min() == 255


def test_fit_keyframe_cover_crops_in_the_films_orientation():
    picture = keyframe((128, 72))

    fitted = fit_keyframe(picture, (64, 32), film_size=(64, 36))

    assert np.array_equal(np.asarray(fitted), cover_resize(np.asarray(picture), (64, 32)))


def test_fit_keyframe_frames_a_portrait_view_inside_a_landscape_generation():
    picture = keyframe((36, 64))

    fitted = np.asarray(fit_keyframe(picture, (64, 32), film_size=(36, 64)))
    view = cover_resize(fitted, (36, 64))

    assert fitted.shape == (32, 64, 3)
    assert np.abs(view.astype(int) - np.asarray(picture).astype(int)).mean() < 12


# --- fit for a real GPU --------------------------------------------------------------------------


def test_the_dpm_scheduler_with_trailing_timesteps_is_what_dynamic_cfg_runs_on(model_dir, animator):
    from diffusers import CogVideoXDDIMScheduler, CogVideoXDPMScheduler

    assert isinstance(animator.pipe.scheduler, CogVideoXDPMScheduler)
    assert animator.pipe.scheduler.config.timestep_spacing == "trailing"
    ddim = load_cogvideox_animator(model_dir, Accelerator(), scheduler="ddim", use_dynamic_cfg=False, **SETTINGS)
    assert isinstance(ddim.pipe.scheduler, CogVideoXDDIMScheduler) and ddim.pipe is not animator.pipe
    with pytest.raises(ValueError, match="dynamic CFG is meant for CogVideoX's DPM scheduler"):
        load_cogvideox_animator(model_dir, Accelerator(), scheduler="ddim", **SETTINGS)


def test_a_frame_count_the_positional_embeddings_were_not_learned_for_is_refused(model_dir, any_size_model_dir):
    with pytest.raises(ValueError, match=f"learned positional embeddings for {TINY_NUM_FRAMES} frames"):
        load_cogvideox_animator(model_dir, Accelerator(), **{**SETTINGS, "num_frames": TINY_NUM_FRAMES + 8})
    # RoPE-only models (CogVideoX 1.5) take other lengths
    load_cogvideox_animator(any_size_model_dir, Accelerator(), **{**SETTINGS, "num_frames": TINY_NUM_FRAMES + 8})


def test_threads_sharing_the_pipeline_generate_one_clip_at_a_time(animator):
    import threading
    import time

    class Overlap(PipelineSpy):
        in_flight = most = 0

        def __call__(self, **kwargs):
            Overlap.in_flight += 1
            Overlap.most = max(Overlap.most, Overlap.in_flight)
            time.sleep(0.05)
            try:
                return super().__call__(**kwargs)
            finally:
                Overlap.in_flight -= 1

    shared = CogVideoXAnimator(Overlap(animator.pipe), **SETTINGS)
    threads = [threading.Thread(target=render, args=(shared, 4)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Overlap.most == 1 and len(shared.pipe.calls) == 3


@pytest.fixture(scope="module")
def two_block_model_dir(tmp_path_factory) -> str:
    """First Block Cache needs a first block and a rest: a tiny model with two."""
    return str(save_tiny_cogvideox_i2v(tmp_path_factory.mktemp("cogvideox-2-blocks"), num_layers=2))


def test_first_block_cache_on_a_one_block_model_is_refused_in_words(model_dir):
    with pytest.raises(ValueError, match="first-block step cache needs a transformer of 2 blocks or more"):
        load_cogvideox_animator(model_dir, Accelerator(), step_cache="first-block", **SETTINGS)


@pytest.mark.parametrize("cache", ["first-block", "pyramid-attention"])
def test_a_step_cache_is_a_setting_and_clips_still_come_out(two_block_model_dir, cache):
    cached = load_cogvideox_animator(two_block_model_dir, Accelerator(), step_cache=cache, **SETTINGS)
    assert cached.pipe.transformer.is_cache_enabled
    frames = render(cached, 8)
    assert len(frames) == 8 and frames[0].shape == (36, 64, 3)


def test_the_prompt_carries_the_shots_motion_cut_to_what_the_text_encoder_reads():
    moving = Shot(id="s1-sh1", description="A shy dragon opens a bakery at night.", shot_type="wide",
                  camera="pan-left", motion="The dragon kneads dough, flour puffing up. Steam curls from the oven.")
    whole = shot_prompt(moving)
    assert whole == ("A shy dragon opens a bakery at night. The dragon kneads dough, flour puffing up. "
                     "Steam curls from the oven. The camera pans slowly to the left.")
    cut = shot_prompt(moving, fits=lambda prompt: len(prompt.split()) <= 22)
    assert cut == ("A shy dragon opens a bakery at night. The dragon kneads dough, flour puffing up. "
                   "The camera pans slowly to the left.")
    bare = shot_prompt(moving, fits=lambda prompt: False)  # picture and camera always stay
    assert bare == "A shy dragon opens a bakery at night. The camera pans slowly to the left."


def test_the_animator_fits_the_prompt_to_its_models_tokens(animator, monkeypatch):
    animator, spy = spied(animator)
    moving = Shot(id="s1-sh1", description="A fox.", shot_type="wide", camera="static", motion="The fox runs. " * 30)
    tokens = len(animator.pipe.tokenizer(shot_prompt(moving, fits=lambda _: False)).input_ids)
    monkeypatch.setattr(animator, "prompt_token_limit", lambda: tokens + 12)  # room for a little motion
    list(animator.frames(keyframe((64, 36)), moving, 4, LANDSCAPE, 24, 1))
    prompt = spy.calls[0]["prompt"]
    assert prompt.startswith("A fox. The fox runs") and prompt.endswith("The camera holds still while the scene moves gently.")
    assert animator.prompt_fits(prompt) and not animator.prompt_fits(shot_prompt(moving))
