"""The embedded moderator: a short list of terms no film request needs (`blocked_terms.txt`).

Matching is by whole words and phrases, never substrings ("snigger" and "Scunthorpe" pass), on
text normalised the way look-alike tricks are undone: NFKC (fullwidth and styled letters, ligatures),
case folding, accents and invisible format characters dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from dreamreel_assets.moderation import PASSED, Verdict

SHIPPED_TERMS = Path(__file__).with_name("blocked_terms.txt")
CATEGORY_WORDS = {
    "sexual/minors": "sexual content involving minors",
    "hate/slur": "a slur",
    "violence/instructions": "instructions for violence",
}
"""How a refusal names each category to the person (the term itself is never repeated)."""


def normalise(text: str) -> str:
    """NFKC, case-folded, without accents or invisible format characters (zero-width joiners...)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(char for char in decomposed if unicodedata.category(char) not in ("Mn", "Cf"))
    return unicodedata.normalize("NFC", kept)


def _pattern(term: str) -> str:
    words = [re.escape(word) for word in normalise(term).split()]
    return r"(?<!\w)" + r"[\s\-_.]+".join(words) + r"(?:e?s)?(?!\w)"


def read_terms(lines: Iterable[str]) -> dict[str, str]:
    """`term -> category` from the list's lines: `[category]` starts a section, `#` a comment."""
    terms: dict[str, str] = {}
    category = None
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1].strip()
            continue
        if category is None:
            raise ValueError(f"line {number}: {line!r} comes before any [category]")
        terms[line] = category
    return terms


class WordListModerator:
    """Refuses text containing any of `terms` (term -> category) as a whole word or phrase."""

    name = "words"

    def __init__(self, terms: Mapping[str, str]):
        by_category: dict[str, list[str]] = {}
        for term, category in terms.items():
            by_category.setdefault(category, []).append(_pattern(term))
        self._patterns = {category: re.compile("|".join(patterns))
                          for category, patterns in by_category.items()}

    def review(self, text: str) -> Verdict:
        plain = normalise(text)
        found = tuple(category for category, pattern in self._patterns.items() if pattern.search(plain))
        if not found:
            return PASSED
        named = ", ".join(CATEGORY_WORDS.get(category, category) for category in found)
        return Verdict(flagged=True, categories=found,
                       reason=f"contains words this server does not accept ({named})")


@cache
def shipped_word_list() -> WordListModerator:
    return WordListModerator(read_terms(SHIPPED_TERMS.read_text(encoding="utf-8").splitlines()))
