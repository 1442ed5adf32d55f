"""The moderation resource: what the request sensor checks themes and fix notes with.

`backend: auto` (the default) reads DREAMREEL_MODERATION when the moderator is built (at tick or
run time, never at import), as the API does at start: one variable sets both sides. Each field
left unset falls back to its variable the same way (DREAMREEL_MODERATION_URL, _MODEL, _API_KEY,
_TIMEOUT); give a key in config as {env: NAME}, never inline.
"""

import os
from typing import Literal

from dagster import ConfigurableResource
from pydantic import ValidationError

from dreamreel_assets.models import describe_validation_error
from dreamreel_assets.moderation import (
    ModerationSettings,
    ModerationUnavailable,
    Moderator,
    build_moderator,
    settings_from_env,
)


class ModerationResource(ConfigurableResource):
    backend: Literal["auto", "words", "openai", "off"] = "auto"
    """words: the word list shipped in the package; openai: an OpenAI-compatible moderation
    endpoint; off: nothing is refused; auto: DREAMREEL_MODERATION, else words."""
    base_url: str | None = None
    """openai: the endpoint's base, e.g. https://api.openai.com/v1."""
    model: str | None = None
    """openai: the moderation model (omni-moderation-latest)."""
    api_key: str | None = None
    """openai: the key, as {env: DREAMREEL_MODERATION_API_KEY}."""
    timeout_seconds: float | None = None
    """openai: seconds to wait for an answer (10)."""

    def moderation_settings(self) -> ModerationSettings:
        chosen = {"backend": None if self.backend == "auto" else self.backend, "base_url": self.base_url,
                  "model": self.model, "api_key": self.api_key, "timeout_s": self.timeout_seconds}
        values = {**settings_from_env(os.environ), **{k: v for k, v in chosen.items() if v is not None}}
        return ModerationSettings.model_validate(values)

    def moderator(self) -> Moderator:
        """The configured moderator; settings that cannot work are ModerationUnavailable, in words
        (whoever asks refuses to go on rather than let text through unmoderated)."""
        try:
            return build_moderator(self.moderation_settings())
        except ValidationError as error:
            raise ModerationUnavailable(f"the moderation settings are not valid: "
                                        f"{describe_validation_error(error)}") from None
        except ValueError as error:
            raise ModerationUnavailable(f"the moderation settings are not valid: {error}") from None
