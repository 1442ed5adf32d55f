"""Where model work runs: device and dtype choice, the memory plan, the per-process model cache
(backends/accelerator.py, used by the gpu resource, the model backends and bench/gpu.py)."""

import pytest
import torch
from dagster import Failure
from tiny_cogvideox import save_tiny_cogvideox_i2v

from dreamreel_assets.backends.accelerator import (
    GIB,
    Accelerator,
    AcceleratorError,
    component_bytes,
    held_models,
    plan_memory,
    pretrained_files,
    release,
    weight_files_bytes,
)
from dreamreel_assets.resources.gpu import GPUResource


class FakeVae:
    def __init__(self, calls: list[str]):
        self.calls = calls

    def enable_slicing(self):
        self.calls.append("slicing")

    def enable_tiling(self):
        self.calls.append("tiling")


class FakePipeline(torch.nn.Module):
    """Just enough of a diffusers pipeline to see what the memory strategy asks of it."""

    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 2)
        self.calls: list[str] = []
        self.vae = FakeVae(self.calls)

    def enable_model_cpu_offload(self, gpu_id=None):
        self.calls.append("model_cpu_offload")

    def enable_sequential_cpu_offload(self, gpu_id=None):
        self.calls.append("sequential_cpu_offload")


@pytest.mark.parametrize("free_gib, expected", [
    (139, "none"),               # an H200: CogVideoX-5b's 21 GiB and its working room fit whole
    (75, "none"),                # an 80 GB card
    (23, "model_cpu_offload"),   # a 24 GB card: the 11 GiB transformer and room, one part at a time
    (12, "sequential_cpu_offload"),
])
def test_the_memory_plan_follows_the_free_gpu_memory(free_gib, expected):
    weights, transformer = 21 * GIB, 11 * GIB
    assert plan_memory(weights, transformer, free_gib * GIB) == expected


def test_auto_on_this_machine_keeps_everything_in_place_without_tiling():
    accelerator = Accelerator()
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert accelerator.resolved_device() == expected
    if expected == "cpu":
        assert accelerator.resolved_dtype() == "float32" and accelerator.strategy_for(FakePipeline()) == "none"
        assert accelerator.prepare(FakePipeline()).calls == []  # a VAE is tiled only when offloading


def test_offloading_tiles_the_vae_and_offload_needs_cuda():
    pipeline = Accelerator(device="cpu", memory_strategy="model_cpu_offload").prepare(FakePipeline())
    assert pipeline.calls == ["slicing", "tiling"]  # no CUDA: nothing to offload to, the VAE still tiles
    assert next(pipeline.parameters()).device.type == "cpu"


def test_explicit_settings_win_and_impossible_ones_are_refused_in_words():
    assert Accelerator(device="cpu", dtype="bfloat16").resolved_dtype() == "bfloat16"
    if not torch.cuda.is_available():
        with pytest.raises(AcceleratorError, match="this machine has no CUDA GPU"):
            Accelerator(device="cuda:1").resolved_device()
        with pytest.raises(Failure, match="gpu: device 'cuda:1': this machine has no CUDA GPU"):
            GPUResource(device="cuda:1").accelerator()
    with pytest.raises(AcceleratorError, match="use auto, cpu, mps, cuda or cuda:N"):
        Accelerator(device="tpu").resolved_device()
    with pytest.raises(Failure, match="gpu: dtype 'float8': use auto, bfloat16, float16 or float32"):
        GPUResource(device="cpu", dtype="float8").accelerator()


def test_a_model_loads_once_per_process_and_another_stage_releases_it():
    loads = []

    def factory():
        loads.append(1)
        return object()

    accelerator = Accelerator(device="cpu")
    first = accelerator.load("illustrator:test-model", factory)
    again = Accelerator(device="cpu").load("illustrator:test-model", factory)
    assert first is again and len(loads) == 1
    assert accelerator.describe()["model_loads"]["illustrator:test-model"] == 1

    accelerator.load("animator:test-model", factory)  # the next stage's model
    assert "illustrator:test-model" not in held_models() and "animator:test-model" in held_models()
    release()
    assert held_models() == []


def test_weights_are_sized_from_their_files_before_loading(tmp_path):
    from diffusers import CogVideoXImageToVideoPipeline

    model = save_tiny_cogvideox_i2v(tmp_path / "fp32")
    on_disk = weight_files_bytes(str(model), itemsize=4)
    loaded = component_bytes(CogVideoXImageToVideoPipeline.from_pretrained(model))
    assert set(on_disk) == set(loaded) == {"transformer", "vae", "text_encoder"}
    assert all(abs(on_disk[name] - loaded[name]) < 64 * 1024 for name in loaded)  # headers aside
    halves = weight_files_bytes(str(model), itemsize=2)  # fp32 files loaded in bf16: half
    assert all(abs(halves[name] * 2 - on_disk[name]) <= 2 for name in halves)


def test_the_fp16_variant_in_safetensors_is_what_loads(tmp_path):
    from diffusers import CogVideoXImageToVideoPipeline

    model = tmp_path / "both"
    pipe = CogVideoXImageToVideoPipeline.from_pretrained(save_tiny_cogvideox_i2v(model))
    full = weight_files_bytes(str(model), itemsize=4)
    pipe.to(torch.float16).save_pretrained(model, variant="fp16")
    assert pretrained_files(str(model)) == {"use_safetensors": True, "variant": "fp16"}
    assert weight_files_bytes(str(model), itemsize=2)["transformer"] < full["transformer"] * 0.65
    loaded = Accelerator(device="cpu", dtype="float16").from_pretrained(
        CogVideoXImageToVideoPipeline, str(model), name="animator:fp16-test")
    assert loaded.transformer.dtype == torch.float16
    assert Accelerator().describe()["memory_strategy_used"]["animator:fp16-test"] == "none"


def test_without_pytorch_the_embedded_stages_still_run_their_gpu_bookkeeping():
    """The embedded code image has no PyTorch: the gpu resource must not need it to say where work runs."""
    import subprocess
    import sys

    code = """
import sys
sys.modules["torch"] = None
from dreamreel_assets.resources.gpu import GPUResource
gpu = GPUResource()
gpu.begin_stage()
facts = gpu.describe()
assert (facts["device"], facts["dtype"]) == ("cpu", "float32"), facts
try:
    GPUResource(device="cuda").accelerator()
except Exception as error:
    print(type(error).__name__, error)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Failure" in done.stdout and "PyTorch is not installed here" in done.stdout
