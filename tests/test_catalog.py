"""The catalog: genres, styles and voices from data files, more of them from DREAMREEL_DATA_PATHS, each file
checked when it loads."""

from __future__ import annotations

import os

import pytest
from conftest import ffprobe, make_film
from test_style_files import POSTER

from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.catalog import DATA_PATHS_SETTING, CatalogError, load_entries
from dreamreel_assets.catalog.genres import Genre, genres
from dreamreel_assets.catalog.voices import voices
from dreamreel_assets.models import FilmRequest, describe_validation_error

WESTERN = '''
label = "Western"
description = "Dust, duels and a town that needs a hero"
mood = "heroic"
noun = "western"
hero_roles = ["travelling sheriff", "young ranch hand"]
support_roles = ["saloon keeper", "old prospector", "stagecoach driver", "blacksmith"]
goals = ["bring the stolen gold back", "stand up to the gang"]
stakes = ["the town is lost", "the train leaves at noon"]
things = ["the silver badge", "the wanted poster"]
places = [
    { text = "the dusty main street", worlds = ["town"] },
    { text = "the saloon", worlds = ["town"] },
    { text = "the railway halt", worlds = ["town", "desert"] },
    { text = "the red canyon", worlds = ["desert", "mountain"] },
    { text = "the cattle ranch", worlds = ["village"] },
]
times = [["dawn", "at dawn"], ["high noon", "at high noon"], ["afternoon", "in the afternoon"],
         ["sundown", "at sundown"], ["night", "at night"]]
weathers = ["a hot wind rolling tumbleweed", "a sky without a cloud", "red dust hanging in the air",
            "a thunderstorm over the mesa", "the first stars over the desert"]
moods = ["dusty", "tense", "sunbaked"]
feelings = ["resolve", "dread", "hope"]
sounds = ["spurs jingling on the boards", "a train whistle far away"]
details = ["a wanted poster flapped on the door"]
garments = ["duster coat", "leather vest"]
props = ["a wide-brimmed hat", "a coiled rope"]
actions = ["tipping a hat", "holding {thing} up to the light"]
titles = ["Showdown at {Place_n}", "The {Thing_n}"]
atmosphere = ["The whole of {place} held its breath.", "{Sound} carried on the wind."]
closers = ["Nobody drew.", "{Hero} waited."]

[beats]
setup = ["{Hero} rode into {place} with the sun behind {him}."]
complication = ["By {time}, the gang had found {thing}."]
turn = ["{Ally} knew the way through the canyon."]
climax = ["At high noon, {hero} stepped into the street."]
resolution = ["{Place} was quiet again, and {hero} rode on."]

[dialogue]
setup = ["Howdy, stranger."]
complication = ["They took the gold."]
turn = ["I know a short cut."]
climax = ["Draw!"]
resolution = ["Come back some time."]
'''

VOICE = '''
label = "Cowboy drawl"
[espeak]
language = "en-us"
variant = "m2"
pitch = 30
pitch_range = 35
rate = 118
[elevenlabs]
voice_id = "pNInz6obpgDQGcFmaJgB"
'''


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    folder = tmp_path / "more-data"
    (folder / "genres").mkdir(parents=True)
    (folder / "voices").mkdir()
    (folder / "styles").mkdir()
    monkeypatch.setenv(DATA_PATHS_SETTING, os.pathsep.join([str(tmp_path / "not-there"), str(folder)]))
    return folder


def test_the_built_in_catalog_loads_every_genre_and_voice():
    assert list(genres()) == ["adventure", "comedy", "drama", "fantasy", "horror", "mystery", "romance", "sci-fi"]
    assert genres()["mystery"].mood == "suspense" and genres()["sci-fi"].label == "Sci-fi"
    assert "narrator-warm" in voices() and voices()["child-light"].espeak.pitch == 95


def test_a_genre_and_a_style_from_a_data_folder_make_a_preview_film(data_folder, tmp_path, instance):
    (data_folder / "genres" / "western.toml").write_text(WESTERN)
    (data_folder / "voices" / "cowboy-drawl.toml").write_text(VOICE)
    (data_folder / "styles" / "travel-poster.toml").write_text(POSTER)
    assert "western" in genres() and "cowboy-drawl" in voices()
    request = FilmRequest(genre="western", theme="A sheriff keeps the peace in a desert town",
                          style="travel-poster", preview_seconds=20, seed=4)
    assert request.mood == "heroic"
    script = TemplateWriter().write(request)
    assert script.genre == "western" and "In this" in script.logline and "western" in script.logline
    western_places = tuple(place.text for place in genres()["western"].places)
    for scene in script.scenes:
        place = scene.setting.split(",")[0].lower()
        assert "town" in place or "desert" in place or place.startswith(western_places), place
    film = make_film(request, tmp_path / "film", instance)
    probe = ffprobe(film.path(film.cut.video))
    assert {stream["codec_type"] for stream in probe["streams"]} >= {"video", "audio"}
    assert float(probe["format"]["duration"]) == pytest.approx(20, abs=3)


def test_the_new_genre_is_unknown_once_the_folder_is_gone(data_folder, monkeypatch):
    (data_folder / "genres" / "western.toml").write_text(WESTERN)
    assert "western" in genres()
    monkeypatch.delenv(DATA_PATHS_SETTING)
    with pytest.raises(ValueError) as refused:
        FilmRequest(genre="western", theme="A duel at noon", style="noir")
    message = describe_validation_error(refused.value)
    assert message.startswith("genre: unknown value 'western'; input should be 'adventure'"), message


@pytest.mark.parametrize("change, named", [
    (lambda text: text.replace('[beats]\nsetup = ["{Hero} rode into {place} with the sun behind {him}."]\n', "[beats]\n"),
     "beats.setup: Field required"),
    (lambda text: text.replace('rode into {place}', 'rode into {saloon}'), "beats.setup.0: unknown slot {saloon}"),
    (lambda text: text.replace('mood = "heroic"', 'mood = "sleepy"'), "mood: Input should be 'heroic'"),
    (lambda text: text.replace('{ text = "the saloon", worlds = ["town"] },', '{ txt = "the saloon" },'),
     "places.1.text: Field required"),
    (lambda text: text.replace('label = "Western"', 'label = "Western'), "western.toml: "),  # not TOML at all
])
def test_a_malformed_genre_file_fails_at_load_naming_the_file_and_field(data_folder, change, named):
    path = data_folder / "genres" / "western.toml"
    path.write_text(change(WESTERN))
    with pytest.raises(CatalogError) as failed:
        genres()
    assert str(failed.value).startswith(f"{path}: "), str(failed.value)
    assert named in str(failed.value), str(failed.value)


def test_a_built_in_file_is_named_from_the_data_folder(tmp_path, monkeypatch):
    from dreamreel_assets import catalog

    (tmp_path / "genres").mkdir()
    (tmp_path / "genres" / "horror.toml").write_text('label = "Horror"\n')
    monkeypatch.setattr(catalog, "BUILT_IN", tmp_path)
    catalog._load_entries.cache_clear()
    try:
        with pytest.raises(CatalogError, match=r"^genres/horror\.toml: description: Field required"):
            load_entries("genres", Genre)
    finally:
        catalog._load_entries.cache_clear()
