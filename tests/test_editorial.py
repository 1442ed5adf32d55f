"""The editable timeline: a real film's OTIO bundle, as its final cut wrote it, read back with OpenTimelineIO."""

from pathlib import Path

import opentimelineio as otio

from conftest import ffprobe
from dreamreel_assets.models import Cue


def film_cues(made) -> list[Cue]:
    timeline = made.cut.timeline
    narration = made.result.output_for_node("narration")
    return [Cue(start=scene.narration_start + cue.start, end=scene.narration_start + cue.end,
                speaker=cue.speaker, text=cue.text)
            for spoken, scene in zip(narration.scenes, timeline.scenes) for cue in spoken.cues]


def test_the_bundle_holds_every_clip_cue_and_file_and_lasts_as_long_as_the_film(preview_film, tmp_path):
    """The bundle the final cut wrote beside the film."""
    made = preview_film
    clips, cut = made.result.output_for_node("clips"), made.cut
    cues = film_cues(made)
    bundle = made.path(cut.editable_timeline)

    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    film = otio.adapters.read_from_file(str(bundle), extract_to_directory=str(unpacked))
    fps = cut.fps
    film_frames = round(float(ffprobe(made.path(cut.video))["format"]["duration"]) * fps)
    picture, narration, music = film.tracks
    for track in (picture, narration, music):
        assert abs(track.duration().to_frames() - film_frames) <= 1, track.name

    shots = [item for item in picture if isinstance(item, otio.schema.Clip)]
    assert [shot.name for shot in shots] == [s.shot_id for scene in cut.timeline.scenes for s in scene.shots]
    fades = [item for item in picture if isinstance(item, otio.schema.Transition)]
    assert len(fades) == len(cut.timeline.scenes) - 1
    assert all(fade.in_offset + fade.out_offset == otio.opentime.RationalTime(fps, fps) for fade in fades)
    assert len([i for i in narration if isinstance(i, otio.schema.Clip)]) == len(cut.timeline.scenes)
    assert len([i for i in music if isinstance(i, otio.schema.Clip)]) == 1
    for clip in film.find_clips():  # each clip's range lies inside its media, which is inside the bundle
        reference = clip.media_reference
        assert not reference.target_url.startswith(("/", "file:")), reference.target_url
        assert (unpacked / reference.target_url).is_file()
        available, used = reference.available_range, clip.source_range
        assert available.start_time <= used.start_time
        assert used.end_time_exclusive() <= available.end_time_exclusive()

    markers = film.tracks.markers
    subtitles = [m for m in markers if m.metadata["dreamreel"]["kind"] == "subtitle"]
    assert [m.name for m in subtitles] == [cue.text for cue in cues]
    scenes = [m for m in markers if m.metadata["dreamreel"]["kind"] == "scene"]
    assert [m.name.split(":")[0] for m in scenes] == [f"Scene {s.scene_index}" for s in cut.timeline.scenes]
    assert Path(bundle).stat().st_size > sum(made.path(c.video).stat().st_size for c in clips.clips)
