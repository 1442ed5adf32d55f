"""Stories keep to their world: a theme's places are where the film happens, and what the genre adds
(other places, weather, details, sounds) belongs with them."""

from __future__ import annotations

import re

import pytest
from test_golden_scripts import golden_cases

from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.backends.writer.template.theme import read_theme
from dreamreel_assets.catalog.genres import genres
from dreamreel_assets.models import FilmRequest, Script

INCONGRUOUS = (
    # (a word of the theme, words that must never describe its scenes or pictures)
    ("bakery", "ancient leaves"),
    ("tower", "supermarket car park"),
    ("village", "harbour"),
    ("mountain", "pier"),
    ("elevator", "village fete"),
    ("elevator", "laundrette"),
    ("generation ship", "red desert"),
    ("house", "harbour"),
    ("lighthouse", "station waiting room"),
    ("lighthouse", "attic study"),
    ("flooded street", "sand dunes"),
    ("flooded street", "heat shimmering over the rocks"),
    ("street", "small kitchen"),
)
writer = TemplateWriter()


def without_article(place: str) -> str:
    return place.removeprefix("the ")


def pictures_and_settings(script: Script) -> list[str]:
    return [text.lower() for scene in script.scenes for text in (scene.setting, *(s.description for s in scene.shots))]


def cases() -> dict[str, FilmRequest]:
    seeds = {f"{name}-seed{seed}": request.model_copy(update={"seed": seed})
             for name, request in golden_cases().items() for seed in (1, 2)}
    return {**golden_cases(), **seeds}


def placed_cases() -> dict[str, FilmRequest]:
    """The cases whose theme names a place (the others draw any place of their genre)."""
    return {name: request for name, request in cases().items() if read_theme(request.theme).places}


@pytest.mark.parametrize("request_", placed_cases().values(), ids=list(placed_cases()))
def test_every_scene_happens_where_the_theme_says_or_in_a_place_of_its_world(request_: FilmRequest) -> None:
    hints = read_theme(request_.theme)
    nouns = [without_article(place.place) for place in hints.places]
    world = {w for place in hints.places for w in place.worlds}
    of_its_world = [p.text for p in genres()[request_.genre].places if world & set(p.worlds)]
    script = writer.write(request_)
    assert any(noun in script.scenes[0].setting.lower() for noun in nouns[:1])
    for scene in script.scenes:
        place = scene.setting.split(",")[0].lower()
        assert any(noun in place for noun in nouns) or place in of_its_world, (nouns, world, scene.setting)
        for shot in scene.shots:
            if shot.shot_type in ("establishing", "wide", "medium", "over-the-shoulder"):
                assert place in shot.description.lower(), (place, shot.description)


@pytest.mark.parametrize("request_", cases().values(), ids=list(cases()))
def test_no_incongruous_pair_appears(request_: FilmRequest) -> None:
    texts = pictures_and_settings(writer.write(request_))
    theme = request_.theme.lower()
    for word, never in INCONGRUOUS:
        if re.search(rf"\b{word}\b", theme):
            assert not [text for text in texts if never in text], (word, never)


@pytest.mark.parametrize("seed", range(12))
def test_a_bakery_at_dawn_has_no_ancient_leaves_and_a_tower_no_car_park(seed: int) -> None:
    bakery = writer.write(FilmRequest(genre="fantasy", theme="A bakery at dawn", style="storybook", seed=seed))
    assert "ancient leaves" not in bakery.model_dump_json()
    assert bakery.scenes[0].setting.startswith("The bakery") and bakery.scenes[-1].setting.startswith("The bakery")
    tower = writer.write(FilmRequest(genre="comedy", theme="An old clockmaker lives at the top of a tower",
                                     style="comic", minutes=8, seed=seed))
    assert "car park" not in tower.model_dump_json() and "food market" not in tower.model_dump_json()


def test_a_mountain_village_film_stays_in_the_mountain_village() -> None:
    request_ = FilmRequest(genre="fantasy", theme="A shy dragon opens a bakery in a mountain village",
                           style="storybook", minutes=10)
    places = [scene.setting.split(",")[0].lower() for scene in writer.write(request_).scenes]
    assert places[0] == places[-1] == "the bakery"
    assert all(any(word in place for word in ("bakery", "village", "mountain", "meadow", "valley", "cave", "tower"))
               for place in places), places


def test_a_theme_without_a_place_keeps_to_the_genre() -> None:
    request_ = FilmRequest(genre="sci-fi", theme="Someone keeps sending the same message", style="noir", minutes=8)
    genre_places = {p.text for p in genres()["sci-fi"].places}
    assert all(scene.setting.split(",")[0].lower() in genre_places for scene in writer.write(request_).scenes)
