"""The cast: two to four characters, each with a name, a look and a voice nobody else has."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from dreamreel_assets.backends.writer.template.banks import PersonHint, voices_for, writer_data
from dreamreel_assets.backends.writer.template.theme import ThemeHints, role_sex
from dreamreel_assets.backends.writer.template.words import article
from dreamreel_assets.catalog.genres import Genre
from dreamreel_assets.models import Character

PRONOUNS = {"f": ("she", "her", "her"), "m": ("he", "his", "him")}


@dataclass(frozen=True)
class Person:
    character: Character
    sex: str
    role_noun: str
    brief: str
    """A few visual words for shot prompts, e.g. 'red hair, teal raincoat'."""

    @property
    def name(self) -> str:
        return self.character.name

    def pronouns(self, prefix: str = "") -> dict[str, str]:
        he, his, him = PRONOUNS[self.sex]
        return {f"{prefix}he": he, f"{prefix}his": his, f"{prefix}him": him}


@dataclass
class Taken:
    """Names, colours and props earlier characters already have, so each character stands apart."""

    names: set[str] = field(default_factory=set)
    colours: set[str] = field(default_factory=set)
    props: set[str] = field(default_factory=set)
    hair: set[str] = field(default_factory=set)
    voices: set[str] = field(default_factory=set)


def cast(hints: ThemeHints, genre: Genre, size: int, rng: random.Random) -> list[Person]:
    roles = list(hints.people)
    if roles and roles[0].plural:  # "two rival chefs": hero and ally share the role
        roles.insert(1, roles[0])
    if not roles:
        roles.append(PersonHint(rng.choice(genre.hero_roles)))
    supports = rng.sample(genre.support_roles, len(genre.support_roles))
    size = max(size, min(len(roles), 4))
    while len(roles) < size:
        role = supports.pop()
        roles.append(PersonHint(role, sex=role_sex(role)))
    taken = Taken()
    return [_person(hint, genre, rng, taken) for hint in roles[:size]]


def _person(hint: PersonHint, genre: Genre, rng: random.Random, taken: Taken) -> Person:
    looks = writer_data().cast
    sex = hint.sex or rng.choice("fm")
    age = hint.age or rng.choice(("young", "adult", "adult", "elder"))
    creature = looks.creatures.get(hint.kind)
    names = creature.names if creature else looks.female_names if sex == "f" else looks.male_names
    name = _fresh(rng, names, taken.names)
    if hint.kind == "human":
        look, brief = _human_look(age, sex, genre, hint.prop, rng, taken)
    else:
        look, brief = _creature_look(hint.kind, rng, taken)
    character = Character(
        id=_identifier(name),
        name=name,
        role=f"the {hint.role}",
        age=age,
        look=look,
        voice=_voice(age, sex, rng, taken),
    )
    return Person(character, sex, hint.role, brief)


def _human_look(
    age: str, sex: str, genre: Genre, prop: str | None, rng: random.Random, taken: Taken
) -> tuple[str, str]:
    looks = writer_data().cast
    hair_colour = _fresh(rng, looks.hair_colours[age], taken.hair)
    hair = rng.choice(looks.hair_styles[sex]).format(c=hair_colour)
    colour = _fresh(rng, looks.colours, taken.colours)
    garment = rng.choice([g for g in genre.garments if sex == "f" or not re.search(r"dress|nightgown", g)])
    feature = prop or _fresh(rng, genre.props, taken.props)
    look = f"{_age_phrase(age, sex, rng)} with {hair}, in {article(colour)} {colour} {garment}, always with {feature}"
    return look, f"{hair_colour} hair, {colour} {garment}"


def _creature_look(kind: str, rng: random.Random, taken: Taken) -> tuple[str, str]:
    looks = writer_data().cast
    creature = looks.creatures[kind]
    body = _fresh(rng, creature.colours, taken.colours)
    accent, trim = _fresh(rng, looks.colours, taken.colours), _fresh(rng, looks.colours, taken.colours)
    return creature.look.format(c1=body, c2=accent, c3=trim), f"{body} {kind}"


def _fresh(rng: random.Random, options: Iterable[str], used: set[str]) -> str:
    """A random option nobody has yet (any option once all are used), marked as used."""
    options = list(options)
    choice = rng.choice([option for option in options if option not in used] or options)
    used.add(choice)
    return choice


def _age_phrase(age: str, sex: str, rng: random.Random) -> str:
    noun = "woman" if sex == "f" else "man"
    if age == "child":
        return f"a {'girl' if sex == 'f' else 'boy'} of about {rng.choice(('eight', 'nine', 'ten', 'eleven'))}"
    if age == "young":
        return f"a young {noun}"
    if age == "elder":
        return f"an old {noun}"
    return f"a {noun} in {PRONOUNS[sex][1]} {rng.choice(('thirties', 'forties', 'fifties'))}"


def _voice(age: str, sex: str, rng: random.Random, taken: Taken) -> str:
    return _fresh(rng, voices_for(age if age == "child" else f"{age}-{sex}"), taken.voices)


def _identifier(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return slug if slug[:1].isalpha() else f"c_{slug}"
