"""Reading the theme: the people, places and central object it names, in the order it does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dreamreel_assets.backends.writer.template.banks import PersonHint, ThemePlace, writer_data


@dataclass(frozen=True)
class ThemeHints:
    people: tuple[PersonHint, ...]
    places: tuple[ThemePlace, ...]
    thing: str | None

    @property
    def world(self) -> frozenset[str]:
        """The worlds of the places the theme names; empty when it names none."""
        return frozenset(world for place in self.places for world in place.worlds)


@cache
def _pattern(key: str) -> re.Pattern[str]:
    if key.isascii():
        return re.compile(rf"\b{re.escape(key)}(?P<plural>e?s)?\b")
    return re.compile(re.escape(key) + "(?P<plural>)")  # scripts without spaces have no word edges


def find(text: str, lexicon: dict) -> list[tuple[int, str, bool]]:
    """(position, key, plural) for each lexicon entry in `text`; longer keys win overlaps."""
    found: list[tuple[int, str, bool]] = []
    taken: list[tuple[int, int]] = []
    for key in sorted(lexicon, key=len, reverse=True):
        for match in _pattern(key).finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), key, bool(match.group("plural"))))
    return sorted(found)


def read_theme(theme: str) -> ThemeHints:
    """Pick out the people, places and central object a theme mentions, in the order it does."""
    lexicons = writer_data().theme_words
    text = theme.lower()
    people = [_person_hint(text, position, key, plural) for position, key, plural in find(text, lexicons.people)]
    people = list({hint.role: hint for hint in reversed(people)}.values())[::-1]  # first mention of each role
    if people and people[0].kind == "human" and people[0].sex is None:
        people[0] = people[0]._replace(sex=_pronoun_sex(text))
    named = [lexicons.places[key] for _, key, _ in find(text, lexicons.places)]
    places = list({place.place: place for place in named}.values())  # in the order first mentioned
    things = [lexicons.things[key] for _, key, _ in find(text, lexicons.things)]
    return ThemeHints(tuple(people), tuple(places), things[0] if things else None)


def _person_hint(text: str, position: int, key: str, plural: bool) -> PersonHint:
    lexicons = writer_data().theme_words
    hint = lexicons.people[key]._replace(plural=plural)
    words_before = text[:position].split()
    if words_before and words_before[-1] in lexicons.age_modifiers:
        hint = hint._replace(age=lexicons.age_modifiers[words_before[-1]])
    return hint


def role_sex(role: str) -> str | None:
    """The sex a role's own words imply ('landlady', 'estranged brother'), if any."""
    cast = writer_data().cast
    if re.search(rf"\b({'|'.join(cast.female_role_words)})\b", role):
        return "f"
    if re.search(rf"\b({'|'.join(cast.male_role_words)})\b", role):
        return "m"
    return None


def _pronoun_sex(text: str) -> str | None:
    if re.search(r"\b(she|her|herself)\b", text):
        return "f"
    if re.search(r"\b(he|his|him|himself)\b", text):
        return "m"
    return None
