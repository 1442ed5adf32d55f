"""Moderation of what people write: a film's theme and a fix's note, before any work starts.

One small protocol, three choices (configuration, never the environment at import time):

    words    (default) a word list shipped in the package: whole words and phrases, matched
             case-insensitively after Unicode NFKC normalisation (`wordlist.py`, `blocked_terms.txt`)
    openai   an OpenAI-compatible moderation endpoint, POST {base_url}/moderations (`endpoint.py`)
    off      nothing is refused

A service that cannot decide (down, too slow, refusing our key) raises `ModerationUnavailable`:
every way in fails closed, in words (the API answers 503 and queues nothing; the request sensor
leaves the request queued and looks again later; the CLI exits 2). Nothing passes unmoderated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Backend = Literal["words", "openai", "off"]
BACKENDS: tuple[str, ...] = ("words", "openai", "off")
DEFAULT_MODERATION_MODEL = "omni-moderation-latest"
DEFAULT_TIMEOUT_S = 10.0


class Verdict(BaseModel):
    """What a moderator made of one text. `reason` is said to the person who wrote it, so it
    names categories, never the words that were refused."""

    model_config = ConfigDict(frozen=True)

    flagged: bool
    categories: tuple[str, ...] = ()
    reason: str = ""


PASSED = Verdict(flagged=False)


class ModerationUnavailable(RuntimeError):
    """The moderator could not decide (service down, timeout, refused our key): nothing may pass."""


class Moderator(Protocol):
    name: str

    def review(self, text: str) -> Verdict:
        """Whether `text` may be used; raises ModerationUnavailable when it cannot tell."""
        ...


class ModerationSettings(BaseModel):
    """Which moderator, and how to reach it: shared by the API's settings and the Dagster resource."""

    model_config = ConfigDict(frozen=True)

    backend: Backend = "words"
    base_url: str | None = None
    """openai: the endpoint's base, e.g. https://api.openai.com/v1 (POST {base_url}/moderations)."""
    model: str = DEFAULT_MODERATION_MODEL
    api_key: str | None = Field(None, repr=False)
    timeout_s: float = Field(DEFAULT_TIMEOUT_S, gt=0, le=120)

    def problem(self) -> str | None:
        """What makes these settings unusable, in words."""
        if self.backend == "openai" and not self.base_url:
            return "moderation 'openai' needs the endpoint's base URL (DREAMREEL_MODERATION_URL)"
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            return f"the moderation URL must start with http:// or https://, not {self.base_url!r}"
        return None


class NoModeration:
    name = "off"

    def review(self, text: str) -> Verdict:
        return PASSED


ENV_NAMES = {"backend": "DREAMREEL_MODERATION", "base_url": "DREAMREEL_MODERATION_URL",
             "model": "DREAMREEL_MODERATION_MODEL", "api_key": "DREAMREEL_MODERATION_API_KEY",
             "timeout_s": "DREAMREEL_MODERATION_TIMEOUT"}
"""The variables the API reads at start and the Dagster resource reads when it is used."""


def settings_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """The moderation fields the environment sets (unset and empty variables are left out)."""
    return {field: env[name] for field, name in ENV_NAMES.items() if env.get(name)}


def build_moderator(settings: ModerationSettings) -> Moderator:
    problem = settings.problem()
    if problem:
        raise ValueError(problem)
    if settings.backend == "off":
        return NoModeration()
    if settings.backend == "openai":
        from dreamreel_assets.moderation.endpoint import ModerationEndpoint

        return ModerationEndpoint(settings.base_url, model=settings.model, api_key=settings.api_key,
                                  timeout_s=settings.timeout_s)
    from dreamreel_assets.moderation.wordlist import shipped_word_list

    return shipped_word_list()


class FieldRefusal(BaseModel):
    """A refused field, in the API's error shape."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def refusals(moderator: Moderator, fields: Mapping[str, str | None]) -> list[FieldRefusal]:
    """Each non-empty field that `moderator` refuses, with why. ModerationUnavailable propagates."""
    refused = []
    for field, text in fields.items():
        if not text:
            continue
        verdict = moderator.review(text)
        if verdict.flagged:
            refused.append(FieldRefusal(field=field, message=verdict.reason or "refused by moderation"))
    return refused


def unavailable_message(error: ModerationUnavailable) -> str:
    """The one wording every way in uses for a moderator that cannot decide."""
    return f"moderation cannot decide right now ({error}); nothing was accepted, please try again later"
