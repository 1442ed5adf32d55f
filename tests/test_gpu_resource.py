"""The GPU resource: device and dtype choice, the per-process model cache, memory strategies."""

import torch

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

    def enable_model_cpu_offload(self):
        self.calls.append("model_cpu_offload")

    def enable_sequential_cpu_offload(self):
        self.calls.append("sequential_cpu_offload")


def test_auto_device_on_this_machine_is_the_cpu_in_float32():
    gpu = GPUResource()
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert gpu.resolved_device() == expected
    assert gpu.resolved_dtype() in (("bfloat16", "float16") if expected == "cuda" else ("float32",))
    assert gpu.torch_dtype() == getattr(torch, gpu.resolved_dtype())


def test_explicit_settings_win():
    gpu = GPUResource(device="cpu", dtype="bfloat16")
    assert (gpu.resolved_device(), gpu.resolved_dtype()) == ("cpu", "bfloat16")


def test_a_model_loads_once_per_process():
    loads = []

    def factory():
        loads.append(1)
        return object()

    gpu = GPUResource(device="cpu")
    first = gpu.load("test:cache-once", factory)
    again = GPUResource(device="cpu").load("test:cache-once", factory)
    assert first is again and len(loads) == 1
    assert "test:cache-once" in gpu.describe()["model_load_seconds"]


def test_memory_strategy_on_cpu_keeps_the_model_on_the_cpu_with_vae_slicing():
    pipeline = GPUResource(device="cpu", memory_strategy="model_cpu_offload").prepare(FakePipeline())
    assert pipeline.calls == ["slicing", "tiling"]  # offload needs an accelerator; the VAE still slices
    assert next(pipeline.parameters()).device.type == "cpu"
    assert GPUResource(device="cpu").prepare(FakePipeline()).calls == []
