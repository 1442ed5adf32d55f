"""The GPU resource: where model work runs, as configuration around `backends.accelerator`.

The logic (device, dtype, memory plan, the per-process model cache) lives in
`dreamreel_assets/backends/accelerator.py`, which imports no Dagster, so the backends and
`bench/gpu.py` use it as it is.
"""

from __future__ import annotations

from typing import Any

from dagster import ConfigurableResource, Failure

from dreamreel_assets.backends.accelerator import Accelerator, AcceleratorError, MemoryStrategy


class GPUResource(ConfigurableResource):
    """Where model work runs. Embedded backends ignore it; model-backed ones load through it."""

    device: str = "auto"
    """'auto' (cuda, then mps, then cpu), 'cpu', 'mps', 'cuda' or 'cuda:N'."""
    dtype: str = "auto"
    """'auto' picks bfloat16 where the GPU has it natively, float16 on other GPUs, float32 on the CPU."""
    memory_strategy: MemoryStrategy = "auto"
    """'auto' chooses from the free GPU memory when a model loads (see backends/accelerator.py)."""
    model_cache_dir: str | None = None
    """Where model files are looked up and kept (Hugging Face cache layout)."""

    def accelerator(self) -> Accelerator:
        """The accelerator the backends are given; a setting the machine cannot honour fails in words."""
        accelerator = Accelerator(device=self.device, dtype=self.dtype, memory_strategy=self.memory_strategy,
                                  model_cache_dir=self.model_cache_dir)
        try:
            accelerator.resolved_dtype()
        except AcceleratorError as error:
            raise Failure(description=f"gpu: {error}", allow_retries=False) from None
        return accelerator

    def resolved_device(self) -> str:
        return self.accelerator().resolved_device()

    def resolved_dtype(self) -> str:
        return self.accelerator().resolved_dtype()

    def torch_dtype(self) -> Any:
        return self.accelerator().torch_dtype()

    def begin_stage(self) -> None:
        """Peak GPU memory counts from here: each stage's metadata reports its own."""
        self.accelerator().begin_stage()

    def describe(self) -> dict:
        return self.accelerator().describe()
