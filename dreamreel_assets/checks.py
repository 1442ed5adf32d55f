"""Asset checks on the final cut: what a viewer would notice first.

Each check is a plain function of the film's files (so it can be tried on a broken film) wrapped
in an `@asset_check` that reads the files through the media store.

Checks that decode the film remember what they measured (`check_memory.py`): after a fix, only the
frames and sound the fix changed are decoded and measured again; each result says how many values
it measured and how many it reused.

Every check is blocking with ERROR severity (the default of a result): `published_cut`, the film
people see, is made only from a cut that passed them all. A check that fails marks the cut's
version failed, naming itself and what it found; the run then fails, and the film shown before
(if any) stays on show.
"""


import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from dagster import AssetCheckResult, AssetCheckSeverity, AssetIn, asset_check

from dreamreel_assets.assets.final_cut import final_cut
from dreamreel_assets.backends.assembler import measure_lufs, true_peak_dbtp
from dreamreel_assets.backends.media_digests import audio_digest, frame_digests, frames_at_seeking
from dreamreel_assets.backends.media_tools import frames_at, probe, read_audio
from dreamreel_assets.check_memory import CheckMemory
from dreamreel_assets.models import FilmRequest, FinalCut, Script, Timeline
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.stores.media import sha256_of
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


def loudness_result(video: Path, target_lufs: float, memory: CheckMemory | None = None) -> AssetCheckResult:
    memory = memory or CheckMemory.forgetful()
    lufs = _measured(memory, audio_digest(video), lambda: float(measure_lufs(read_audio(video))))
    return AssetCheckResult(
        passed=bool(np.isfinite(lufs)) and abs(lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU,
        description=f"integrated loudness {lufs:.1f} LUFS, target {target_lufs:.0f} ± {LOUDNESS_TOLERANCE_LU:.0f} LU",
        metadata={"lufs": round(float(lufs), 2), "target_lufs": target_lufs, **memory.metadata()},
    )


def true_peak_result(video: Path, memory: CheckMemory | None = None) -> AssetCheckResult:
    memory = memory or CheckMemory.forgetful()
    peak = _measured(memory, audio_digest(video), lambda: float(true_peak_dbtp(read_audio(video))))
    return AssetCheckResult(
        passed=peak <= TRUE_PEAK_MAX_DBTP,
        description=f"true peak {peak:.2f} dBTP, at most {TRUE_PEAK_MAX_DBTP:.0f} dBTP (no clipping on any player)",
        metadata={"true_peak_dbtp": round(peak, 2), **memory.metadata()},
    )


def _measured(memory: CheckMemory, digest: str, measure):
    """The value measured before for this digest, or measured now and kept."""
    if memory.known(digest):
        return memory.recall(digest)
    value = measure()
    memory.keep(digest, value)
    return value


def _film_frames(video: Path, times: list[float], memory: CheckMemory, measure, key=lambda i, d: d) -> list:
    """`measure(frame, i)` of the film's frame at each time: recalled where the packets that make the
    frame were measured before, decoded (seeking, when few are new) where they were not."""
    keys = [key(i, digest) for i, digest in enumerate(frame_digests(video, times))]
    values = {i: memory.recall(k) for i, k in enumerate(keys) if memory.known(k)}
    new = [i for i in range(len(times)) if i not in values]
    decode = frames_at_seeking if len(new) * 4 <= len(times) else frames_at
    for i, frame in zip(new, decode(video, [times[i] for i in new]) if new else []):
        values[i] = measure(frame, i)
        memory.keep(keys[i], values[i])
    return [values[i] for i in range(len(times))]


def scenes_result(video: Path, timeline: Timeline, script: Script, clip_paths: dict[str, Path],
                  memory: CheckMemory | None = None) -> AssetCheckResult:
    """Every scene of the script is on the timeline, and the film shows its pictures at its time."""
    memory = memory or CheckMemory.forgetful()
    missing = sorted({s.index for s in script.scenes} - {s.scene_index for s in timeline.scenes})
    middles = [scene.shots[len(scene.shots) // 2] for scene in timeline.scenes]
    clip_digests = [sha256_of(clip_paths[shot.shot_id]) for shot in middles]

    def error(frame, i: int) -> float:
        in_clip = frames_at(clip_paths[middles[i].shot_id], [middles[i].duration / 2])[0]
        return float(np.abs(frame - in_clip).mean())

    errors = _film_frames(video, [shot.start + shot.duration / 2 for shot in middles], memory, error,
                          key=lambda i, digest: f"{digest}:{clip_digests[i]}:{middles[i].duration / 2:.4f}")
    absent = [scene.scene_index for scene, err in zip(timeline.scenes, errors) if err > SCENE_MATCH_ERROR]
    return AssetCheckResult(
        passed=not missing and not absent,
        description=(f"scenes missing from the timeline: {missing}; " if missing else "")
        + (f"scenes not shown where expected: {absent}" if absent else f"all {len(timeline.scenes)} scenes present"),
        metadata={"scene_match_error": [round(e, 4) for e in errors], **memory.metadata()},
    )


def black_shots_result(video: Path, timeline: Timeline, memory: CheckMemory | None = None) -> AssetCheckResult:
    memory = memory or CheckMemory.forgetful()
    shots = [shot for scene in timeline.scenes for shot in scene.shots]
    lumas = _film_frames(video, [shot.start + shot.duration / 2 for shot in shots], memory,
                         lambda frame, _i: float(frame.mean()))
    black = [shot.shot_id for shot, luma in zip(shots, lumas) if luma < BLACK_LUMA]
    return AssetCheckResult(
        passed=not black,
        severity=AssetCheckSeverity.ERROR,
        description=f"black shots: {black}" if black else f"none of {len(shots)} shots is black",
        metadata={"black_shots": black, "darkest_luma": round(min(lumas), 3), **memory.metadata()},
    )


def _checked(check: str, cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource,
             measure: Callable[[Path, CheckMemory], AssetCheckResult]) -> AssetCheckResult:
    """`measure(video, memory)` with what this check measured on the film's earlier cuts (kept for the
    next); a failure that blocks the cut marks its version failed, naming the check and its finding."""
    memory = CheckMemory(media.store(), cut.film_id, check)
    result = measure(media.store().local_path(cut.video), memory)
    memory.save()
    if not result.passed and result.severity == AssetCheckSeverity.ERROR and cut.version is not None:
        update_version(requests.store(), cut.film_id, cut.version, status="failed", failed_checks=[check],
                       reason=f"{check}: {result.description}")
    return result


@asset_check(asset=final_cut, partitions_def=films, blocking=True,
             additional_ins={"film_request": AssetIn("film_request")})
def duration_within_request(final_cut: FinalCut, film_request: FilmRequest, media: MediaStoreResource,
                            requests: RequestStoreResource):
    """The film is as long as asked, within 10%."""
    return _checked("duration_within_request", final_cut, media, requests,
                    lambda video, _memory: duration_result(video, film_request.target_seconds))


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def audio_video_in_sync(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """Audio and video streams are equally long, within one frame."""
    return _checked("audio_video_in_sync", final_cut, media, requests,
                    lambda video, _memory: sync_result(video, final_cut.fps))


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def loudness_on_target(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """Integrated loudness within 1 LU of the target."""
    return _checked("loudness_on_target", final_cut, media, requests,
                    lambda video, memory: loudness_result(video, final_cut.target_lufs, memory))


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def no_clipping(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """The film's true peak (between samples too, after encoding) at or below -1 dBTP."""
    return _checked("no_clipping", final_cut, media, requests, true_peak_result)


@asset_check(asset=final_cut, partitions_def=films, blocking=True,
             additional_ins={"script": AssetIn("script"), "clips": AssetIn("clips")})
def every_scene_present(final_cut: FinalCut, script, clips, media: MediaStoreResource, requests: RequestStoreResource):
    """Every scene of the script is in the film, in order, at its time."""
    store = media.store()
    clip_paths = {clip.shot_id: store.local_path(clip.video) for clip in clips.clips}
    return _checked("every_scene_present", final_cut, media, requests,
                    lambda video, memory: scenes_result(video, final_cut.timeline, script, clip_paths, memory))


@asset_check(asset=final_cut, partitions_def=films, blocking=True)
def no_black_shots(final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource):
    """No shot of the film is black in its middle frame."""
    return _checked("no_black_shots", final_cut, media, requests,
                    lambda video, memory: black_shots_result(video, final_cut.timeline, memory))


final_cut_checks = [
    duration_within_request, audio_video_in_sync, loudness_on_target, no_clipping, every_scene_present,
    no_black_shots,
]
