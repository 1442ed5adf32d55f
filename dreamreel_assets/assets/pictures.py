"""Character sheets and keyframes."""

from contextlib import contextmanager

from dagster import AssetExecutionContext, MetadataValue, asset
from PIL import Image

from dreamreel_assets.assets.common import (
    Progress,
    contact_sheet,
    derive_seed,
    film_key,
    image_markdown,
    input_hash,
    Redo,
    StageTakes,
    thumbnail_key,
)
from dreamreel_assets.assets.retries import TRANSIENT_RETRIES, lower_memory_on_oom, permanent
from dreamreel_assets.backends.illustrator import SafetyFlagged, draw_keyframes
from dreamreel_assets.models import CharacterSheet, CharacterSheets, FilmRequest, Keyframe, Keyframes, Script
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import IllustratorResource
from dreamreel_assets.resources.gpu import GPUResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource


@contextmanager
def safety_flags_fail_at_once():
    """A picture the safety checker flagged on every try fails the step now: a retry would draw
    the same seeds again."""
    try:
        yield
    except SafetyFlagged as error:
        raise permanent(str(error)) from None


@asset(partitions_def=films, group_name="film", pool="gpu", kinds={"pytorch"}, retry_policy=TRANSIENT_RETRIES)
def character_sheets(
    context: AssetExecutionContext, script: Script, film_request: FilmRequest,
    illustrator: IllustratorResource, gpu: GPUResource, media: MediaStoreResource,
    requests: RequestStoreResource,
) -> CharacterSheets:
    """One reference picture per character: the anchor of their look in every shot."""
    store = media.store()
    gpu.begin_stage()
    painter = illustrator.build(gpu)
    size = (illustrator.sheet_width, illustrator.sheet_height)
    progress = Progress(context, requests.store(), "character_sheets", len(script.characters))
    sheets, pictures = [], []
    for character in script.characters:
        seed = derive_seed(film_request.seed, "character", character.id)
        key = film_key(context, "characters",
                       f"{character.id}-{input_hash(painter.name, illustrator.settings(), script.style, character, size, seed)}.png")
        ref = store.existing(key)
        if ref is None:
            with lower_memory_on_oom("character_sheets"), safety_flags_fail_at_once():
                picture = painter.character_sheet(script, character, size, seed)
            picture.save(store.writable_path(key))
            ref = store.commit(key)
        sheets.append(CharacterSheet(character_id=character.id, image=ref, seed=seed))
        pictures.append(Image.open(store.local_path(ref)))
        progress.advance(character.name)
    context.add_output_metadata({
        "backend": painter.name,
        "characters": len(sheets),
        "preview": image_markdown(contact_sheet(pictures, columns=len(pictures), cell=(256, 384)), 1024),
        **gpu.describe(),
    })
    return CharacterSheets(backend=painter.name, sheets=sheets)


@asset(partitions_def=films, group_name="film", pool="gpu", kinds={"pytorch"}, retry_policy=TRANSIENT_RETRIES)
def keyframes(
    context: AssetExecutionContext, config: Redo, script: Script, film_request: FilmRequest,
    character_sheets: CharacterSheets, illustrator: IllustratorResource, gpu: GPUResource,
    media: MediaStoreResource, requests: RequestStoreResource,
) -> Keyframes:
    """One picture per shot, in the film's style, with its characters as drawn on their sheets."""
    store = media.store()
    gpu.begin_stage()
    painter = illustrator.build(gpu)
    size = illustrator.keyframe_size(film_request.resolution)
    sheet_refs = {s.character_id: s.image for s in character_sheets.sheets}
    sheets = {cid: Image.open(store.local_path(ref)) for cid, ref in sheet_refs.items()}
    takes = StageTakes(context, requests.store(), "keyframes", script, config)
    progress = Progress(context, requests.store(), "keyframes", len(script.shots))
    made, reused, thumbs = [], 0, []
    for scene in script.scenes:
        # 1. What each shot of the scene needs, and which are already drawn.
        planned = []
        for original in scene.shots:
            seed = takes.seed(film_request.seed, "keyframe", original.id, scene_index=scene.index, shot_id=original.id)
            shot = takes.shot(original, scene.index)
            anchors = [sheet_refs[cid].sha256 for cid in shot.characters]
            digest = input_hash(painter.name, illustrator.settings(), script.style, scene.setting, shot, size, seed, anchors)
            key = film_key(context, "keyframes", f"{shot.id}-{digest}.png")
            planned.append((shot, seed, key, store.existing(key)))
        # 2. The rest drawn together (in batches on a GPU), each kept at once.
        missing = [(shot, seed) for shot, seed, _, ref in planned if ref is None]
        with lower_memory_on_oom("keyframes"), safety_flags_fail_at_once():
            drawn = iter(draw_keyframes(painter, script, scene, missing, sheets, size) if missing else [])
        for shot, seed, key, ref in planned:
            if ref is None:
                image = next(drawn)
                image.save(store.writable_path(key), compress_level=1)
                ref = store.commit(key)
            else:
                image = Image.open(store.local_path(ref))
                reused += 1
            thumbs.append(image.resize((192, round(192 * size[1] / size[0]))))
            thumbs[-1].save(store.writable_path(thumbnail_key(context, shot.id)), quality=80)
            store.commit(thumbnail_key(context, shot.id))
            made.append(Keyframe(shot_id=shot.id, scene_index=scene.index, image=ref, seed=seed,
                                 width=size[0], height=size[1]))
            progress.advance(shot.id)
    sheet_key = film_key(context, "keyframes", "contact_sheet.jpg")
    overview = contact_sheet(thumbs, cell=thumbs[0].size)
    overview.save(store.writable_path(sheet_key), quality=80)
    context.add_output_metadata({
        "backend": painter.name,
        "keyframes": len(made),
        "reused": reused,
        "size": f"{size[0]}x{size[1]}",
        "contact_sheet": MetadataValue.path(str(store.local_path(store.commit(sheet_key)))),
        "preview": image_markdown(overview, 1152),
        **gpu.describe(),
    })
    takes.keep()
    return Keyframes(backend=painter.name, keyframes=made)
