"""Narration per scene, and the score."""


from dagster import AssetExecutionContext, Failure, asset

from dreamreel_assets.assets.retries import TRANSIENT_RETRIES
from dreamreel_assets.assets.common import Progress, Redo, StageTakes, film_key, input_hash
from dreamreel_assets.backends.assembler import write_wav
from dreamreel_assets.backends.narrator import NarrationFailed
from dreamreel_assets.languages import ENGLISH
from dreamreel_assets.models import NARRATOR, FilmRequest, Music, Narration, SceneNarration, Script
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import AssemblerResource, ComposerResource, NarratorResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.timeline import plan_timeline

NARRATOR_VOICE = "narrator-warm"


@asset(partitions_def=films, group_name="film", kinds={"python"}, retry_policy=TRANSIENT_RETRIES)
def narration(
    context: AssetExecutionContext, config: Redo, script: Script, narrator: NarratorResource,
    media: MediaStoreResource, requests: RequestStoreResource,
) -> Narration:
    """Each scene's lines spoken, with one subtitle cue per sentence."""
    store = media.store()
    speaker = narrator.build()
    voices = {NARRATOR: NARRATOR_VOICE, **{c.id: c.voice for c in script.characters}}
    takes = StageTakes(context, requests.store(), "narration", script, config)
    progress = Progress(context, requests.store(), "narration", len(script.scenes))
    scenes = []
    reused = 0
    for scene in script.scenes:
        take = takes.take(scene.index)
        # Language and take join the digest only when set, so English first takes keep their keys.
        variant = ((script.language,) if script.language != ENGLISH else ()) + ((take,) if take else ())
        digest = input_hash(speaker.fingerprint, scene.lines, voices, *variant)
        stem = film_key(context, "narration", f"scene-{scene.index}-{digest}")
        made = _reuse_narration(store, stem, scene.index)
        if made is None:
            try:
                spoken = speaker.speak(scene.lines, voices, take=take, language=script.language)
            except NarrationFailed as error:
                raise Failure(description=f"scene {scene.index}: {error}", allow_retries=False) from None
            made = _speak_scene(store, stem, scene.index, spoken)
        else:
            reused += 1
        scenes.append(made)
        progress.advance(f"scene {scene.index}")
    spoken_s = sum(s.duration_s for s in scenes)
    context.add_output_metadata({
        "backend": speaker.name,
        "language": script.language,
        "seconds_of_speech": round(spoken_s, 2),
        "words_per_minute": round(script.word_count / spoken_s * 60, 1),
        "scene_seconds": {str(s.scene_index): round(s.duration_s, 2) for s in scenes},
        "cues": sum(len(s.cues) for s in scenes),
        "reused": reused,
    })
    takes.keep()
    return Narration(backend=speaker.name, scenes=scenes)


def _speak_scene(store, stem: str, scene_index: int, spoken) -> SceneNarration:
    """Keep the speech and its cues side by side: speech synthesis need not be bit-exact twice."""
    write_wav(store.writable_path(f"{stem}.wav"), spoken.samples, spoken.sample_rate)
    made = SceneNarration(scene_index=scene_index, audio=store.commit(f"{stem}.wav"),
                          duration_s=spoken.duration_s, sample_rate=spoken.sample_rate, cues=spoken.cues)
    store.writable_path(f"{stem}.json").write_text(made.model_dump_json())
    store.commit(f"{stem}.json")
    return made


def _reuse_narration(store, stem: str, scene_index: int) -> SceneNarration | None:
    sidecar, audio = store.existing(f"{stem}.json"), store.existing(f"{stem}.wav")
    if sidecar is None or audio is None:
        return None
    made = SceneNarration.model_validate_json(store.local_path(sidecar).read_text())
    return made if made.audio == audio and made.scene_index == scene_index else None


@asset(partitions_def=films, group_name="film", kinds={"python"})
def music(
    context: AssetExecutionContext, config: Redo, script: Script, film_request: FilmRequest, narration: Narration,
    composer: ComposerResource, assembler: AssemblerResource, media: MediaStoreResource,
    requests: RequestStoreResource,
) -> Music:
    """A score for the film's mood, exactly as long as the film, changing with its scenes."""
    store = media.store()
    timeline = plan_timeline(
        script, {s.scene_index: s.duration_s for s in narration.scenes},
        film_request.target_seconds, assembler.fps,
    )
    takes = StageTakes(context, requests.store(), "music", script, config)
    progress = Progress(context, requests.store(), "music", 1)
    backend = composer.build()
    seed = takes.seed(film_request.seed, "music", scene_index=0)
    section_starts = [scene.start for scene in timeline.scenes]
    key = film_key(context, f"music-{input_hash(backend.name, script.mood, timeline.duration, seed, section_starts)}.wav")
    score = backend.compose(script.mood, timeline.duration, seed, section_starts=section_starts)
    write_wav(store.writable_path(key), score.samples, score.sample_rate)
    progress.advance(score.key)
    context.add_output_metadata({
        "backend": backend.name, "mood": script.mood, "tempo_bpm": score.tempo_bpm,
        "key": score.key, "seconds": round(timeline.duration, 2), "seed": seed,
    })
    takes.keep()
    return Music(backend=backend.name, audio=store.commit(key), duration_s=timeline.duration,
                 mood=script.mood, tempo_bpm=score.tempo_bpm, key=score.key)

