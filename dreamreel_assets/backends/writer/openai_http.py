"""A script writer calling any OpenAI-compatible chat completions endpoint (a hosted API, vLLM, Ollama...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import openai

from dreamreel_assets.backends.writer.llm import LLMScriptWriter, Message, seeded
from dreamreel_assets.models import FilmRequest, Script


@dataclass
class OpenAICompatibleWriter:
    client: openai.OpenAI
    model: str
    temperature: float = 0.7
    max_attempts: int = 3

    @property
    def name(self) -> str:
        return f"openai:{self.model}"

    def write(self, request: FilmRequest) -> Script:
        complete = seeded(self.complete, request.seed)
        return LLMScriptWriter(complete, self.name, self.max_attempts).write(request)

    def complete(self, messages: list[Message], seed: int) -> str:
        response = self.client.chat.completions.create(
            model=self.model,
            messages=messages,
            temperature=self.temperature,
            seed=seed,
            response_format={"type": "json_object"},
        )
        choices = response.choices
        return (choices[0].message.content or "") if choices else ""


def make_openai_writer(
    base_url: str, api_key: str, model: str, *, timeout: float = 300.0, **settings: Any
) -> OpenAICompatibleWriter:
    """A writer with its own client; the client retries transient HTTP failures twice."""
    client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=2)
    return OpenAICompatibleWriter(client, model, **settings)
