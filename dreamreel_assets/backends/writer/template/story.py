"""The story: its cast, object and decks, the scenes planned along the arc, and what fills a template."""

from __future__ import annotations

import hashlib
import random
from itertools import cycle, islice
from dataclasses import dataclass, field

from dreamreel_assets.backends.writer.template.banks import writer_data
from dreamreel_assets.backends.writer.template.cast import Person, cast
from dreamreel_assets.backends.writer.template.decks import Deck, Render
from dreamreel_assets.backends.writer.template.sizing import (
    ARCS,
    BEAT_WEIGHT,
    SHORT_FILM_S,
    scene_count_for,
    word_target,
)
from dreamreel_assets.backends.writer.template.theme import ThemeHints, read_theme
from dreamreel_assets.backends.writer.template.words import (
    as_sentence,
    capital,
    title_case,
    with_article,
    without_article,
)
from dreamreel_assets.catalog.genres import Genre, InWorlds, TimeOfDay, genres, within
from dreamreel_assets.models import FilmRequest

WRITER_SALT = "dreamreel-template-writer-v1"
"""Mixed into the seed so this writer's randomness never lines up with another stage's."""


@dataclass(frozen=True)
class ScenePlan:
    index: int
    beat: str
    place: str
    time: TimeOfDay
    weather: str
    cast: tuple[Person, ...]
    visuals: tuple[str, ...]
    world: frozenset[str] = frozenset()
    """The worlds of the scene's place: its weather, details and sounds belong to them."""

    @property
    def setting(self) -> str:
        return f"{capital(self.place)}, {self.time.noun}, with {self.weather}; {self.visuals[0]} and {self.visuals[1]}"


@dataclass
class Story:
    request: FilmRequest
    genre: Genre
    rng: random.Random
    hints: ThemeHints
    cast: list[Person]
    thing: str
    decks: dict[str, Deck]
    used_descriptions: set[str] = field(default_factory=set)

    @classmethod
    def begin(cls, request: FilmRequest) -> Story:
        rng = rng_for(request)
        genre = genres()[request.genre]
        shared = writer_data().sentences
        hints = read_theme(request.theme)
        cast_size = 2 if request.target_seconds < SHORT_FILM_S else rng.choice((2, 3, 3, 4))
        people = cast(hints, genre, cast_size, rng)
        thing = hints.thing or rng.choice(genre.things)
        decks = {
            "atmosphere": Deck(rng, genre.atmosphere, shared.atmosphere),
            "closers": Deck(rng, genre.closers, shared.closers),
            "openers": Deck(rng, shared.openers),
            "intros": Deck(rng, shared.theme_intros),
            "introductions": Deck(rng, shared.introductions),
            "echoes": Deck(rng, shared.theme_echoes),
            "actions": Deck(rng, genre.actions, shared.actions),
            "expressions": Deck(rng, shared.expressions),
        }
        for beat in BEAT_WEIGHT:
            decks[beat] = Deck(rng, genre.beats[beat], shared.beats[beat])
            decks[f"dialogue:{beat}"] = Deck(rng, genre.dialogue[beat], shared.dialogue[beat])
        return cls(request, genre, rng, hints, people, thing, decks)

    @property
    def hero(self) -> Person:
        return self.cast[0]

    @property
    def theme_sentence(self) -> str:
        return as_sentence(self.request.theme)

    def in_world(self, items: tuple[InWorlds, ...], world: frozenset[str]) -> tuple[str, ...]:
        """The genre's `items` that fit `world`, else those that fit the story's, else all of them."""
        return within(items, world) or within(items, self.hints.world) or tuple(item.text for item in items)

    @property
    def light(self) -> tuple[str, ...]:
        """Words for the light of the film's visual style."""
        return writer_data().style_light.of(self.request.style)

    # planning

    def plan_scenes(self) -> list[ScenePlan]:
        count = scene_count_for(self.request.target_seconds)
        times = sorted(self.rng.sample(range(len(self.genre.times)), count))
        places = self._scene_places(count)
        weathers = self._weathers([frozenset(place.worlds) for place in places])
        return [
            ScenePlan(
                index=number,
                beat=beat,
                place=places[number - 1].text,
                time=self.genre.times[times[number - 1]],
                weather=weathers[number - 1],
                cast=self._scene_cast(beat),
                visuals=tuple(self.rng.sample(self.light, 2)),
                world=frozenset(places[number - 1].worlds),
            )
            for number, beat in enumerate(ARCS[count], start=1)
        ]

    def _weathers(self, worlds: list[frozenset[str]]) -> list[str]:
        """A weather for each scene that fits its place, a different one each while they last."""
        chosen: list[str] = []
        for world in worlds:
            fitting = self.in_world(self.genre.weathers, world)
            chosen.append(self.rng.choice([w for w in fitting if w not in chosen] or list(fitting)))
        return chosen

    def _scene_places(self, count: int) -> list[InWorlds]:
        """The theme's own place opens and closes the film. Between them: the theme's other places,
        then parts of its places taken in turn with the genre's places of the same world."""
        if not self.hints.places:
            genre_places = self.rng.sample(self.genre.places, len(self.genre.places))
            home = genre_places.pop()
            ending = home if self.rng.random() < 0.5 else genre_places.pop()
            return [home, *genre_places[: count - 2], ending]
        world = self.hints.world
        genre_places = [place.model_copy(update={"worlds": tuple(w for w in place.worlds if w in world)})
                        for place in self.genre.places if place.fits(world)]  # narrowed to the story's world
        genre_places = self.rng.sample(genre_places, len(genre_places))
        theme_places = [InWorlds(text=place.place, worlds=place.worlds) for place in self.hints.places]
        parts = [InWorlds(text=part, worlds=place.worlds) for place in self.hints.places for part in place.parts]
        between = theme_places[1:] + _alternate(self.rng.sample(parts, len(parts)), genre_places)
        home = theme_places[0]
        return [home, *islice(cycle(between), count - 2), home]

    def _scene_cast(self, beat: str) -> tuple[Person, ...]:
        others = self.cast[1:]
        if beat == "climax":
            return tuple(self.cast)
        chosen = set(self.rng.sample(range(len(others)), self.rng.randint(1, min(2, len(others)))))
        return (self.hero, *(person for i, person in enumerate(others) if i in chosen))

    def scene_word_targets(self, plans: list[ScenePlan]) -> list[int]:
        weights = [BEAT_WEIGHT[plan.beat] * self.rng.uniform(0.9, 1.1) for plan in plans]
        total = word_target(self.request)
        return [round(total * weight / sum(weights)) for weight in weights]

    # filling templates

    def slots(self, plan: ScenePlan) -> dict[str, str]:
        """Values for every template slot; the open-ended ones are drawn afresh on each call."""
        genre, rng, hero = self.genre, self.rng, self.hero
        ally = plan.cast[1] if len(plan.cast) > 1 else self.cast[1]
        values = {
            "hero": hero.name,
            **hero.pronouns(),
            "hero_role_a": with_article(hero.role_noun),
            "ally": ally.name,
            **ally.pronouns("ally_"),
            "ally_role_a": with_article(ally.role_noun),
            "place": plan.place,
            "time": plan.time.noun,
            "at_time": plan.time.phrase,
            "weather": plan.weather,
            "thing": self.thing,
            "Thing_n": title_case(without_article(self.thing)),
            "Place_n": title_case(without_article(self.hints.places[0].place if self.hints.places else plan.place)),
            "mood": rng.choice(genre.moods),
            "feeling": rng.choice(genre.feelings),
            "sound": rng.choice(self.in_world(genre.sounds, plan.world)),
            "detail": rng.choice(self.in_world(genre.details, plan.world)),
            "theme_sentence": self.theme_sentence,
        }
        capitals = {capital(key): capital(value) for key, value in values.items() if key[0].islower()}
        return {**values, **capitals}

    def render(self, plan: ScenePlan) -> Render:
        return lambda template: template.format_map(self.slots(plan))

    # titles

    def scene_title(self, plan: ScenePlan) -> str:
        pattern = self.rng.choice(writer_data().sentences.scene_titles[plan.beat])
        return title_case(pattern.format_map(self.slots(plan)))

    def title(self, first_scene: ScenePlan) -> str:
        theme = self.request.theme
        if not (self.hints.thing or self.hints.places) and len(theme) <= 40:
            return theme  # a short theme with nothing to build on is its own best title
        return title_case(self.rng.choice(self.genre.titles).format_map(self.slots(first_scene)))

    def logline(self) -> str:
        hero = self.hero
        return (
            f"{self.theme_sentence} In this {self.rng.choice(self.genre.moods)} {self.genre.noun}, {hero.name}, "
            f"{with_article(hero.role_noun)}, must {self.rng.choice(self.genre.goals)} "
            f"before {self.rng.choice(self.genre.stakes)}."
        )


def _alternate(first: list[InWorlds], second: list[InWorlds]) -> list[InWorlds]:
    """first[0], second[0], first[1], second[1], ... and then the rest of the longer list."""
    merged = [item for pair in zip(first, second) for item in pair]
    return merged + first[len(second):] + second[len(first):]


def rng_for(request: FilmRequest) -> random.Random:
    digest = hashlib.sha256(f"{WRITER_SALT}\n{request.model_dump_json()}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
