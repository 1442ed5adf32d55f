"""One clip per shot, animated from its keyframe for exactly its time on the timeline."""

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from dagster import AssetExecutionContext, asset
from PIL import Image

from dreamreel_assets.assets.retries import TRANSIENT_RETRIES, lower_memory_on_oom
from dreamreel_assets.assets.common import Progress, Redo, StageTakes, film_key, input_hash
from dreamreel_assets.backends.media_tools import H264Writer
from dreamreel_assets.models import (
    Clip,
    Clips,
    FilmRequest,
    Keyframe,
    Keyframes,
    MediaRef,
    Narration,
    Script,
    Shot,
)
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import AnimatorResource, AssemblerResource
from dreamreel_assets.resources.gpu import GPUResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.timeline import clip_cut_points, plan_timeline


@dataclass(frozen=True)
class ClipJob:
    shot: Shot
    scene_index: int
    keyframe: Keyframe
    duration_s: float
    frames: int
    seed: int
    cut_points: list[int]
    key: str


@asset(partitions_def=films, group_name="film", pool="gpu", kinds={"pytorch"}, retry_policy=TRANSIENT_RETRIES)
def clips(
    context: AssetExecutionContext, config: Redo, script: Script, film_request: FilmRequest, keyframes: Keyframes,
    narration: Narration, animator: AnimatorResource, assembler: AssemblerResource,
    gpu: GPUResource, media: MediaStoreResource, requests: RequestStoreResource,
) -> Clips:
    """Shots last as long as their share of the scene, and scenes as long as their narration.

    Clips are encoded once, in the film's own format, with keyframes where cross-fades begin and
    end, so the final cut copies them into the film rather than encoding the film again.
    """
    store = media.store()
    gpu.begin_stage()
    backend = animator.build(gpu)
    video = assembler.video_format(film_request.resolution)
    size, fps = film_request.resolution, video.fps
    timeline = plan_timeline(
        script, {s.scene_index: s.duration_s for s in narration.scenes}, film_request.target_seconds, fps,
    )
    shots = {shot.id: shot for shot in script.shots}
    cut_points = clip_cut_points(timeline)
    takes = StageTakes(context, requests.store(), "clips", script, config)
    jobs = []
    for scene in timeline.scenes:
        for timing in scene.shots:
            shot = takes.shot(shots[timing.shot_id], scene.scene_index)
            keyframe = keyframes.for_shot(timing.shot_id)
            seed = takes.seed(film_request.seed, "clip", shot.id, scene_index=scene.scene_index, shot_id=shot.id)
            frames = round(timing.duration * fps)
            cuts = cut_points[shot.id]
            digest = input_hash(backend.name, animator.settings(), keyframe.image.sha256, shot, frames, seed, cuts, video)
            jobs.append(ClipJob(shot, scene.scene_index, keyframe, timing.duration, frames, seed, cuts,
                                film_key(context, "clips", f"{shot.id}-{digest}.mp4")))

    def animate(job: ClipJob) -> MediaRef:
        picture = Image.open(store.local_path(job.keyframe.image))
        with H264Writer(store.writable_path(job.key), video, keyframes=job.cut_points) as writer:
            for frame in backend.frames(picture, job.shot, job.frames, size, fps, job.seed):
                writer.write(frame)
        if writer.frames != job.frames:
            raise RuntimeError(f"{backend.name} made {writer.frames} frames for {job.shot.id}, not {job.frames}")
        return store.commit(job.key)  # at once: a run that dies later still keeps this clip

    progress = Progress(context, requests.store(), "clips", len(jobs))
    refs = {job.key: store.existing(job.key) for job in jobs}
    to_make = [job for job in jobs if refs[job.key] is None]
    for _ in range(len(jobs) - len(to_make)):
        progress.advance("reused")
    with lower_memory_on_oom("clips"), ThreadPoolExecutor(max_workers=animator.effective_workers()) as pool:
        for future in as_completed(futures := {pool.submit(animate, job): job for job in to_make}):
            refs[futures[future].key] = future.result()  # each clip is kept as soon as it is made
            progress.advance()

    made = [
        Clip(shot_id=job.shot.id, scene_index=job.scene_index, video=refs[job.key],
             duration_s=job.frames / fps, frames=job.frames, camera=job.shot.camera)
        for job in jobs
    ]
    context.add_output_metadata({
        "backend": backend.name,
        "clips": len(made),
        "reused": len(jobs) - len(to_make),
        "seconds": round(sum(c.duration_s for c in made), 2),
        "scene_seconds": {str(s.scene_index): round(s.duration, 2) for s in timeline.scenes},
        "resolution": f"{size[0]}x{size[1]}@{fps}",
        "workers": animator.effective_workers(),
        **gpu.describe(),
    })
    takes.keep()
    return Clips(backend=backend.name, width=size[0], height=size[1], fps=fps, clips=made)
