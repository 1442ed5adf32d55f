"""Genres: one file each in data/genres/, holding what the form shows and the template writer's kit."""

from __future__ import annotations

from string import Formatter
from typing import Annotated, NamedTuple

from pydantic import AfterValidator, BeforeValidator, Field

from dreamreel_assets.catalog import CatalogModel, load_entries
from dreamreel_assets.models import Mood

STORY_SLOTS = frozenset({
    "hero", "he", "his", "him", "hero_role_a", "ally", "ally_he", "ally_his", "ally_him", "ally_role_a",
    "place", "time", "at_time", "weather", "thing", "mood", "feeling", "sound", "detail", "theme_sentence",
})
"""The slots a story sentence may fill; each also capitalised ({Hero}) for the start of a sentence."""
TITLE_SLOTS = frozenset({"Thing_n", "Place_n"})
"""The object and the first place without their article, in title case."""


def slots_in(template: str) -> set[str]:
    """The slot names a `str.format` template uses; ValueError for braces that do not pair."""
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def using_only(allowed: frozenset[str]):
    def check(template: str) -> str:
        unknown = sorted(slots_in(template) - allowed)
        if unknown:
            raise ValueError(f"unknown slot {{{unknown[0]}}} in {template!r}")
        return template
    return check


def _capitalised(slots: frozenset[str]) -> frozenset[str]:
    return slots | {slot[:1].upper() + slot[1:] for slot in slots}


Text = Annotated[str, AfterValidator(using_only(frozenset())), Field(min_length=1)]
"""Plain words: no slots."""
StoryTemplate = Annotated[str, AfterValidator(using_only(_capitalised(STORY_SLOTS) | TITLE_SLOTS)), Field(min_length=1)]
ActionTemplate = Annotated[str, AfterValidator(using_only(frozenset({"thing"}))), Field(min_length=1)]
Words = Annotated[tuple[Text, ...], Field(min_length=1)]
Templates = Annotated[tuple[StoryTemplate, ...], Field(min_length=1)]
Actions = Annotated[tuple[ActionTemplate, ...], Field(min_length=1)]


World = Annotated[str, Field(pattern=r"^[a-z][a-z-]*$")]
"""Where a story is set, broadly: sea, town, village, forest, mountain, river, desert, home, building,
castle, space, planet (or a word of your own: a world is only a shared tag)."""


class InWorlds(CatalogModel):
    """A place, weather, detail or sound, and the worlds it belongs to; none: it fits anywhere."""

    text: Text
    worlds: tuple[World, ...] = ()

    def fits(self, world: frozenset[str]) -> bool:
        return not self.worlds or not world or bool(world.intersection(self.worlds))


def _text_alone(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


Worldly = Annotated[InWorlds, BeforeValidator(_text_alone)]
"""Written as a plain string, or as { text = "...", worlds = [...] }."""


def within(items: tuple[InWorlds, ...], world: frozenset[str]) -> tuple[str, ...]:
    """The texts of `items` that fit a story set in `world` (every one when the world is open)."""
    return tuple(item.text for item in items if item.fits(world))


class TimeOfDay(NamedTuple):
    noun: str
    """e.g. 'dusk'."""
    phrase: str
    """How narration says it, e.g. 'at dusk'."""


class ArcBank(CatalogModel):
    """Sentences for each part of the story arc."""

    setup: Templates
    complication: Templates
    turn: Templates
    climax: Templates
    resolution: Templates

    def __getitem__(self, beat: str) -> tuple[str, ...]:
        return getattr(self, beat)


class Genre(CatalogModel):
    name: str
    label: str = Field(min_length=1, description="What the request form calls it.")
    description: str = Field(min_length=1, description="A line the form shows under the label.")
    mood: Mood = Field(description="The music's mood.")
    noun: str = Field(min_length=1, description="'In this quiet <noun>, ...' in the logline.")
    hero_roles: Words
    support_roles: Annotated[tuple[Text, ...], Field(min_length=3)]
    goals: Words
    stakes: Words
    things: Words
    places: Annotated[tuple[Worldly, ...], Field(min_length=5)]
    times: Annotated[tuple[TimeOfDay, ...], Field(min_length=5)]
    weathers: Annotated[tuple[Worldly, ...], Field(min_length=5)]
    moods: Words
    feelings: Words
    sounds: Annotated[tuple[Worldly, ...], Field(min_length=1)]
    details: Annotated[tuple[Worldly, ...], Field(min_length=1)]
    garments: Words
    props: Words
    actions: Actions
    titles: Templates
    atmosphere: Templates
    closers: Templates
    beats: ArcBank
    dialogue: ArcBank


def genres() -> dict[str, Genre]:
    """Every genre by name: the built-in ones and those DREAMREEL_DATA_PATHS adds."""
    return load_entries("genres", Genre)
