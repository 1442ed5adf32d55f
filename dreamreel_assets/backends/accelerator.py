"""Where model work runs: device, dtype, memory strategy and the per-process model cache.

Torch only: no Dagster, no pydantic. The `gpu` resource is configuration around an `Accelerator`,
the model backends take one, and `bench/gpu.py` uses it on a bare GPU machine.

The choices, in short:
- device "auto" is cuda (device 0), then mps, then cpu; "cuda:N" picks a card and is checked.
- dtype "auto" is bfloat16 only where the GPU computes it natively (compute capability 8.0 and
  up: A100, L4, H100, H200...), float16 on older GPUs and Apple's, float32 on the CPU.
- memory "auto" looks at the free GPU memory when a model loads: everything on the card when
  weights and working room fit, else one component at a time (model CPU offload), else layer by
  layer (sequential offload). The VAE is sliced and tiled only when offloading: on a card with room
  it decodes faster whole.
- One model is held per stage role ("illustrator", "animator", "writer"): loading another role's
  model first releases the earlier stage's, so a film's stages never hold two large models at once.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MemoryStrategy = Literal["auto", "none", "model_cpu_offload", "sequential_cpu_offload", "vae_slicing_tiling"]
OFFLOADS = ("model_cpu_offload", "sequential_cpu_offload")
GIB = 2**30
WORKING_ROOM = (6 * GIB, 0.5)
"""Room left for activations beyond the weights on the card: at least 6 GiB, or half the weights
(a 49-frame CogVideoX clip at 720x480 attends over 17,550 tokens; an SDXL 1024^2 decode needs ~5 GiB)."""


class AcceleratorError(ValueError):
    """A device or dtype setting this machine cannot honour, in words."""


def plan_memory(weights: int, largest_component: int, free: int) -> str:
    """The memory strategy for a model of `weights` bytes (its largest component `largest_component`)
    on a card with `free` bytes: all on the card, one component at a time, or layer by layer."""

    def room(size: int) -> int:
        return size + max(WORKING_ROOM[0], int(size * WORKING_ROOM[1]))

    if free >= room(weights):
        return "none"
    if free >= room(largest_component):
        return "model_cpu_offload"
    return "sequential_cpu_offload"


def module_bytes(module: Any) -> int:
    """Bytes of a torch module's parameters and buffers (0 for anything else)."""
    import torch

    if not isinstance(module, torch.nn.Module):
        return 0
    tensors = [*module.parameters(), *module.buffers()]
    return sum(t.numel() * t.element_size() for t in tensors)


def component_bytes(pipeline: Any) -> dict[str, int]:
    """Bytes per torch component of a diffusers pipeline (or of one torch module, as "model")."""
    components = getattr(pipeline, "components", None)
    if not isinstance(components, dict):
        return {"model": module_bytes(pipeline)}
    return {name: size for name, part in components.items() if (size := module_bytes(part))}


@dataclass
class _Cache:
    models: dict[tuple, Any] = field(default_factory=dict)
    load_seconds: dict[str, float] = field(default_factory=dict)
    strategies: dict[str, str] = field(default_factory=dict)
    loads: dict[str, int] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)


_CACHE = _Cache()
OFFLOAD_ORDER = ("none", "vae_slicing_tiling", "model_cpu_offload", "sequential_cpu_offload")
"""Memory strategies from most on the card to least."""
_lowered: dict[str, str] = {}
"""After a GPU out-of-memory: the strategy every later load in this process uses instead."""


def restore_memory_plan() -> None:
    """Forget a lowered memory strategy (a new worker starts without one; tests use this)."""
    _lowered.clear()


def lower_memory_use() -> str | None:
    """After a GPU out-of-memory error: release the models and have the next loads use one step
    more offloading than the last one did. The strategy now in force, or None when nothing lower is left."""
    used = list(_CACHE.strategies.values()) or ["none"]
    current = _lowered.get("strategy") or max(used, key=OFFLOAD_ORDER.index)
    release()
    if current == OFFLOAD_ORDER[-1]:
        return None
    lower = "model_cpu_offload" if current in OFFLOAD_ORDER[:2] else OFFLOAD_ORDER[-1]
    _lowered["strategy"] = lower
    return lower


@dataclass(frozen=True)
class Accelerator:
    device: str = "auto"
    """'auto' (cuda, then mps, then cpu), 'cpu', 'mps', 'cuda' or 'cuda:N'."""
    dtype: str = "auto"
    """'auto', 'bfloat16', 'float16' or 'float32'."""
    memory_strategy: MemoryStrategy = "auto"
    model_cache_dir: str | None = None
    """Where model files are looked up and kept (Hugging Face cache layout)."""

    # --- device and dtype ---------------------------------------------------------------------

    def resolved_device(self) -> str:
        try:
            import torch
        except ImportError:  # the embedded image: no model backends, nothing to place
            if self.device in ("auto", "cpu"):
                return "cpu"
            raise AcceleratorError(f"device {self.device!r}: PyTorch is not installed here (the [gpu] extra)") from None

        if self.device == "auto":
            if torch.cuda.is_available():
                return "cuda"
            return "mps" if torch.backends.mps.is_available() else "cpu"
        if self.device.startswith("cuda"):
            index = self.device.partition(":")[2]
            if not torch.cuda.is_available():
                raise AcceleratorError(f"device {self.device!r}: this machine has no CUDA GPU (use auto or cpu)")
            if index and (not index.isdigit() or int(index) >= torch.cuda.device_count()):
                raise AcceleratorError(f"device {self.device!r}: this machine has {torch.cuda.device_count()} "
                                       f"CUDA GPU(s), numbered from 0")
        elif self.device not in ("cpu", "mps"):
            raise AcceleratorError(f"device {self.device!r}: use auto, cpu, mps, cuda or cuda:N")
        return self.device

    def is_cuda(self) -> bool:
        return self.resolved_device().startswith("cuda")

    def resolved_dtype(self) -> str:
        if self.dtype != "auto":
            if self.dtype not in ("bfloat16", "float16", "float32"):
                raise AcceleratorError(f"dtype {self.dtype!r}: use auto, bfloat16, float16 or float32")
            return self.dtype
        device = self.resolved_device()
        if device.startswith("cuda"):
            import torch

            major, _ = torch.cuda.get_device_capability(torch.device(device))
            return "bfloat16" if major >= 8 else "float16"  # emulated bf16 on older cards is slow
        return "float16" if device == "mps" else "float32"

    def torch_dtype(self):
        import torch

        return getattr(torch, self.resolved_dtype())

    # --- memory -------------------------------------------------------------------------------

    def free_memory(self) -> int | None:
        """Free bytes on the CUDA device, or None off CUDA."""
        if not self.is_cuda():
            return None
        import torch

        free, _total = torch.cuda.mem_get_info(torch.device(self.resolved_device()))
        return free

    def strategy_for(self, pipeline: Any) -> str:
        """The memory strategy for this pipeline: the setting, or with "auto" what fits the card
        (after an out-of-memory error in this process, the lowered one)."""
        if "strategy" in _lowered:
            return _lowered["strategy"]
        if self.memory_strategy != "auto":
            return self.memory_strategy
        free = self.free_memory()
        if free is None:
            return "none"  # offloading needs a CUDA device; on the CPU there is nothing to move
        sizes = component_bytes(pipeline)
        return plan_memory(sum(sizes.values()), max(sizes.values(), default=0), free)

    def prepare(self, pipeline: Any, strategy: str | None = None) -> Any:
        """Put a loaded diffusers pipeline (or torch module) on the device with its memory strategy."""
        strategy = strategy or self.strategy_for(pipeline)
        device = self.resolved_device()
        gpu_index = int(device.partition(":")[2] or 0) if device.startswith("cuda") else None
        if strategy in OFFLOADS and gpu_index is not None and hasattr(pipeline, "enable_model_cpu_offload"):
            offload = getattr(pipeline, f"enable_{strategy}")
            offload(gpu_id=gpu_index)
        elif hasattr(pipeline, "to"):
            pipeline.to(device)
        if strategy != "none":
            vae = getattr(pipeline, "vae", None)
            for switch in ("enable_slicing", "enable_tiling"):
                if vae is not None and hasattr(vae, switch):
                    getattr(vae, switch)()
        return pipeline

    # --- the model cache ----------------------------------------------------------------------

    def load(self, name: str, factory: Callable[[], Any]) -> Any:
        """A model loaded once per process for every shot and film this worker serves.

        `name` is "<role>:<model>"; loading a model of another role first releases the models held
        for other roles (an earlier stage's), so only one stage's models are ever on the device.
        """
        key = (name, self.resolved_device(), self.resolved_dtype(), self.memory_strategy)
        role = name.partition(":")[0]
        with _CACHE.lock:
            if key not in _CACHE.models:
                release(keep_role=role)
                started = time.perf_counter()
                _CACHE.models[key] = factory()
                _CACHE.load_seconds[name] = round(time.perf_counter() - started, 2)
                _CACHE.loads[name] = _CACHE.loads.get(name, 0) + 1
            return _CACHE.models[key]

    def from_pretrained(self, pipeline_class: Any, model: str, name: str, **extra: Any) -> Any:
        """`pipeline_class.from_pretrained(model)` placed with its memory strategy, in this
        accelerator's dtype, from safetensors (the fp16 variant where a local model has one).

        When the strategy is known before loading (set, or "auto" on a local model whose files
        tell its size) and it keeps everything on a CUDA card, the weights load straight onto it."""
        kwargs: dict[str, Any] = {"dtype": self.torch_dtype(), "local_files_only": Path(model).is_dir(),
                                  **pretrained_files(model), **extra}
        if self.model_cache_dir:
            kwargs["cache_dir"] = self.model_cache_dir
        strategy = _lowered.get("strategy") or (
            self.memory_strategy if self.memory_strategy != "auto" else self._strategy_from_files(model))
        if strategy == "none" and self.resolved_device() == "cuda":
            kwargs["device_map"] = "cuda"
        pipeline = pipeline_class.from_pretrained(model, **kwargs)
        strategy = strategy or self.strategy_for(pipeline)
        _CACHE.strategies[name] = strategy
        return self.prepare(pipeline, strategy)

    def _strategy_from_files(self, model: str) -> str | None:
        free = self.free_memory()
        if free is None:
            return "none"
        sizes = weight_files_bytes(model, self.torch_dtype().itemsize)
        return plan_memory(sum(sizes.values()), max(sizes.values()), free) if sizes else None

    # --- reporting ----------------------------------------------------------------------------

    def begin_stage(self) -> None:
        """Peak memory counts from here: each stage reports its own."""
        if self.is_cuda():
            import torch

            torch.cuda.reset_peak_memory_stats(torch.device(self.resolved_device()))

    def peak_memory_gib(self) -> float | None:
        if not self.is_cuda():
            return None
        import torch

        return round(torch.cuda.max_memory_allocated(torch.device(self.resolved_device())) / GIB, 2)

    def describe(self) -> dict:
        facts: dict = {"device": self.resolved_device(), "dtype": self.resolved_dtype(),
                       "memory_strategy": self.memory_strategy}
        if _CACHE.strategies:
            facts["memory_strategy_used"] = dict(_CACHE.strategies)
        if _CACHE.load_seconds:
            facts["model_load_seconds"] = dict(_CACHE.load_seconds)
            facts["model_loads"] = dict(_CACHE.loads)
        peak = self.peak_memory_gib()
        if peak is not None:
            facts["peak_gpu_memory_gib"] = peak
        return facts


def release(keep_role: str | None = None) -> list[str]:
    """Drop the cached models (all, or all but `keep_role`'s) and give their memory back."""
    with _CACHE.lock:
        dropped = [key for key in _CACHE.models if key[0].partition(":")[0] != keep_role]
        for key in dropped:
            del _CACHE.models[key]
    if dropped:
        gc.collect()
        try:
            import torch

            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        except ImportError:  # pragma: no cover - torch is always there when models were loaded
            pass
    return [key[0] for key in dropped]


def held_models() -> list[str]:
    """Names of the models this process holds now."""
    with _CACHE.lock:
        return [key[0] for key in _CACHE.models]


_SAFETENSORS_ITEMSIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1}


def weight_files_bytes(model: str, itemsize: int) -> dict[str, int]:
    """Bytes each component of a local model will take at `itemsize` bytes a weight, from its
    safetensors files (the variant `pretrained_files` picks); {} when it has none."""
    import json
    import struct

    folder = Path(model)
    if not folder.is_dir():
        return {}
    variant = pretrained_files(model).get("variant")
    sizes: dict[str, int] = {}
    for path in folder.rglob("*.safetensors"):
        if (variant is not None) != (f".{variant}." in path.name if variant else False):
            continue
        with path.open("rb") as handle:
            header = json.loads(handle.read(struct.unpack("<Q", handle.read(8))[0]))
        loaded = 0
        for key, entry in header.items():
            if key == "__metadata__":
                continue
            start, end = entry["data_offsets"]
            stored = _SAFETENSORS_ITEMSIZE.get(entry["dtype"])  # floats load in the model's dtype
            loaded += (end - start) * itemsize // stored if stored else end - start
        component = path.parent.relative_to(folder).parts[0] if path.parent != folder else "model"
        sizes[component] = sizes.get(component, 0) + loaded
    return sizes


def pretrained_files(model: str) -> dict[str, Any]:
    """from_pretrained arguments that take the smallest weights a local model offers: safetensors,
    and the fp16 variant where its files are there (hub ids: whatever the hub serves)."""
    folder = Path(model)
    if not folder.is_dir():
        return {}
    files = [path.name for path in folder.rglob("*.safetensors")]
    kwargs: dict[str, Any] = {"use_safetensors": True} if files else {}
    if any(".fp16." in name for name in files):
        kwargs["variant"] = "fp16"
    return kwargs
