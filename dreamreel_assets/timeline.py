"""When everything happens: scenes last as long as their narration needs, shots share their scene.

Scenes overlap by one cross-fade. Scene i starts at the sum of the earlier scenes' durations less
one transition each, its narration starts after a short lead-in, and its shots split the scene's
running time by their weights. The film is as long as the last scene's end.
"""

from __future__ import annotations

from dreamreel_assets.models import SceneTiming, Script, ShotTiming, Timeline

LEAD_IN_S = 0.8
"""Silence before a scene's first line (the cross-fade in happens here)."""
TAIL_S = 1.2
"""Silence after a scene's last line before the next scene's cross-fade starts."""
TRANSITION_S = 1.0
"""Length of the cross-fade between two scenes."""


def speech_budget_s(target_s: float, scene_count: int) -> float:
    """Seconds of speech that fill a film of `target_s` once pauses and transitions are taken."""
    overhead = scene_count * (LEAD_IN_S + TAIL_S) - (scene_count - 1) * TRANSITION_S
    return max(target_s - overhead, scene_count * 2.0)


def plan_timeline(
    script: Script, narration_seconds: dict[int, float], target_s: float, fps: int
) -> Timeline:
    """Lay the scenes end to end.

    A scene lasts the longer of what its narration needs and its share of the requested length,
    so a film whose narration runs short is still as long as asked, and speech is never cut.
    """
    total_words = max(script.word_count, 1)
    frame = 1.0 / fps
    scenes: list[SceneTiming] = []
    start = 0.0
    for scene in script.scenes:
        share = len(scene.narration.split()) / total_words
        planned = share * speech_budget_s(target_s, len(script.scenes)) + LEAD_IN_S + TAIL_S
        needed = narration_seconds[scene.index] + LEAD_IN_S + TAIL_S
        duration = _whole_frames(max(needed, planned), frame)
        scenes.append(
            SceneTiming(
                scene_index=scene.index,
                start=start,
                duration=duration,
                narration_start=start + LEAD_IN_S,
                shots=_split_shots(scene, start, duration, frame),
            )
        )
        start = _whole_frames(start + duration - TRANSITION_S, frame)
    film_duration = scenes[-1].start + scenes[-1].duration
    return Timeline(fps=fps, transition_s=TRANSITION_S, duration=film_duration, scenes=scenes)


def _split_shots(scene, scene_start: float, scene_duration: float, frame: float) -> list[ShotTiming]:
    """Share the scene among its shots by weight, in whole frames, summing exactly."""
    total_frames = round(scene_duration / frame)
    weights = [shot.weight for shot in scene.shots]
    bounds = [round(total_frames * sum(weights[:i]) / sum(weights)) for i in range(len(weights) + 1)]
    return [
        ShotTiming(
            shot_id=shot.id,
            scene_index=scene.index,
            start=scene_start + bounds[i] * frame,
            duration=(bounds[i + 1] - bounds[i]) * frame,
        )
        for i, shot in enumerate(scene.shots)
    ]


def _whole_frames(seconds: float, frame: float) -> float:
    return round(seconds / frame) * frame


def to_frames(seconds: float, fps: int) -> int:
    return round(seconds * fps)


def transition_bounds(timeline: Timeline) -> dict[int, tuple[int, int]]:
    """Per scene, in frames from its start: where its cross-fade in ends and its fade out begins.

    Frames before the first bound and after the second are blended with the neighbouring scene;
    frames between them play as they are.
    """
    fade = to_frames(timeline.transition_s, timeline.fps)
    last = len(timeline.scenes) - 1
    return {
        scene.scene_index: (
            fade if i > 0 else 0,
            to_frames(scene.duration, timeline.fps) - (fade if i < last else 0),
        )
        for i, scene in enumerate(timeline.scenes)
    }


def shot_frames(scene: SceneTiming, fps: int) -> list[tuple[str, int, int]]:
    """(shot id, first frame, frame count) of each shot, in frames from the scene's start."""
    return [
        (shot.shot_id, to_frames(shot.start - scene.start, fps), to_frames(shot.duration, fps))
        for shot in scene.shots
    ]


def clip_cut_points(timeline: Timeline) -> dict[str, list[int]]:
    """Per shot, frames of its clip where a cross-fade starts or ends: the clip needs keyframes there."""
    bounds = transition_bounds(timeline)
    cuts: dict[str, list[int]] = {}
    for scene in timeline.scenes:
        for shot_id, first, count in shot_frames(scene, timeline.fps):
            cuts[shot_id] = [b - first for b in bounds[scene.scene_index] if 0 < b - first < count]
    return cuts
