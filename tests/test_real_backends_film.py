"""A whole film on the real backends, switched on by the gpu profile and configuration only.

The models are the real pipeline classes built from tiny configs with random weights, saved to
disk and loaded through the same code as full-size ones; the LLM is a local OpenAI-compatible
server that answers with a well-formed script.
"""

import os

import pytest
from conftest import ffprobe
from tiny_cogvideox import TINY_NUM_FRAMES, TINY_SIZE, save_tiny_cogvideox_i2v
from tiny_diffusion import save_tiny_sd
from tiny_lm import FakeChatServer

from dreamreel_assets.backends.accelerator import held_models
from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.cli import produce
from dreamreel_assets.models import FilmRequest

REQUEST = FilmRequest(
    genre="sci-fi", theme="The last gardener on a generation ship teaches a robot to grow tomatoes",
    style="cinematic", minutes=5, preview_seconds=20, seed=5,
)


@pytest.fixture(scope="module")
def gpu_profile_film(tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    script_json = TemplateWriter().write(REQUEST).model_dump_json()
    overrides = {"resources": {
        "writer": {"config": {"backend": "openai", "model": "local-llm", "api_key": "test-key"}},
        "illustrator": {"config": {"model": str(save_tiny_sd(models / "sd")), "steps": 2,
                                   "generation_pixels": 64 * 64}},
        "animator": {"config": {"model": str(save_tiny_cogvideox_i2v(models / "cogvideox")), "steps": 2,
                                "num_frames": TINY_NUM_FRAMES, "generation_width": TINY_SIZE[0],
                                "generation_height": TINY_SIZE[1]}},
    }}
    previous_home = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(tmp_path_factory.mktemp("home"))
    try:
        with FakeChatServer(lambda body: script_json) as server:
            overrides["resources"]["writer"]["config"]["base_url"] = server.base_url
            made = produce(REQUEST, tmp_path_factory.mktemp("out"), show_progress=False, profile="gpu",
                           overrides=overrides)
            yield made, server
    finally:
        if previous_home is None:
            os.environ.pop("DAGSTER_HOME")
        else:
            os.environ["DAGSTER_HOME"] = previous_home


def backend_of(made, asset: str) -> str:
    [materialization] = made.result.asset_materializations_for_node(asset)
    return materialization.metadata["backend"].value


def test_the_gpu_profile_selects_the_model_backends(gpu_profile_film):
    made, _ = gpu_profile_film
    assert made.success
    assert backend_of(made, "script") == "openai:local-llm"
    assert backend_of(made, "keyframes").startswith("diffusers:")
    assert backend_of(made, "character_sheets").startswith("diffusers:")
    assert backend_of(made, "clips") == "cogvideox"
    [clips] = made.result.asset_materializations_for_node("clips")
    assert clips.metadata["memory_strategy"].value == "auto"
    assert clips.metadata["workers"].value == 1  # a model backend makes one clip at a time


def test_each_model_loads_once_for_the_film_and_the_earlier_stage_is_released(gpu_profile_film):
    made, _ = gpu_profile_film
    [sheets] = made.result.asset_materializations_for_node("character_sheets")
    [keyframes] = made.result.asset_materializations_for_node("keyframes")
    [clips] = made.result.asset_materializations_for_node("clips")
    illustrator = next(name for name in keyframes.metadata["model_loads"].value
                       if name.startswith("illustrator:") and name.endswith("/sd"))  # this film's model
    assert keyframes.metadata["model_loads"].value[illustrator] == 1  # the sheets' load, used again
    assert sheets.metadata["memory_strategy_used"].value[illustrator] == "none"  # auto, off CUDA
    animator = next(name for name in clips.metadata["model_loads"].value
                    if name.startswith("animator:") and "/cogvideox" in name)
    assert clips.metadata["model_loads"].value[animator] == 1
    assert not any(name.startswith("illustrator:") for name in held_models())  # released for the clips


def test_the_gpu_job_runs_the_film_in_one_process():
    from dreamreel_assets.definitions import defs

    assert defs.resolve_job_def("make_film_gpu").executor_def.name == "in_process"


def test_the_llm_service_was_asked_once_with_the_request_seed(gpu_profile_film):
    _, server = gpu_profile_film
    [request] = server.requests
    assert request.body["model"] == "local-llm" and request.body["seed"] == REQUEST.seed
    assert request.headers["authorization"] == "Bearer test-key"


def test_film_from_real_backends_decodes_and_passes_its_checks(gpu_profile_film):
    made, _ = gpu_profile_film
    failed = [e.check_name for e in made.result.get_asset_check_evaluations() if not e.passed]
    assert failed == []
    probe = ffprobe(made.video)
    video = next(s for s in probe["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"], video["avg_frame_rate"]) == (1280, 720, "24/1")
    assert 18 <= float(video["duration"]) <= 22
    keyframes = made.result.output_for_node("keyframes")
    assert {k.width for k in keyframes.keyframes} == {1600}


@pytest.fixture(scope="module")
def gpu_fast_film(tmp_path_factory):
    """A whole preview film on the gpu-fast profile: the same stack with a tiny LTX-Video for the clips."""
    from tiny_ltx import TINY_LTX_FRAMES, TINY_LTX_SIZE, save_tiny_ltx_i2v

    models = tmp_path_factory.mktemp("fast-models")
    request = REQUEST.model_copy(update={"aspect": "9:16", "seed": 8})
    script_json = TemplateWriter().write(request).model_dump_json()
    overrides = {"resources": {
        "writer": {"config": {"backend": "openai", "model": "local-llm", "api_key": "test-key"}},
        "illustrator": {"config": {"model": str(save_tiny_sd(models / "sd")), "steps": 2,
                                   "generation_pixels": 64 * 64}},
        "animator": {"config": {"model": str(save_tiny_ltx_i2v(models / "ltx")), "steps": 2,
                                "num_frames": TINY_LTX_FRAMES, "generation_width": TINY_LTX_SIZE[0],
                                "generation_height": TINY_LTX_SIZE[1]}},
    }}
    previous_home = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(tmp_path_factory.mktemp("fast-home"))
    try:
        with FakeChatServer(lambda body: script_json) as server:
            overrides["resources"]["writer"]["config"]["base_url"] = server.base_url
            yield produce(request, tmp_path_factory.mktemp("fast-out"), show_progress=False, profile="gpu-fast",
                          overrides=overrides)
    finally:
        if previous_home is None:
            os.environ.pop("DAGSTER_HOME")
        else:
            os.environ["DAGSTER_HOME"] = previous_home


def test_a_preview_film_on_the_gpu_fast_profile_animates_with_ltx_video(gpu_fast_film):
    made = gpu_fast_film
    assert made.success
    assert backend_of(made, "clips") == "ltx-video"
    [clips] = made.result.asset_materializations_for_node("clips")
    assert clips.metadata["workers"].value == 1
    failed = [e.check_name for e in made.result.get_asset_check_evaluations() if not e.passed]
    assert failed == []
    probe = ffprobe(made.video)
    video = next(s for s in probe["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"], video["avg_frame_rate"]) == (720, 1280, "24/1")
    assert 18 <= float(video["duration"]) <= 22
