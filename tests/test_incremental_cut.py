"""A fix costs what it changes: after a one-shot fix the final cut reuses its cross-fades and
soundtrack, and the checks decode only the frames the fix changed."""

from dagster import AssetSelection, materialize

from conftest import ffprobe, make_film
from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.models import FilmRequest

REQUEST = FilmRequest(genre="mystery", theme="A lighthouse keeper finds a map that redraws itself every night",
                      style="noir", preview_seconds=30, seed=21)
SHOT = "s2-sh1"


def cut_metadata(result) -> dict:
    [materialized] = result.asset_materializations_for_node("final_cut")
    return {key: value.value for key, value in materialized.metadata.items()}


def check_metadata(result) -> dict[str, dict]:
    return {e.check_name: {k: v.value for k, v in e.metadata.items()} for e in result.get_asset_check_evaluations()}


def test_a_one_shot_fix_reuses_the_soundtrack_and_fades_and_checks_only_what_changed(tmp_path, instance):
    made = make_film(REQUEST, tmp_path, instance)
    first, first_checks = cut_metadata(made.result), check_metadata(made.result)
    scenes = len(made.cut.timeline.scenes)
    shots = sum(len(scene.shots) for scene in made.cut.timeline.scenes)
    assert first["parts_reused"] == "nothing" and "soundtrack" in first["parts_made"]
    assert first_checks["no_black_shots"]["measured"] == shots and first_checks["no_black_shots"]["reused"] == 0

    fixed = materialize(
        [*film_assets, *final_cut_checks], selection=AssetSelection.assets("keyframes").downstream(),
        partition_key=made.film_id, instance=instance, resources=made.resources,
        run_config={"ops": {"keyframes": {"config": {"redo": True, "shot": SHOT, "note": "by lamplight"}}}},
    )
    assert fixed.success
    cut, checks = cut_metadata(fixed), check_metadata(fixed)
    assert cut["version"] == first["version"] + 1
    reused = cut["parts_reused"].split(", ")
    assert "soundtrack" in reused  # the sound did not change
    assert "cross-fade 1-2" in cut["parts_made"]  # the fixed shot opens scene 2: its fade in is new
    assert len([part for part in reused if part.startswith("cross-fade")]) == scenes - 2
    assert checks["no_black_shots"]["measured"] <= 2 and checks["no_black_shots"]["reused"] >= shots - 2
    assert checks["every_scene_present"]["measured"] <= 1
    for audio_check in ("loudness_on_target", "no_clipping"):
        assert checks[audio_check]["measured"] == 0 and checks[audio_check]["reused"] == 1
    assert all(e.passed for e in fixed.get_asset_check_evaluations())
    film = ffprobe(made.out / fixed.output_for_node("final_cut").video.key)
    assert abs(float(film["format"]["duration"]) - made.cut.duration_s) < 0.1


def test_a_music_fix_makes_a_new_soundtrack_and_measures_the_sound_again(tmp_path, instance):
    made = make_film(REQUEST.model_copy(update={"seed": 22, "preview_seconds": 20}), tmp_path, instance)
    fixed = materialize(
        [*film_assets, *final_cut_checks], selection=AssetSelection.assets("music").downstream(),
        partition_key=made.film_id, instance=instance, resources=made.resources,
        run_config={"ops": {"music": {"config": {"redo": True}}}},
    )
    assert fixed.success
    cut, checks = cut_metadata(fixed), check_metadata(fixed)
    assert "soundtrack" in cut["parts_made"] and "cross-fade" in cut["parts_reused"]  # the picture is as it was
    assert checks["loudness_on_target"]["measured"] == 1 and checks["no_clipping"]["measured"] == 1
    assert checks["no_black_shots"]["measured"] == 0
