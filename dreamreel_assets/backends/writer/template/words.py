"""Small text helpers the template writer's sentences and titles are made with."""

from __future__ import annotations

import re

SMALL_TITLE_WORDS = {"a", "an", "and", "at", "by", "during", "for", "from", "in", "of", "on", "the", "to", "with"}
SENTENCE_ENDINGS = ".!?…。！？"


def words(text: str) -> int:
    return len(text.split())


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def with_article(noun: str) -> str:
    return f"{article(noun)} {noun}"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def without_article(phrase: str) -> str:
    return re.sub(r"^(the|a|an) ", "", phrase)


def title_case(text: str) -> str:
    parts = text.split()
    return " ".join(
        word.lower() if i and word.lower() in SMALL_TITLE_WORDS else capital(word) for i, word in enumerate(parts)
    )


def as_sentence(text: str) -> str:
    return text if text[-1] in SENTENCE_ENDINGS else f"{text}."
