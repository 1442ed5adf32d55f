"""Narration with eSpeak NG, driven in-process through ctypes (no network, no model weights).

eSpeak keeps its state in process globals, so the library is initialised once per process, on
first use, and every call into it holds one lock. That state also carries over between
utterances (the pitch "flutter" phase, in particular), and no API resets it: the same text can
come out a few milliseconds longer or shorter from one call to the next, so narration is not
bit-for-bit reproducible, though cues always match the samples they describe.
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from dreamreel_assets.backends.narrator import SpokenScene
from dreamreel_assets.catalog.voices import NARRATOR_VOICE, voices
from dreamreel_assets.languages import ENGLISH, LANGUAGES
from dreamreel_assets.models import Cue, Line

SAMPLE_RATE = 22_050
SENTENCE_GAP_S = 0.25
LINE_GAP_S = 0.45
EMPTY_SENTENCE_S = 0.25
DEFAULT_PRESET = NARRATOR_VOICE

# Silence trimming around each sentence: anything below this level counts as silence, and a
# little is kept on each side so onsets and decays are not clipped.
_SILENCE_LEVEL = 0.01
_KEEP_BEFORE_S = 0.01
_KEEP_AFTER_S = 0.03

# speak_lib.h constants.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PARAM_RATE, _PARAM_PITCH, _PARAM_RANGE = 1, 3, 4
_BUFFER_MS = 200


@dataclass(frozen=True)
class VoiceSettings:
    language: str
    """An eSpeak voice, e.g. "en-us"."""
    variant: str
    """A file in espeak-ng-data/voices/!v; dropped when the shipped data lacks it."""
    pitch: int
    """eSpeak base pitch, 0-100 (50 is the variant's own)."""
    pitch_range: int
    """eSpeak intonation range, 0-100 (0 is monotone)."""
    rate: int
    """eSpeak's words per minute; eSpeak runs a little fast, so these sit below the target."""


def espeak_voices() -> dict[str, VoiceSettings]:
    """Each voice preset as eSpeak speaks it (data/voices/*.toml, [espeak]). Rates are calibrated so
    a line of several sentences, pauses included, lands near 145 words per minute (the elder near 130)."""
    return {name: VoiceSettings(**voice.espeak.model_dump()) for name, voice in voices().items()}


class EspeakNarrator:
    """Speaks scenes with the eSpeak NG shipped by `espeakng-loader`, one cue per sentence."""

    name = "espeak-ng"
    fingerprint = "espeak-ng"

    def speak(self, lines: list[Line], voices: dict[str, str], take: int = 0, language: str = ENGLISH) -> SpokenScene:
        segments: list[np.ndarray] = []
        cues: list[Cue] = []
        cursor = 0
        script = LANGUAGES[language].script
        for line in lines:
            settings = delivery(in_language(espeak_voices()[preset_for(line.speaker, voices)], language), take)
            for sentence_number, sentence in enumerate(split_sentences(line.text)):
                if segments:
                    gap = SENTENCE_GAP_S if sentence_number else LINE_GAP_S
                    segments.append(_silence(gap))
                    cursor += len(segments[-1])
                audio = trim_silence(_engine().synthesize(speakable_text(sentence, script), settings))
                if audio.size:
                    cues.append(_cue(cursor, len(audio), line.speaker, sentence))
                else:
                    audio = _silence(EMPTY_SENTENCE_S)
                segments.append(audio)
                cursor += len(audio)
        samples = np.concatenate(segments) if segments else _silence(EMPTY_SENTENCE_S)
        return SpokenScene(samples=samples, sample_rate=SAMPLE_RATE, cues=cues)

    def voice_name(self, preset: str, language: str = ENGLISH) -> str:
        """The eSpeak voice a preset resolves to with the shipped data, e.g. "en-us+m3"."""
        return _engine().voice_name(in_language(espeak_voices()[preset], language))


def in_language(settings: VoiceSettings, language: str) -> VoiceSettings:
    """The preset speaking `language`: its variant, pitch and pace on that language's voice.
    English keeps the preset's own accent (American or British)."""
    return settings if language == ENGLISH else replace(settings, language=LANGUAGES[language].espeak)


TAKE_VARIATIONS = ((0, 0, 0), (-6, 4, 8), (5, -4, -6), (-3, -6, 12), (3, 6, -8))
"""(rate, pitch, pitch range) offsets of successive takes: a little slower and livelier, then
a little brisker and flatter, ...; take 0 is the preset itself."""


def delivery(settings: VoiceSettings, take: int) -> VoiceSettings:
    """The preset as spoken in `take`: the same voice, its pace and intonation varied a little."""
    if take <= 0:
        return settings
    rate, pitch, pitch_range = TAKE_VARIATIONS[(take - 1) % (len(TAKE_VARIATIONS) - 1) + 1]
    return replace(settings, rate=settings.rate + rate, pitch=min(100, max(0, settings.pitch + pitch)),
                   pitch_range=min(100, max(0, settings.pitch_range + pitch_range)))


def preset_for(speaker: str, voices: dict[str, str]) -> str:
    """The speaker's preset, or the warm narrator when it is missing or unknown."""
    preset = voices.get(speaker, DEFAULT_PRESET)
    return preset if preset in espeak_voices() else DEFAULT_PRESET


def _cue(start_sample: int, length: int, speaker: str, text: str) -> Cue:
    return Cue(
        start=start_sample / SAMPLE_RATE,
        end=(start_sample + length) / SAMPLE_RATE,
        speaker=speaker,
        text=text,
    )


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def trim_silence(audio: np.ndarray) -> np.ndarray:
    """`audio` without its leading and trailing silence, keeping a few ms either side."""
    loud = np.flatnonzero(np.abs(audio) > _SILENCE_LEVEL)
    if loud.size == 0:
        return audio[:0]
    start = max(0, loud[0] - round(_KEEP_BEFORE_S * SAMPLE_RATE))
    end = min(len(audio), loud[-1] + 1 + round(_KEEP_AFTER_S * SAMPLE_RATE))
    return audio[start:end]


# --- text -------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt prof sr jr vs etc e.g i.e capt gen col lt sgt rev fig approx".split()
)
# A sentence ends at terminal punctuation (plus closing quotes or brackets) followed by
# whitespace, or at CJK full stops, which need no space after them.
_SENTENCE_END = re.compile(r"""[.!?\u2026]+["'\u201d\u2019\u00bb)\]]*\s+|[\u3002\uff01\uff1f]+\s*""")
_LAST_WORD = re.compile(r"([\w.]+)[.]$")

# Typographic punctuation eSpeak reads badly, mapped to plain ASCII it pauses on.
_PUNCTUATION_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": ", ", "\u2014": ", ", "\u2026": "...", "/": " ",
    "\u3001": ", ", "\u3002": ". ", "\uff01": "! ", "\uff1f": "? ",
})
# ASCII that eSpeak would either read out ("asterisk", "tilde") or parse as markup.
_UNSPOKEN_ASCII = frozenset("{}[]<>\\|^_~`*")


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, as they should be shown, with whitespace collapsed."""
    text = " ".join("".join(" " if _is_control(ch) else ch for ch in text).split())
    sentences, start = [], 0
    for end_match in _SENTENCE_END.finditer(text):
        candidate = text[start:end_match.end()].strip()
        continues_lowercase = text[end_match.end():end_match.end() + 1].islower()
        if continues_lowercase or _ends_with_abbreviation(candidate):
            continue
        sentences.append(candidate)
        start = end_match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _ends_with_abbreviation(sentence: str) -> bool:
    match = _LAST_WORD.search(sentence)
    if not match:
        return False
    word = match.group(1).lower()
    # Single letters are initials ("J. R. Tolkien"); "e.g." and "i.e." end on a dot themselves.
    return word in _ABBREVIATIONS or len(word) == 1 or word.rstrip(".") in _ABBREVIATIONS


def speakable_text(sentence: str, script: str = "LATIN") -> str:
    """`sentence` as eSpeak should read it: letters of the language's script, digits and plain
    punctuation only.

    Other scripts are left out rather than spelled: the English voices would read Japanese or
    Arabic as "Chinese letter, Chinese letter...". The subtitle still shows the original text.
    """
    text = unicodedata.normalize("NFKC", sentence).translate(_PUNCTUATION_MAP)
    kept = "".join(ch if _is_speakable(ch, script) else " " for ch in text)
    return " ".join(kept.split())


def _is_speakable(ch: str, script: str) -> bool:
    if ch.isascii():
        return ch not in _UNSPOKEN_ASCII and (ch.isprintable() or ch.isspace())
    category = unicodedata.category(ch)
    if category.startswith("L"):
        return unicodedata.name(ch, "").startswith((script, "LATIN"))
    return category == "Sc"  # currency signs read well ("five euros")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


# --- the library ------------------------------------------------------------------------------

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_LOCK = threading.Lock()
_ENGINE: _Espeak | None = None


def _engine() -> _Espeak:
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _ENGINE = _Espeak()
        return _ENGINE


class _Espeak:
    """libespeak-ng in synchronous mode, collecting samples through the synth callback."""

    def __init__(self) -> None:
        import espeakng_loader

        self._data_path = Path(espeakng_loader.get_data_path())
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._declare_signatures()
        rate = self._lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, str(self._data_path).encode(),
            _INITIALIZE_DONT_EXIT,
        )
        if rate != SAMPLE_RATE:
            raise RuntimeError(f"eSpeak NG failed to initialise (returned {rate})")
        self._chunks: list[np.ndarray] = []
        self._callback = _SynthCallback(self._collect)  # kept: eSpeak holds only the pointer
        self._lib.espeak_SetSynthCallback(self._callback)
        self._voice_names: dict[VoiceSettings, bytes] = {}

    def _declare_signatures(self) -> None:
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]

    def _collect(self, wav, count: int, _events) -> int:
        if count > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0: carry on synthesising

    def synthesize(self, text: str, settings: VoiceSettings) -> np.ndarray:
        """Mono float32 samples of `text`; empty when there is nothing to say."""
        if not text:
            return np.zeros(0, dtype=np.float32)
        encoded = text.encode("utf-8") + b"\0"
        with _LOCK:
            self._select_voice(settings)
            self._chunks = []
            error = self._lib.espeak_Synth(
                encoded, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            chunks, self._chunks = self._chunks, []
        if error:
            raise RuntimeError(f"eSpeak NG could not speak {text[:40]!r} (error {error})")
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(chunks).astype(np.float32) / np.float32(32768)

    def voice_name(self, settings: VoiceSettings) -> str:
        with _LOCK:
            return self._resolve(settings).decode()

    def _resolve(self, settings: VoiceSettings) -> bytes:
        if settings not in self._voice_names:
            self._voice_names[settings] = self._first_loadable_voice(settings)
        return self._voice_names[settings]

    def _select_voice(self, settings: VoiceSettings) -> None:
        self._lib.espeak_SetVoiceByName(self._resolve(settings))
        self._lib.espeak_SetParameter(_PARAM_RATE, settings.rate, 0)
        self._lib.espeak_SetParameter(_PARAM_PITCH, settings.pitch, 0)
        self._lib.espeak_SetParameter(_PARAM_RANGE, settings.pitch_range, 0)

    def _first_loadable_voice(self, settings: VoiceSettings) -> bytes:
        languages = [settings.language, "en"]
        candidates = languages.copy()
        if (self._data_path / "voices" / "!v" / settings.variant).is_file():
            candidates = [f"{language}+{settings.variant}" for language in languages] + candidates
        for name in candidates:
            if self._lib.espeak_SetVoiceByName(name.encode()) == 0:
                return name.encode()
        raise RuntimeError(f"eSpeak NG has none of the voices {candidates}")
