"""An OpenAI-compatible moderation endpoint: POST {base_url}/moderations {"model", "input"}.

Only `results[0].flagged` and `results[0].categories` are read. Every way the service can fail to
answer (no connection, too slow, an error status, our key refused, an answer of another shape)
is `ModerationUnavailable` in words: the caller refuses to go on rather than let text through.
The key is sent as a bearer token and never put in a message or a log.
"""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ValidationError

from dreamreel_assets.moderation import DEFAULT_MODERATION_MODEL, DEFAULT_TIMEOUT_S, PASSED, ModerationUnavailable, Verdict


class _Result(BaseModel):
    flagged: bool
    categories: dict[str, bool | None] = {}


class _Answer(BaseModel):
    results: list[_Result]


class ModerationEndpoint:
    name = "openai"

    def __init__(self, base_url: str, *, model: str = DEFAULT_MODERATION_MODEL, api_key: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, transport: httpx.BaseTransport | None = None):
        self.url = base_url.rstrip("/") + "/moderations"
        self.model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout_s
        self._transport = transport

    def __repr__(self) -> str:  # no key in reprs
        return f"ModerationEndpoint({self.url!r}, model={self.model!r})"

    def review(self, text: str) -> Verdict:
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(self.url, json={"model": self.model, "input": text}, headers=self._headers)
        except httpx.TimeoutException:
            raise ModerationUnavailable(f"the moderation service did not answer within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            raise ModerationUnavailable(
                f"cannot reach the moderation service ({type(error).__name__})") from None
        if response.status_code in (401, 403):
            raise ModerationUnavailable(
                f"the moderation service refused this server's API key ({response.status_code})")
        if response.status_code == 429:
            raise ModerationUnavailable("the moderation service is busy (429)")
        if response.status_code >= 400:
            raise ModerationUnavailable(f"the moderation service answered {response.status_code}")
        try:
            answer = _Answer.model_validate_json(response.content)
            result = answer.results[0]
        except (ValidationError, IndexError):
            raise ModerationUnavailable("the moderation service's answer is not a moderation result") from None
        if not result.flagged:
            return PASSED
        categories = tuple(name for name, hit in result.categories.items() if hit)
        return Verdict(flagged=True, categories=categories,
                       reason="refused by moderation" + (f": {', '.join(categories)}" if categories else ""))
