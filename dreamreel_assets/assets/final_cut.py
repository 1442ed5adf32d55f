"""The finished film: scenes cross-faded, narration on its scenes, ducked music, subtitles, poster.

Each final cut is a new version in its own folder (`films/<id>/cuts/<n>/`), never written over an
earlier one, and recorded in the request as "checking". Its checks (`checks.py`) are blocking:
`published_cut` runs only when every one passed, marks the version "passed" and makes it the film
people see; a failed check marks it "failed" and the version before stays on show.
"""


import tempfile
from datetime import datetime, timezone
from pathlib import Path

from dagster import AssetExecutionContext, Failure, MetadataValue, asset
from PIL import Image

from dreamreel_assets import subtitles
from dreamreel_assets.assets.common import Progress, image_markdown
from dreamreel_assets.assets.cut_parts import CutParts
from dreamreel_assets.backends import assembler as assembly
from dreamreel_assets.backends import editorial
from dreamreel_assets.languages import LANGUAGES
from dreamreel_assets.models import (
    Clips,
    Cue,
    FilmRequest,
    FinalCut,
    Keyframes,
    Music,
    Narration,
    Script,
)
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import AssemblerResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.stores.media import MediaStore
from dreamreel_assets.stores.requests import CutVersion, RequestRecord, cut_folder, cuts_prefix, update_version
from dreamreel_assets.timeline import plan_timeline

STEPS = ("scenes", "soundtrack", "subtitles", "encode", "poster", "timeline")


@asset(partitions_def=films, group_name="film", kinds={"ffmpeg"})
def final_cut(
    context: AssetExecutionContext, script: Script, film_request: FilmRequest, keyframes: Keyframes,
    clips: Clips, narration: Narration, music: Music, assembler: AssemblerResource,
    media: MediaStoreResource, requests: RequestStoreResource,
) -> FinalCut:
    store = media.store()
    film_id = context.partition_key
    number = next_version(film_id, store, requests.store().get(film_id))
    folder = cut_folder(film_id, number)
    timeline = plan_timeline(
        script, {s.scene_index: s.duration_s for s in narration.scenes}, film_request.target_seconds,
        clips.fps,
    )
    progress = Progress(context, requests.store(), "final_cut", len(STEPS))
    parts = CutParts(store, film_id)
    video_format = assembler.video_format(film_request.resolution)
    with tempfile.TemporaryDirectory(prefix="dreamreel-cut-") as scratch:
        work = Path(scratch)
        picture = work / "picture.mp4"
        assembly.cut_video(
            {c.shot_id: store.local_path(c.video) for c in clips.clips}, timeline, video_format, work, picture,
            fade_file=parts.fades(clips, timeline, video_format),
        )
        progress.advance("scenes cut together")

        def mix_and_encode(soundtrack_path: Path) -> float:
            speech = [
                assembly.SpeechPlacement(*assembly.read_wav(store.local_path(s.audio)), start_s=scene.narration_start)
                for s, scene in zip(narration.scenes, timeline.scenes)
            ]
            score, _rate = assembly.read_wav(store.local_path(music.audio))
            mixed_path = work / "soundtrack.wav"
            assembly.write_wav(mixed_path, assembly.mix_soundtrack(
                speech, score, timeline.duration, assembler.target_lufs, assembler.music_duck_db,
            ), assembly.SAMPLE_RATE)
            return assembly.encode_soundtrack(mixed_path, soundtrack_path, assembler.audio_bitrate)

        mixing = {"lufs": assembler.target_lufs, "duck_db": assembler.music_duck_db, "bitrate": assembler.audio_bitrate}
        soundtrack_path, true_peak = parts.soundtrack(narration, music, timeline, mixing, mix_and_encode)
        progress.advance("soundtrack mixed")

        cues = [
            Cue(start=scene.narration_start + cue.start, end=scene.narration_start + cue.end,
                speaker=cue.speaker, text=cue.text)
            for s, scene in zip(narration.scenes, timeline.scenes) for cue in s.cues
        ]
        names = {c.id: c.name for c in script.characters}
        shown = subtitles.layout(cues, film_end=timeline.duration)
        vtt_key, srt_key = f"{folder}film.vtt", f"{folder}film.srt"
        store.writable_path(vtt_key).write_text(subtitles.webvtt(shown, names), encoding="utf-8")
        store.writable_path(srt_key).write_text(subtitles.srt(shown, names), encoding="utf-8")
        progress.advance("subtitles written")

        video_key = f"{folder}film.mp4"
        burned = film_request.subtitles == "burned"
        if burned:
            # libass reads {...} in SubRip as style overrides: the burned copy shows braces as brackets.
            burn_srt = work / "burn.srt"
            burn_srt.write_text(subtitles.srt(shown, names).replace("{", "(").replace("}", ")"), encoding="utf-8")
        # A version of its own: the film people watch stays as it is until this one passes its checks.
        assembly.mux_film(picture, soundtrack_path, burn_srt if burned else store.writable_path(vtt_key),
                          store.writable_path(video_key), timeline.duration, assembler.audio_bitrate,
                          language=LANGUAGES[script.language].iso639_2, burn_into=video_format if burned else None)
        progress.advance("subtitles burned in, film encoded" if burned else "film muxed")

    first_shot = timeline.scenes[0].shots[0].shot_id
    cover = assembly.poster(Image.open(store.local_path(keyframes.for_shot(first_shot).image)),
                            film_request.resolution, script.title)
    poster_key = f"{folder}poster.jpg"
    cover.save(store.writable_path(poster_key), quality=88)
    progress.advance("poster drawn")

    bundle_key = f"{folder}timeline.otioz"
    editable = editorial.film_timeline(script, timeline, clips, narration, music, cues, store.local_path)
    editorial.write_bundle(editable, store.writable_path(bundle_key))
    progress.advance("editable timeline bundled")

    video, vtt, cover_ref = store.commit(video_key), store.commit(vtt_key), store.commit(poster_key)
    srt, bundle = store.commit(srt_key), store.commit(bundle_key)
    requests.store().save_version(film_id, CutVersion(
        number=number, status="checking", created_at=datetime.now(timezone.utc), duration_s=round(timeline.duration, 3),
    ))
    context.add_output_metadata({
        "version": number,
        "title": script.title,
        "path": MetadataValue.path(str(store.local_path(video))),
        "url": MetadataValue.url(store.url(video)),
        "duration_s": round(timeline.duration, 2),
        "scenes": len(timeline.scenes),
        "resolution": f"{film_request.resolution[0]}x{film_request.resolution[1]}@{clips.fps}",
        "language": script.language,
        "subtitles": film_request.subtitles,
        "true_peak_dbtp": round(true_peak, 2),
        "size_mb": round(store.local_path(video).stat().st_size / 1e6, 2),
        "poster": image_markdown(cover, 640, script.title),
        "timeline_otio": MetadataValue.path(str(store.local_path(bundle))),
        "timeline_clips": len(editable.find_clips()),
        "timeline_markers": len(editable.tracks.markers),
        **{f"parts_{name}": value for name, value in parts.metadata().items()},
    })
    return FinalCut(
        film_id=context.partition_key, video=video, subtitles=vtt, srt=srt, poster=cover_ref, duration_s=timeline.duration,
        width=film_request.resolution[0], height=film_request.resolution[1], fps=clips.fps,
        timeline=timeline, target_lufs=assembler.target_lufs, version=number, editable_timeline=bundle,
    )


def next_version(film_id: str, store: MediaStore, record: RequestRecord | None) -> int:
    """The next free version number: above every version the request knows and every cut folder in
    the store (a request submitted again starts with no versions, its film's folders remain)."""
    numbers = {version.number for version in record.versions} if record else set()
    prefix = cuts_prefix(film_id)
    for stored in store.files(prefix):
        head = stored.key[len(prefix):].split("/", 1)[0]
        if head.isdigit():
            numbers.add(int(head))
    return max(numbers, default=0) + 1


@asset(partitions_def=films, group_name="film")
def published_cut(
    context: AssetExecutionContext, final_cut: FinalCut, media: MediaStoreResource, requests: RequestStoreResource,
) -> FinalCut:
    """The final cut people see. It runs only when every blocking check of `final_cut` passed (Dagster
    holds it back otherwise): the version is marked passed and the request's film points at it."""
    if final_cut.version is None:
        raise Failure(description="this final cut was made before versions: make the final cut again",
                      allow_retries=False)
    store = media.store()
    files = {"video": final_cut.video, "subtitles": final_cut.subtitles, "srt": final_cut.srt,
             "poster": final_cut.poster, "timeline": final_cut.editable_timeline}
    result = {name: store.url(ref) for name, ref in files.items() if ref is not None}
    update_version(requests.store(), context.partition_key, final_cut.version, result=result, status="passed",
                   failed_checks=[], reason=None)
    context.add_output_metadata({"version": final_cut.version, "url": MetadataValue.url(result["video"])})
    return final_cut
