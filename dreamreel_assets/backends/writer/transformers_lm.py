"""A script writer running a local causal language model through transformers.

The model and tokenizer are handed in; `load_transformers_writer` loads them once per worker
process through the GPU resource. Sampling is seeded from the request, so the same request gives
the same script on the same machine and software.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dreamreel_assets.backends.writer.llm import LLMScriptWriter, Message, Reply, seeded
from dreamreel_assets.backends.accelerator import OFFLOADS as OFFLOAD_STRATEGIES
from dreamreel_assets.backends.accelerator import Accelerator, plan_memory, weight_files_bytes
from dreamreel_assets.models import FilmRequest, Script


@dataclass
class TransformersWriter:
    model: Any
    """A transformers causal LM, already on its device."""
    tokenizer: Any
    model_id: str
    max_new_tokens: int = 8192
    temperature: float = 0.7
    """0 decodes greedily."""
    top_p: float = 0.95
    max_attempts: int = 3

    @property
    def name(self) -> str:
        return f"transformers:{self.model_id}"

    def write(self, request: FilmRequest) -> Script:
        complete = seeded(self.complete, request.seed)
        return LLMScriptWriter(complete, self.name, self.max_attempts).write(request)

    def prompt(self, messages: list[Message]) -> str:
        if not getattr(self.tokenizer, "chat_template", None):
            turns = [f"{message['role'].capitalize()}: {message['content']}" for message in messages]
            return "\n\n".join([*turns, "Assistant:"])
        from jinja2 import TemplateError

        try:
            return self._chat(messages)
        except TemplateError:  # some templates refuse a system turn: fold it into the user's
            return self._chat(_system_folded(messages))

    def _chat(self, messages: list[Message]) -> str:
        return self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def complete(self, messages: list[Message], seed: int, schema: dict | None = None) -> Reply:
        """The model's reply to the messages, sampled with `seed` (`schema` is in the prompt already)."""
        import torch

        encoded = self.tokenizer(self.prompt(messages), return_tensors="pt", add_special_tokens=False)
        inputs = {key: encoded[key].to(self.model.device) for key in ("input_ids", "attention_mask")}
        # Seed a fork of the global RNG so other stages in this process see theirs untouched.
        with torch.random.fork_rng(), torch.inference_mode():
            torch.manual_seed(seed)
            output = self.model.generate(**inputs, **self._sampling())
        new_tokens = output[0, inputs["input_ids"].shape[1]:]
        ended = self.tokenizer.eos_token_id is not None and self.tokenizer.eos_token_id in new_tokens.tolist()
        truncated = len(new_tokens) >= self.max_new_tokens and not ended
        return Reply(self.tokenizer.decode(new_tokens, skip_special_tokens=True), truncated=truncated)

    def _sampling(self) -> dict[str, Any]:
        pad = self.tokenizer.pad_token_id
        settings: dict[str, Any] = {
            "max_new_tokens": self.max_new_tokens,
            "pad_token_id": self.tokenizer.eos_token_id if pad is None else pad,
        }
        if self.temperature <= 0:
            return {**settings, "do_sample": False}
        return {**settings, "do_sample": True, "temperature": self.temperature, "top_p": self.top_p}


def _system_folded(messages: list[Message]) -> list[Message]:
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    rest = [m for m in messages if m["role"] != "system"]
    return [{"role": "user", "content": f"{system}\n\n{rest[0]['content']}"}, *rest[1:]]


def load_transformers_writer(model: str, accelerator: Accelerator, **settings: Any) -> TransformersWriter:
    """A writer for `model` (a local directory or a model id), loaded once per process."""
    lm, tokenizer = accelerator.load(f"writer:{model}", lambda: _load(model, accelerator))
    return TransformersWriter(lm, tokenizer, model, **settings)


def _load(model: str, accelerator: Accelerator) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    files = {"local_files_only": Path(model).is_dir(), "cache_dir": accelerator.model_cache_dir}
    tokenizer = AutoTokenizer.from_pretrained(model, **files)
    # transformers models have no enable_*_cpu_offload (the diffusers calls of Accelerator.prepare):
    # offloading, accelerate places the layers and spills what does not fit to the CPU.
    sizes = weight_files_bytes(model, accelerator.torch_dtype().itemsize)
    free = accelerator.free_memory()
    strategy = accelerator.memory_strategy
    if strategy == "auto":
        strategy = plan_memory(sum(sizes.values()), sum(sizes.values()), free) if free and sizes else "none"
    offload = accelerator.is_cuda() and strategy in OFFLOAD_STRATEGIES
    placement = {"device_map": "auto"} if offload else {}
    lm = AutoModelForCausalLM.from_pretrained(model, dtype=accelerator.torch_dtype(), **files, **placement)
    lm.eval()
    return (lm if offload else accelerator.prepare(lm, "none")), tokenizer
