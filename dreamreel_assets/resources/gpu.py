"""The GPU resource: device, dtype, memory strategy and a per-process cache of loaded models."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Literal

from dagster import ConfigurableResource

MemoryStrategy = Literal["none", "model_cpu_offload", "sequential_cpu_offload", "vae_slicing_tiling"]

_pipelines: dict[tuple, Any] = {}
_load_seconds: dict[tuple, float] = {}
_cache_lock = threading.Lock()


class GPUResource(ConfigurableResource):
    """Where model work runs. Embedded backends ignore it; model-backed ones load through it."""

    device: str = "auto"
    """'auto' picks cuda, then mps, then cpu."""
    dtype: str = "auto"
    """'auto' picks bfloat16 where supported, else float16 on GPUs and float32 on the CPU."""
    memory_strategy: MemoryStrategy = "none"
    model_cache_dir: str | None = None
    """Where model files are looked up and kept (Hugging Face cache layout)."""

    def resolved_device(self) -> str:
        if self.device != "auto":
            return self.device
        try:
            import torch
        except ImportError:
            return "cpu"
        if torch.cuda.is_available():
            return "cuda"
        if torch.backends.mps.is_available():
            return "mps"
        return "cpu"

    def resolved_dtype(self) -> str:
        if self.dtype != "auto":
            return self.dtype
        device = self.resolved_device()
        if device == "cuda":
            import torch

            return "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        return "float16" if device == "mps" else "float32"

    def load(self, name: str, factory: Callable[[], Any]) -> Any:
        """A model loaded once per process for every shot and film this worker serves."""
        key = (name, self.resolved_device(), self.resolved_dtype(), self.memory_strategy)
        with _cache_lock:
            if key not in _pipelines:
                started = time.perf_counter()
                _pipelines[key] = factory()
                _load_seconds[key] = time.perf_counter() - started
            return _pipelines[key]

    def torch_dtype(self):
        import torch

        return getattr(torch, self.resolved_dtype())

    def prepare(self, pipeline: Any) -> Any:
        """Put a loaded diffusers pipeline (or torch module) on the device with the memory strategy."""
        device = self.resolved_device()
        offload = device == "cuda" and self.memory_strategy in ("model_cpu_offload", "sequential_cpu_offload")
        if offload and self.memory_strategy == "model_cpu_offload":
            pipeline.enable_model_cpu_offload()
        elif offload:
            pipeline.enable_sequential_cpu_offload()
        else:
            pipeline.to(device)
        if self.memory_strategy != "none":
            vae = getattr(pipeline, "vae", None)
            for switch in ("enable_slicing", "enable_tiling"):
                if vae is not None and hasattr(vae, switch):
                    getattr(vae, switch)()
        return pipeline

    def load_seconds(self) -> dict[str, float]:
        """Seconds each model this process holds took to load (loaded once, used by every shot)."""
        return {key[0]: round(seconds, 2) for key, seconds in _load_seconds.items()}

    def describe(self) -> dict:
        facts: dict = {
            "device": self.resolved_device(),
            "dtype": self.resolved_dtype(),
            "memory_strategy": self.memory_strategy,
        }
        if _load_seconds:
            facts["model_load_seconds"] = self.load_seconds()
        if facts["device"] == "cuda":
            import torch

            facts["peak_gpu_memory_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
        return facts
