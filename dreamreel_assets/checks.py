"""Asset checks on the final cut: what a viewer would notice first.

Each check is a plain function of the film's files (so it can be tried on a broken film) wrapped
in an `@asset_check` that reads the files through the media store.

Every check is blocking with ERROR severity (the default of a result): `published_cut`, the film
people see, is made only from a cut that passed them all. A check that fails marks the cut's
version failed, naming itself and what it found; the run then fails, and the film shown before
(if any) stays on show.
"""


import warnings
from pathlib import Path

import numpy as np
from dagster import AssetCheckResult, AssetCheckSeverity, AssetIn, asset_check

from dreamreel_assets.assets.final_cut import final_cut
from dreamreel_assets.backends.assembler import measure_lufs, true_peak_dbtp
from dreamreel_assets.backends.media_tools import frames_at, probe, read_audio
from dreamreel_assets.models import FilmRequest, FinalCut, Script, Timeline
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.stores.requests import update_version

# Partitioned asset checks are a preview feature of Dagster 1.13; they are what lets a check run
# on one film rather than load every film's final cut.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec")

DURATION_TOLERANCE = 0.10
LOUDNESS_TOLERANCE_LU = 1.0
TRUE_PEAK_MAX_DBTP = -1.0
BLACK_LUMA = 0.06
SCENE_MATCH_ERROR = 0.08


def duration_result(video: Path, target_s: float) -> AssetCheckResult:
    seconds = probe(video).video_duration
    low, high = target_s * (1 - DURATION_TOLERANCE), target_s * (1 + DURATION_TOLERANCE)
    return AssetCheckResult(
        passed=low <= seconds <= high,
        description=f"film is {seconds:.1f} s; the request asks for {target_s:.0f} s (±{DURATION_TOLERANCE:.0%})",
        metadata={"seconds": round(seconds, 3), "target_seconds": target_s},
    )


def sync_result(video: Path, fps: int) -> AssetCheckResult:
    info = probe(video)
    drift = abs(info.audio_duration - info.video_duration)
    return AssetCheckResult(
        passed=info.audio_duration > 0 and drift <= 1 / fps,
        description=f"audio and video differ by {drift * 1000:.0f} ms (one frame is {1000 / fps:.0f} ms)",
        metadata={"audio_s": round(info.audio_duration, 3), "video_s": round(info.video_duration, 3),
                  "drift_ms": round(drift * 1000, 1)},
    )


def loudness_result(video: Path, target_lufs: float) -> AssetCheckResult:
    lufs = measure_lufs(read_audio(video))
    return AssetCheckResult(
        passed=bool(np.isfinite(lufs)) and abs(lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU,
        description=f"integrated loudness {lufs:.1f} LUFS, target {target_lufs:.0f} ± {LOUDNESS_TOLERANCE_LU:.0f} LU",
        metadata={"lufs": round(float(lufs), 2), "target_lufs": target_lufs},
    )


def true_peak_result(video: Path) -> AssetCheckResult:
    peak = true_peak_dbtp(read_audio(video))
    return AssetCheckResult(
        passed=peak <= TRUE_PEAK_MAX_DBTP,
        description=f"true peak {peak:.2f} dBTP, at most {TRUE_PEAK_MAX_DBTP:.0f} dBTP (no clipping on any player)",
        metadata={"true_peak_dbtp": round(peak, 2)},
    )


def scenes_result(video: Path, timeline: Timeline, script: Script, clip_paths: dict[str, Path]) -> AssetCheckResult:
    """Every scene of the script is on the timeline, and the film shows its pictures at its time."""
    missing = sorted({s.index for s in script.scenes} - {s.scene_index for s in timeline.scenes})
    middles = [scene.shots[len(scene.shots) // 2] for scene in timeline.scenes]
    in_film = frames_at(video, [shot.start + shot.duration / 2 for shot in middles])
    in_clips = [frames_at(clip_paths[shot.shot_id], [shot.duration / 2])[0] for shot in middles]
    errors = [float(np.abs(a - b).mean()) for a, b in zip(in_film, in_clips)]
    absent = [scene.scene_index for scene, err in zip(timeline.scenes, errors) if err > SCENE_MATCH_ERROR]
    return AssetCheckResult(
        passed=not missing and not absent,
        description=(f"scenes missing from the timeline: {missing}; " if missing else "")
        + (f"scenes not shown where expected: {absent}" if absent else f"all {len(timeline.scenes)} scenes present"),
        metadata={"scene_match_error": [round(e, 4) for e in errors]},
    )


def black_shots_result(video: Path, timeline: Timeline) -> AssetCheckResult:
    shots = [shot for scene in timeline.scenes for shot in scene.shots]
    frames = frames_at(video, [shot.start + shot.duration / 2 for shot in shots])
    black = [shot.shot_id for shot, frame in zip(shots, frames) if frame.mean() < BLACK_LUMA]
    return AssetCheckResult(
        passed=not black,
        severity=AssetCheckSeverity.ERROR,
        description=f"black shots: {black}" if black else f"none of {len(shots)} shots is black",
        metadata={"black_shots": black, "darkest_luma": round(float(min(f.mean() for f in frames)), 3)},
    )


def _video(media: MediaStoreResource, cut: FinalCut) -> Path:
    return media.store().local_path(cut.video)


def _verdict(check: str, result: AssetCheckResult, cut: FinalCut, requests: RequestStoreResource) -> AssetCheckResult:
    """The result, and when it fails (blocking the cut), the cut's version marked failed by it."""
    if not result.passed and result.severity == AssetCheckSeverity.ERROR and cut.version is not None:
        update_version(requests.store(), cut.film_id, cut.version, status="failed", failed_checks=[check],
                       reason=f"{check}: {result.description}")
    return result


@asset_check(asset=final_cut, partitions_def=films, blocking=True,
             additional_ins={"film_request": AssetIn("film_request")})
def duration_within_request(final_cut: FinalCut, film_request: FilmRequest, media: MediaStoreResource,
                            requests: RequestStoreResource):
    """The film is as long as asked, within 10%."""
    result = duration_result(_video(media, final_cut), film_request.target_seconds)
    return _verdict("duration_within_request", result, final_cut, requests)


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def audio_video_in_sync(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """Audio and video streams are equally long, within one frame."""
    return _verdict("audio_video_in_sync", sync_result(_video(media, final_cut), final_cut.fps), final_cut, requests)


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def loudness_on_target(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """Integrated loudness within 1 LU of the target."""
    result = loudness_result(_video(media, final_cut), final_cut.target_lufs)
    return _verdict("loudness_on_target", result, final_cut, requests)


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def no_clipping(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """The film's true peak (between samples too, after encoding) at or below -1 dBTP."""
    return _verdict("no_clipping", true_peak_result(_video(media, final_cut)), final_cut, requests)


@asset_check(asset=final_cut, partitions_def=films, blocking=True,
             additional_ins={"script": AssetIn("script"), "clips": AssetIn("clips")})
def every_scene_present(final_cut: FinalCut, script, clips, media: MediaStoreResource, requests: RequestStoreResource):
    """Every scene of the script is in the film, in order, at its time."""
    store = media.store()
    clip_paths = {clip.shot_id: store.local_path(clip.video) for clip in clips.clips}
    result = scenes_result(_video(media, final_cut), final_cut.timeline, script, clip_paths)
    return _verdict("every_scene_present", result, final_cut, requests)


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def no_black_shots(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """No shot of the film is black in its middle frame."""
    return _verdict("no_black_shots", black_shots_result(_video(media, final_cut), final_cut.timeline), final_cut,
                    requests)


final_cut_checks = [
    duration_within_request, audio_video_in_sync, loudness_on_target, no_clipping, every_scene_present,
    no_black_shots,
]
