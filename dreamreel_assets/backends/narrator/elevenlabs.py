"""Narration with ElevenLabs, through the official `elevenlabs` SDK.

Each line is spoken in its speaker's voice with character timestamps (text to speech "with
timestamps"), so every subtitle cue starts and ends where its sentence is heard. Lines go out at
most `max_concurrency` at a time (ElevenLabs limits concurrent requests per plan: 2 on the free
plan, up to 15); a 429 is waited out as ElevenLabs means it (Retry-After when it says, else a
growing pause), as are 5xx answers and timeouts, a bounded number of times. A bad key, a used-up
quota or a voice that does not exist fail at once, in words. Every line spoken is kept in a local
cache keyed by its text, voice, model and settings, so a re-run or a fix never pays for it twice.

The API key is read from ELEVENLABS_API_KEY by the resource that builds this narrator: it is never
part of a run's config and never logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dreamreel_assets.backends.narrator import NarrationFailed, SpokenScene
from dreamreel_assets.backends.narrator.espeak import LINE_GAP_S, split_sentences
from dreamreel_assets.catalog.voices import NARRATOR_VOICE, voices
from dreamreel_assets.languages import ENGLISH, LANGUAGES
from dreamreel_assets.models import Cue, Line

SAMPLE_RATE = 22_050
OUTPUT_FORMAT = f"pcm_{SAMPLE_RATE}"
DEFAULT_MODEL = "eleven_multilingual_v2"
DEFAULT_PRESET = NARRATOR_VOICE


def default_voice_ids() -> dict[str, str]:
    """ElevenLabs' premade voice for each DreamReel voice preset (data/voices/*.toml, [elevenlabs]);
    `dreamreel voices` lists yours."""
    return {name: voice.elevenlabs.voice_id for name, voice in voices().items()}


def __getattr__(name: str):
    if name == "DEFAULT_VOICES":  # the earlier name, kept for importers; follows the catalog
        return default_voice_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RETRY_AFTER_MAX_S = 60.0
ENGLISH_ONLY_MODELS = frozenset({"eleven_monolingual_v1", "eleven_turbo_v2", "eleven_flash_v2"})
LANGUAGE_CODE_MODELS = frozenset({"eleven_turbo_v2_5", "eleven_flash_v2_5"})
"""Models that take a `language_code` to enforce; the multilingual ones tell the language from the text."""


class ElevenLabsError(NarrationFailed):
    """Why ElevenLabs could not speak a line, in words."""


@dataclass(frozen=True)
class SpokenLine:
    samples: np.ndarray
    starts: list[float]
    ends: list[float]
    """Each character's start and end, seconds into `samples` (the text sent, character by character)."""


class ElevenLabsNarrator:
    name = "elevenlabs"

    def __init__(self, client, *, model_id: str = DEFAULT_MODEL, voice_ids: dict[str, str] | None = None,
                 max_concurrency: int = 2, max_tries: int = 4, cache_dir: Path | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.client, self.model_id = client, model_id
        self.voice_ids = {**default_voice_ids(), **(voice_ids or {})}
        self.max_concurrency, self.max_tries = max(1, max_concurrency), max(1, max_tries)
        self.cache_dir, self.sleep = cache_dir, sleep
        self._slots = threading.BoundedSemaphore(self.max_concurrency)
        self.calls = 0
        mapping = json.dumps(self.voice_ids, sort_keys=True)
        self.fingerprint = f"{self.name}:{model_id}:{hashlib.sha256(mapping.encode()).hexdigest()[:12]}"

    def speak(self, lines: list[Line], voices: dict[str, str], take: int = 0, language: str = ENGLISH) -> SpokenScene:
        if language != ENGLISH and self.model_id in ENGLISH_ONLY_MODELS:
            raise ElevenLabsError(f"the ElevenLabs model {self.model_id} speaks English only, not "
                                  f"{LANGUAGES[language].name}: use eleven_multilingual_v2")
        # 1. The text each line is spoken as (sentences with their whitespace collapsed).
        texts = [" ".join(split_sentences(line.text)) for line in lines]
        # 2. Every line spoken (from the cache, or at most max_concurrency requests at a time).
        with ThreadPoolExecutor(max_workers=self.max_concurrency) as pool:
            spoken = list(pool.map(lambda job: self._line(*job, take, language),
                                   [(text, self.voice_for(line.speaker, voices)) for line, text in zip(lines, texts)]))
        # 3. The lines one after another, and a cue per sentence from its characters' times.
        segments, cues, cursor = [], [], 0.0
        gap = np.zeros(round(LINE_GAP_S * SAMPLE_RATE), dtype=np.float32)
        for line, text, said in zip(lines, texts, spoken):
            if segments:
                segments.append(gap)
                cursor += LINE_GAP_S
            cues += sentence_cues(text, said, cursor, line.speaker)
            segments.append(said.samples)
            cursor += len(said.samples) / SAMPLE_RATE
        samples = np.concatenate(segments) if segments else gap
        return SpokenScene(samples=samples, sample_rate=SAMPLE_RATE, cues=cues)

    def voice_for(self, speaker: str, voices: dict[str, str]) -> str:
        preset = voices.get(speaker, DEFAULT_PRESET)
        return self.voice_ids.get(preset) or self.voice_ids[DEFAULT_PRESET]

    def _line(self, text: str, voice_id: str, take: int, language: str) -> SpokenLine:
        request = {"text": text, "voice_id": voice_id, "model_id": self.model_id, "output_format": OUTPUT_FORMAT,
                   "seed": take or None}
        if self.model_id in LANGUAGE_CODE_MODELS:
            request["language_code"] = language
        cached = self._cached(request)
        if cached is not None:
            return cached
        said = self._with_retries(lambda: self._request(request))
        self._keep(request, said)
        return said

    def _request(self, request: dict) -> SpokenLine:
        optional = {"seed": request["seed"]} if request["seed"] else {}
        if "language_code" in request:
            optional["language_code"] = request["language_code"]
        with self._slots:
            self.calls += 1
            answer = self.client.text_to_speech.convert_with_timestamps(
                request["voice_id"], text=request["text"], model_id=request["model_id"],
                output_format=OUTPUT_FORMAT, request_options={"max_retries": 0}, **optional,
            )
        pcm = base64.b64decode(answer.audio_base_64)
        samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
        alignment = answer.alignment
        if alignment is None or not alignment.characters:
            raise ElevenLabsError("ElevenLabs answered without character timestamps")
        return SpokenLine(samples, list(alignment.character_start_times_seconds),
                          list(alignment.character_end_times_seconds))

    def _with_retries(self, call: Callable[[], SpokenLine]) -> SpokenLine:
        import httpx
        from elevenlabs.core.api_error import ApiError

        for attempt in range(1, self.max_tries + 1):
            try:
                return call()
            except ApiError as error:
                wait_s, reason = classify(error, attempt)
            except httpx.TimeoutException:
                wait_s, reason = float(2 ** (attempt - 1)), "ElevenLabs did not answer in time"
            except httpx.TransportError as error:
                wait_s, reason = float(2 ** (attempt - 1)), f"cannot reach ElevenLabs ({type(error).__name__})"
            if wait_s is None or attempt == self.max_tries:
                tries = f" (after {attempt} tries)" if attempt > 1 else ""
                raise ElevenLabsError(f"{reason}{tries}") from None
            self.sleep(wait_s)
        raise AssertionError("unreachable")

    # --- the cache ------------------------------------------------------------------------------

    def _cache_path(self, request: dict) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.npz"

    def _cached(self, request: dict) -> SpokenLine | None:
        path = self._cache_path(request)
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path) as kept:
                return SpokenLine(kept["samples"], kept["starts"].tolist(), kept["ends"].tolist())
        except (OSError, ValueError, KeyError):
            return None

    def _keep(self, request: dict, said: SpokenLine) -> None:
        path = self._cache_path(request)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.stem}.{threading.get_ident()}.partial.npz")
        np.savez(partial, samples=said.samples, starts=np.array(said.starts), ends=np.array(said.ends))
        partial.replace(path)


def classify(error, attempt: int) -> tuple[float | None, str]:
    """(seconds to wait before trying again, or None to give up) and the reason in words."""
    status = error.status_code or 0
    detail = _detail(error.body)
    code, message = str(detail.get("status") or detail.get("code") or ""), str(detail.get("message") or "")
    if code == "quota_exceeded":
        return None, f"the ElevenLabs account has used up its quota: {message or 'no characters left'}"
    if code in ("voice_not_found", "voice_does_not_exist") or (status == 404 and "voice" in message.lower()):
        return None, f"ElevenLabs has no such voice: {message or code} (map the preset to one of yours: `dreamreel voices`)"
    if status == 401:
        return None, "ElevenLabs refused the API key: check ELEVENLABS_API_KEY"
    if status == 429:
        wait_s = _retry_after(error.headers) or float(2 ** (attempt - 1))
        if code == "too_many_concurrent_requests":
            return wait_s, "ElevenLabs refused more requests at once than the plan allows (lower max_concurrency)"
        return wait_s, f"ElevenLabs is busy ({code or 'rate limited'})"
    if status >= 500:
        return _retry_after(error.headers) or float(2 ** (attempt - 1)), f"ElevenLabs failed (HTTP {status})"
    return None, f"ElevenLabs refused the request (HTTP {status}): {message or code or 'no reason given'}"


def _detail(body) -> dict:
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return {"message": body[:200]}
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        return detail
    return {"message": str(detail)} if detail else {}


def _retry_after(headers) -> float | None:
    value = {k.lower(): v for k, v in (headers or {}).items()}.get("retry-after")
    try:
        return min(max(float(value), 0.0), RETRY_AFTER_MAX_S) if value is not None else None
    except ValueError:
        return None


def sentence_cues(text: str, said: SpokenLine, offset: float, speaker: str) -> list[Cue]:
    """A cue per sentence of `text`, from the times of its first and last characters."""
    count = len(said.starts)
    scale = count / max(len(text), 1)  # the alignment should cover `text` exactly; be lenient if not
    cues, position = [], 0
    for sentence in split_sentences(text):
        first = text.find(sentence, position)
        first = position if first < 0 else first
        last = first + len(sentence) - 1
        position = last + 1
        begin, end = min(int(first * scale), count - 1), min(int(last * scale), count - 1)
        cues.append(Cue(start=offset + said.starts[begin], end=offset + max(said.ends[end], said.starts[begin]),
                        speaker=speaker, text=sentence))
    return cues
