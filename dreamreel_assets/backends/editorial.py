"""The film as an editable timeline: OpenTimelineIO, bundled with its media (`.otioz`).

Editors (DaVinci Resolve, Premiere through its OTIO plug-ins, Blender's VSE, ...) open it as the
final cut laid it out: every shot's clip on the picture track with the scenes' cross-fades as OTIO
transitions, narration and music on audio tracks, scene names and subtitles as markers. Media
references are relative paths inside the bundle.

Cross-fades in OTIO sit on a cut and overlap both neighbours. The final cut overlaps scene i's
last shot and scene i+1's first shot for one transition; here the cut is put in that overlap's
middle, and the overlapping frames on either side are the clips' handles, so every clip is
referenced whole and the picture track lasts exactly as long as the film.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import opentimelineio as otio

from dreamreel_assets.models import Clips, Cue, MediaRef, Music, Narration, Script, Timeline
from dreamreel_assets.timeline import to_frames

PICTURE, NARRATION, MUSIC = "Picture", "Narration", "Music"
SCENE_COLOR = otio.schema.MarkerColor.GREEN
SUBTITLE_COLOR = otio.schema.MarkerColor.YELLOW


def film_timeline(
    script: Script, timeline: Timeline, clips: Clips, narration: Narration, music: Music,
    cues: list[Cue], file_of: Callable[[MediaRef], Path],
) -> otio.schema.Timeline:
    """The film as OTIO; `file_of` says where each media file is on this machine. Cue times are film time."""
    fps = timeline.fps
    film = otio.schema.Timeline(name=script.title, global_start_time=otio.opentime.RationalTime(0, fps))
    film.metadata["dreamreel"] = {"language": script.language, "fps": fps, "duration_s": timeline.duration}
    film.tracks.append(picture_track(timeline, clips, file_of))
    film.tracks.append(narration_track(timeline, narration, file_of))
    film.tracks.append(music_track(timeline, music, file_of))
    titles = {scene.index: scene.title for scene in script.scenes}
    for scene in timeline.scenes:
        film.tracks.markers.append(marker(f"Scene {scene.scene_index}: {titles.get(scene.scene_index, '')}".rstrip(": "),
                                          scene.start, scene.duration, fps, SCENE_COLOR, {"kind": "scene"}))
    names = {character.id: character.name for character in script.characters}
    for cue in cues:
        film.tracks.markers.append(marker(cue.text, cue.start, cue.end - cue.start, fps, SUBTITLE_COLOR,
                                          {"kind": "subtitle", "speaker": names.get(cue.speaker, cue.speaker)}))
    return film


def picture_track(timeline: Timeline, clips: Clips, file_of: Callable[[MediaRef], Path]) -> otio.schema.Track:
    fps = timeline.fps
    by_shot = {clip.shot_id: clip for clip in clips.clips}
    fade = to_frames(timeline.transition_s, fps)
    before_cut, after_cut = fade // 2, fade - fade // 2
    track = otio.schema.Track(name=PICTURE, kind=otio.schema.TrackKind.Video)
    last_scene = len(timeline.scenes) - 1
    for number, scene in enumerate(timeline.scenes):
        if number > 0:
            track.append(otio.schema.Transition(
                name="Cross-fade", transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                in_offset=frames(before_cut, fps), out_offset=frames(after_cut, fps),
            ))
        for position, shot in enumerate(scene.shots):
            clip = by_shot[shot.shot_id]
            head = before_cut if number > 0 and position == 0 else 0
            tail = after_cut if number < last_scene and position == len(scene.shots) - 1 else 0
            track.append(media_clip(shot.shot_id, file_of(clip.video), clip.frames, head, clip.frames - head - tail, fps))
    return track


def narration_track(timeline: Timeline, narration: Narration, file_of: Callable[[MediaRef], Path]) -> otio.schema.Track:
    fps = timeline.fps
    track = otio.schema.Track(name=NARRATION, kind=otio.schema.TrackKind.Audio)
    spoken = {s.scene_index: s for s in narration.scenes}
    for scene in timeline.scenes:
        speech = spoken[scene.scene_index]
        length = to_frames(speech.duration_s, fps)
        pad_to(track, to_frames(scene.narration_start, fps), fps)
        track.append(media_clip(f"Scene {scene.scene_index} narration", file_of(speech.audio), length, 0, length, fps))
    pad_to(track, to_frames(timeline.duration, fps), fps)
    return track


def music_track(timeline: Timeline, music: Music, file_of: Callable[[MediaRef], Path]) -> otio.schema.Track:
    fps = timeline.fps
    track = otio.schema.Track(name=MUSIC, kind=otio.schema.TrackKind.Audio)
    available = to_frames(music.duration_s, fps)
    track.append(media_clip("Score", file_of(music.audio), available, 0, min(available, to_frames(timeline.duration, fps)), fps))
    pad_to(track, to_frames(timeline.duration, fps), fps)
    return track


def media_clip(name: str, path: Path, available: int, start: int, length: int, fps: int) -> otio.schema.Clip:
    reference = otio.schema.ExternalReference(
        target_url=Path(path).resolve().as_uri(),
        available_range=otio.opentime.TimeRange(frames(0, fps), frames(available, fps)),
    )
    return otio.schema.Clip(name=name, media_reference=reference,
                            source_range=otio.opentime.TimeRange(frames(start, fps), frames(length, fps)))


def marker(name: str, start_s: float, duration_s: float, fps: int, color: str, metadata: dict) -> otio.schema.Marker:
    marked = otio.opentime.TimeRange(frames(to_frames(start_s, fps), fps), frames(max(to_frames(duration_s, fps), 1), fps))
    return otio.schema.Marker(name=name, marked_range=marked, color=color, metadata={"dreamreel": metadata})


def pad_to(track: otio.schema.Track, frame: int, fps: int) -> None:
    """A gap from the track's end to `frame` (nothing when it is there already)."""
    missing = frame - track.duration().to_frames()
    if missing > 0:
        track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(frames(0, fps), frames(missing, fps))))


def frames(count: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(count, fps)


def write_bundle(film: otio.schema.Timeline, path: Path) -> None:
    """The timeline and every file it references, in one zip (`.otioz`), references made relative."""
    if path.exists():
        os.unlink(path)  # a staging file left by an earlier try: the adapter never overwrites
    otio.adapters.write_to_file(film, str(path), adapter_name="otioz")
