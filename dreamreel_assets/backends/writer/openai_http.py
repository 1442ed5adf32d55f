"""A script writer calling any OpenAI-compatible chat completions endpoint (a hosted API, vLLM, Ollama...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import openai

from dreamreel_assets.backends.writer.llm import LLMScriptWriter, Message, Reply, seeded
from dreamreel_assets.models import FilmRequest, Script


@dataclass
class OpenAICompatibleWriter:
    client: openai.OpenAI
    model: str
    temperature: float = 0.7
    max_attempts: int = 3
    structured_outputs: bool = True
    """Ask for JSON by schema; set False (by itself) when the server refuses it, then JSON mode."""

    @property
    def name(self) -> str:
        return f"openai:{self.model}"

    def write(self, request: FilmRequest) -> Script:
        complete = seeded(self.complete, request.seed)
        return LLMScriptWriter(complete, self.name, self.max_attempts).write(request)

    def complete(self, messages: list[Message], seed: int, schema: dict | None = None) -> Reply:
        """The model's reply: JSON by `schema` where the server supports structured outputs
        (OpenAI, vLLM, llama.cpp, Ollama...), JSON mode where it does not."""
        if schema is not None and self.structured_outputs:
            try:
                return self._create(messages, seed, {"type": "json_schema", "json_schema": {
                    "name": "reply", "schema": schema, "strict": False}})
            except openai.BadRequestError:
                self.structured_outputs = False  # this server takes no schema: JSON mode from now on
        return self._create(messages, seed, {"type": "json_object"})

    def _create(self, messages: list[Message], seed: int, response_format: dict) -> Reply:
        response = self.client.chat.completions.create(
            model=self.model, messages=messages, temperature=self.temperature, seed=seed,
            response_format=response_format,
        )
        if not response.choices:
            return Reply("")
        choice = response.choices[0]
        return Reply(choice.message.content or "", truncated=choice.finish_reason == "length")


def make_openai_writer(
    base_url: str, api_key: str, model: str, *, timeout: float = 300.0, **settings: Any
) -> OpenAICompatibleWriter:
    """A writer with its own client; the client retries transient HTTP failures twice."""
    client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=2)
    return OpenAICompatibleWriter(client, model, **settings)
