"""Re-materializing a stage from the Dagster UI with `redo` config: a new take of the part named,
kept in the request so later runs make it again; bad config fails with a reason, nothing kept."""

from dagster import AssetSelection, materialize

from conftest import ffprobe, make_film
from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.models import FilmRequest

REQUEST = FilmRequest(genre="comedy", theme="Two rival food-truck owners share an elevator", style="comic",
                      minutes=5, preview_seconds=20, seed=11)


def _redo(made, stage: str, config: dict | None):
    store = made.resources["requests"].store()
    run_config = {"ops": {stage: {"config": config}}} if config else None
    return materialize(
        [*film_assets, *final_cut_checks], selection=AssetSelection.assets(stage).downstream(),
        partition_key=made.film_id, instance=made.instance, resources=made.resources, run_config=run_config,
        raise_on_error=False,
    ), store


def test_a_redo_from_the_ui_is_a_new_take_that_later_runs_keep(tmp_path, instance):
    made = make_film(REQUEST, tmp_path, instance)
    assert made.result.success
    first = {c.shot_id: c for c in made.result.output_for_node("clips").clips}
    scene = 2
    in_scene = {shot for shot, clip in first.items() if clip.scene_index == scene}

    result, store = _redo(made, "clips", {"redo": True, "scene": scene, "note": "slower, calmer"})
    assert result.success
    redone = {c.shot_id: c for c in result.output_for_node("clips").clips}
    assert {shot for shot in first if redone[shot].video != first[shot].video} == in_scene
    [kept] = store.get(made.film_id).fixes
    assert (kept.stage, kept.scene, kept.note, kept.status) == ("clips", scene, "slower, calmer", "done")
    film = made.out / result.output_for_node("final_cut").video.key
    assert abs(float(ffprobe(film)["format"]["duration"]) - made.cut.duration_s) < 0.1

    again, _ = _redo(made, "clips", None)  # a plain re-materialization makes the same takes
    assert {c.shot_id: c.video for c in again.output_for_node("clips").clips} == {s: c.video for s, c in redone.items()}

    bad, _ = _redo(made, "clips", {"redo": True, "shot": "s9-sh9"})
    assert not bad.success
    failure = next(e for e in bad.all_events if e.event_type_value == "STEP_FAILURE")
    assert "is not a shot of this film" in failure.event_specific_data.error.message
    assert len(store.get(made.film_id).fixes) == 1
