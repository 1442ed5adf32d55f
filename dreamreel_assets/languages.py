"""The languages a film can be made in, and who can write and speak each.

A language is offered when every stage can handle it: the LLM writers write it, eSpeak NG has a
voice for it and ElevenLabs' multilingual models speak it, and its text wraps at spaces and ends
sentences with . ! ? (subtitle layout relies on both). The embedded template writer writes English
only, so a deployment whose writer is the template offers English alone and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

LanguageCode = Literal[
    "en", "de", "es", "fr", "it", "pt", "nl", "pl", "sv", "da", "fi", "cs", "ro", "tr", "el", "ru", "uk",
]
ENGLISH = "en"


@dataclass(frozen=True)
class Language:
    code: str
    """ISO 639-1, as ElevenLabs' `language_code` takes it."""
    name: str
    """In English, for prompts and messages."""
    native: str
    """As its speakers write it, for the form."""
    espeak: str
    """The eSpeak NG voice that speaks it."""
    iso639_2: str
    """The MP4 subtitle track's language tag."""
    script: str = "LATIN"
    """The Unicode script of its letters (eSpeak skips letters of other scripts)."""


LANGUAGES: dict[str, Language] = {language.code: language for language in (
    Language("en", "English", "English", "en-us", "eng"),
    Language("de", "German", "Deutsch", "de", "ger"),
    Language("es", "Spanish", "Español", "es", "spa"),
    Language("fr", "French", "Français", "fr", "fre"),
    Language("it", "Italian", "Italiano", "it", "ita"),
    Language("pt", "Portuguese", "Português", "pt", "por"),
    Language("nl", "Dutch", "Nederlands", "nl", "dut"),
    Language("pl", "Polish", "Polski", "pl", "pol"),
    Language("sv", "Swedish", "Svenska", "sv", "swe"),
    Language("da", "Danish", "Dansk", "da", "dan"),
    Language("fi", "Finnish", "Suomi", "fi", "fin"),
    Language("cs", "Czech", "Čeština", "cs", "cze"),
    Language("ro", "Romanian", "Română", "ro", "rum"),
    Language("tr", "Turkish", "Türkçe", "tr", "tur"),
    Language("el", "Greek", "Ελληνικά", "el", "gre", script="GREEK"),
    Language("ru", "Russian", "Русский", "ru", "rus", script="CYRILLIC"),
    Language("uk", "Ukrainian", "Українська", "uk", "ukr", script="CYRILLIC"),
)}
assert tuple(LANGUAGES) == get_args(LanguageCode)

ALL_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)
TEMPLATE_LANGUAGES: tuple[str, ...] = (ENGLISH,)

WriterBackend = Literal["template", "transformers", "openai"]
PROFILE_WRITERS: dict[str, WriterBackend] = {"embedded": "template", "gpu": "transformers", "gpu-fast": "transformers"}
"""The writer each film job uses (`jobs.GPU_PROFILE` and `GPU_FAST_PROFILE` set it)."""


def writer_languages(backend: str) -> tuple[str, ...]:
    """What a writer backend writes: the template English only, a language model all of them."""
    return TEMPLATE_LANGUAGES if backend == "template" else ALL_LANGUAGES


def unwritable(language: str, backend: str) -> str | None:
    """Why `backend` cannot write a film in `language`, in words; None when it can."""
    if language in writer_languages(backend):
        return None
    name = LANGUAGES[language].name if language in LANGUAGES else repr(language)
    return (f"the {backend} script writer writes English only, not {name}: films in other languages "
            f"need a language-model writer (DREAMREEL_PROFILE=gpu, or writer backend openai or transformers)")
