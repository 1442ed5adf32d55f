"""Versions of the final cut: each cut is a new version in its own folder, checked before anyone
sees it; a cut that fails a check stays failed and the version before stays on show."""

from __future__ import annotations

from dagster import AssetSelection, materialize
from fastapi.testclient import TestClient

from conftest import ffprobe, make_film
from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings
from dreamreel_assets import checks, cli
from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.models import FilmRequest
from dreamreel_assets.sensors import error_in_words, failed_checks_in_words

REQUEST = FilmRequest(genre="adventure", theme="A paper boat sails a flooded street", style="claymation",
                      preview_seconds=20, seed=21)


def redo(made, stage: str, **kwargs):
    return materialize([*film_assets, *final_cut_checks], selection=AssetSelection.assets(stage).downstream(),
                       partition_key=made.film_id, instance=made.instance, resources=made.resources, **kwargs)


def twice_as_long_asked(monkeypatch) -> None:
    """The duration check measures the real cut against twice the length asked: it fails."""
    measure = checks.duration_result
    monkeypatch.setattr(checks, "duration_result", lambda video, target_s: measure(video, target_s * 2))


def decodes(path) -> float:
    probe = ffprobe(path)
    assert {s["codec_type"] for s in probe["streams"]} >= {"video", "audio"}
    return float(probe["format"]["duration"])


def test_each_cut_is_a_version_and_a_failed_one_never_replaces_the_film_shown(tmp_path, instance, monkeypatch):
    made = make_film(REQUEST, tmp_path, instance)
    store = made.resources["requests"].store()
    assert made.cut.video.key == f"films/{made.film_id}/cuts/1/film.mp4"
    [first] = store.get(made.film_id).versions
    assert (first.number, first.status, first.failed_checks) == (1, "passed", [])
    assert store.get(made.film_id).result["video"].endswith("/cuts/1/film.mp4")

    again = redo(made, "music")  # a fix: the stage and everything made from it
    assert again.success
    second = again.output_for_node("final_cut")
    assert second.version == 2 and second.video.key == f"films/{made.film_id}/cuts/2/film.mp4"
    record = store.get(made.film_id)
    assert [(v.number, v.status) for v in record.versions] == [(1, "passed"), (2, "passed")]
    assert record.result["video"].endswith("/cuts/2/film.mp4")
    assert 18 <= decodes(made.path(made.cut.video)) <= 22 and 18 <= decodes(made.path(second.video)) <= 22

    twice_as_long_asked(monkeypatch)
    failed = redo(made, "final_cut", raise_on_error=False)
    assert not failed.success
    assert "published_cut" not in {e.asset_key.to_user_string() for e in failed.get_asset_materialization_events()}
    record = store.get(made.film_id)
    third = record.versions[-1]
    assert (third.number, third.status, third.failed_checks) == (3, "failed", ["duration_within_request"])
    assert third.reason.startswith("duration_within_request: film is ")
    assert record.result["video"].endswith("/cuts/2/film.mp4")  # the film shown stays as it was
    assert record.playing_version.number == 2
    assert made.path(failed.output_for_node("final_cut").video).is_file()  # kept, never shown

    said = failed_checks_in_words(instance, failed.run_id)  # what the film's page says
    assert said.startswith("the film did not pass its checks: duration_within_request (film is "), said
    failure = next(e for e in failed.all_events if e.event_type_value == "STEP_FAILURE")
    assert error_in_words(failure.event_specific_data.error) == "did not pass its checks: duration_within_request"

    with TestClient(create_app(Settings(data_dir=tmp_path, max_active_films=0, rate_limit=0)),
                    base_url="http://127.0.0.1") as api:
        served = api.get(f"/api/films/{made.film_id}/video")
        assert served.status_code == 200 and served.content == made.path(second.video).read_bytes()
        listed = api.get(f"/api/films/{made.film_id}").json()["versions"]
        assert [(v["number"], v["status"], v["playing"]) for v in listed] == [
            (3, "failed", False), (2, "passed", True), (1, "passed", False)]
        assert listed[0]["video"] is None and listed[0]["failed_checks"] == ["duration_within_request"]
        older = api.get(listed[2]["video"])
        assert older.status_code == 200 and older.content == made.path(made.cut.video).read_bytes()
        assert api.get(f"/api/films/{made.film_id}/versions/3/video").status_code == 404


def test_a_new_film_whose_cut_fails_a_check_fails_naming_the_check(tmp_path, instance, monkeypatch):
    twice_as_long_asked(monkeypatch)
    made = make_film(REQUEST.model_copy(update={"seed": 22}), tmp_path, instance, raise_on_error=False)
    assert not made.result.success
    record = made.resources["requests"].store().get(made.film_id)
    [only] = record.versions
    assert (only.status, only.failed_checks) == ("failed", ["duration_within_request"])
    assert record.result == {} and record.playing_version is None
    said = failed_checks_in_words(instance, made.result.run_id)
    assert said.startswith("the film did not pass its checks: duration_within_request (film is ")
    assert cli.failure_message(made.result) == said  # what `dreamreel make` says
