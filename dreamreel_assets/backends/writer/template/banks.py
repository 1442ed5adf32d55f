"""The template writer's own data (dreamreel_assets/data/template_writer/*.toml), loaded once.

Genres bring their own kits (catalog.genres); these are what every genre shares: the sentence
banks drawn on after the genre's own, the words looked for in a theme, and how characters are
named and drawn.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, NamedTuple

from pydantic import AfterValidator, Field

from dreamreel_assets.catalog import BUILT_IN, CatalogError, CatalogModel, Entry, load_file
from dreamreel_assets.catalog.genres import Actions, ArcBank, Templates, Text, Words, World, using_only
from dreamreel_assets.catalog.voices import voices
from dreamreel_assets.models import Age

FOLDER = BUILT_IN / "template_writer"

Expressions = Annotated[tuple[Annotated[str, AfterValidator(using_only(frozenset({"feeling"})))], ...],
                        Field(min_length=1)]
HairStyle = Annotated[str, AfterValidator(using_only(frozenset({"c"})))]
CreatureLook = Annotated[str, AfterValidator(using_only(frozenset({"c1", "c2", "c3"})))]


class Sentences(CatalogModel):
    openers: Templates
    introductions: Templates
    theme_intros: Templates
    theme_echoes: Templates
    atmosphere: Templates
    closers: Templates
    actions: Actions
    expressions: Expressions
    thing_poses: Words
    beats: ArcBank
    dialogue: ArcBank
    scene_titles: ArcBank


class PersonHint(NamedTuple):
    """Who a theme names: 'a retired violinist' is a violinist, elder, with a violin case."""

    role: str
    age: Age | None = None
    sex: str | None = None
    kind: str = "human"
    """'human', or one of the creatures of cast.toml."""
    prop: str | None = None
    plural: bool = False


class ThemePlace(CatalogModel):
    """A place a theme names: what the story calls it, its worlds, and parts of it for scenes."""

    place: Text
    worlds: Annotated[tuple[World, ...], Field(min_length=1)]
    parts: Words


class ThemeWords(CatalogModel):
    people: dict[str, PersonHint]
    places: dict[str, ThemePlace]
    things: dict[str, str]
    age_modifiers: dict[str, Age]


class Creature(CatalogModel):
    names: Words
    colours: Words
    look: CreatureLook


class CastLooks(CatalogModel):
    colours: Words
    female_names: Words
    male_names: Words
    female_role_words: Words
    male_role_words: Words
    hair_colours: dict[Age, Words]
    hair_styles: dict[str, tuple[HairStyle, ...]]
    voices: dict[str, Words]
    creatures: dict[str, Creature]


LightWords = Annotated[tuple[Text, ...], Field(min_length=2)]


class StyleLight(CatalogModel):
    """Words for each visual style's light, by style."""

    fallback: LightWords
    styles: dict[str, LightWords]

    def of(self, style: str) -> tuple[str, ...]:
        return self.styles.get(style, self.fallback)


class WriterData(NamedTuple):
    sentences: Sentences
    theme_words: ThemeWords
    cast: CastLooks
    style_light: StyleLight


@cache
def writer_data() -> WriterData:
    theme_words, cast = _load("theme_words", ThemeWords), _load("cast", CastLooks)
    kinds = {hint.kind for hint in theme_words.people.values()} - {"human"}
    if unknown := sorted(kinds - set(cast.creatures)):
        raise CatalogError(f"template_writer/theme_words.toml: people: kind {unknown[0]!r} is not a creature "
                           f"of cast.toml")
    return WriterData(_load("sentences", Sentences), theme_words, cast, _load("style_light", StyleLight))


def _load(name: str, model: type[Entry]) -> Entry:
    return load_file(FOLDER / f"{name}.toml", model, f"template_writer/{name}.toml")


def voices_for(group: str) -> tuple[str, ...]:
    """The voices a character of `group` ('child', 'adult-f', ...) may get, each a catalog voice."""
    options = writer_data().cast.voices[group]
    known = voices()
    if unknown := [name for name in options if name not in known]:
        raise CatalogError(f"template_writer/cast.toml: voices.{group}: {unknown[0]!r} is not a voice of the catalog")
    return options
