"""Requests are validated before any work starts, with a message that names the field."""

import hashlib

import pytest
from pydantic import ValidationError

from dreamreel_assets.models import FilmRequest, describe_validation_error

FIELD_OF_REASON = {
    "theme": "theme", "genre": "genre", "style": "style", "minutes": "minutes", "aspect": "aspect",
    "control": "theme",
}


def field_named_by(why: str) -> str:
    return next(field for word, field in FIELD_OF_REASON.items() if word in why)


def test_every_valid_sample_is_accepted(sample_requests):
    for fields in sample_requests["valid"]:
        request = FilmRequest.model_validate(fields)
        assert 300 <= request.target_seconds <= 600


def test_every_invalid_sample_is_refused_naming_its_field(sample_requests):
    for case in sample_requests["invalid"]:
        with pytest.raises(ValidationError) as raised:
            FilmRequest.model_validate(case["request"])
        message = describe_validation_error(raised.value)
        assert message.startswith(field_named_by(case["why"]) + ":"), (case["why"], message)
        assert "\n" not in message


def test_theme_is_trimmed_and_film_id_is_a_stable_slug():
    request = FilmRequest(genre="comedy", theme="  Two rival food-truck owners!  ", style="comic")
    assert request.theme == "Two rival food-truck owners!"
    assert request.film_id() == FilmRequest(genre="comedy", theme="Two rival food-truck owners!", style="comic").film_id()
    assert request.film_id().startswith("two-rival-food-truck-owners-")


def test_language_and_subtitles_change_the_id_only_when_set():
    request = FilmRequest(genre="comedy", theme="Two rival food-truck owners!", style="comic")
    # the id films had before the two fields existed: the digest of the request without them
    earlier = hashlib.sha256(request.model_dump_json(exclude={"language", "subtitles"}).encode()).hexdigest()[:8]
    assert request.film_id().endswith(earlier)
    ids = {request.film_id(), request.model_copy(update={"language": "de"}).film_id(),
           request.model_copy(update={"subtitles": "burned"}).film_id()}
    assert len(ids) == 3


def test_non_latin_theme_gets_an_id():
    request = FilmRequest(genre="fantasy", theme="月の光で動く時計塔の秘密", style="anime")
    assert request.film_id().startswith("film-")


def test_preview_can_be_short_but_not_too_short():
    assert FilmRequest(genre="drama", theme="abc", style="anime", preview_seconds=20).target_seconds == 20
    with pytest.raises(ValidationError):
        FilmRequest(genre="drama", theme="abc", style="anime", preview_seconds=5)


def test_unknown_genre_message_lists_the_choices():
    with pytest.raises(ValidationError) as raised:
        FilmRequest(genre="western", theme="A duel at noon", style="noir")
    message = describe_validation_error(raised.value)
    assert message.startswith("genre: unknown value 'western'")
    assert "mystery" in message
