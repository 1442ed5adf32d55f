"""Small helpers every stage uses: seeds, input-keyed media names, progress reports."""


import base64
import hashlib
import io
import json
import time

from dagster import AssetExecutionContext, Config, Failure, MetadataValue
from PIL import Image
from pydantic import ValidationError

from dreamreel_assets.models import FixRequest, Script, Shot, describe_validation_error
from dreamreel_assets.stores.requests import FixRecord, RequestStore, new_fix

FIX_TAG = "dreamreel/fix"
"""Tag of a run that redoes one part of a film (its value: the fix id)."""


def derive_seed(base: int, *parts: object) -> int:
    """A per-item seed: stable across runs and machines, different for every item."""
    digest = hashlib.sha256(json.dumps([base, *map(str, parts)]).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def input_hash(*parts: object) -> str:
    """Short hash of everything a piece of media was made from: equal hash, reusable media."""
    text = json.dumps([p.model_dump(mode="json") if hasattr(p, "model_dump") else p for p in parts],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class Redo(Config):
    """Redo part of this stage for the film when re-materializing it from the Dagster UI, as the
    web app's "Fix a part" does: `redo: true` with a `scene` or a `shot` (keyframes, clips), a
    `scene` (narration) or neither (music), and an optional `note` for the prompt. Each redo is
    a new take, kept in the film's request once the stage succeeds."""

    redo: bool = False
    scene: int | None = None
    shot: str | None = None
    note: str = ""


class Takes:
    """What fixes asked of one stage: for each item, how often it was redone and the notes given.

    Fixes live in the request, so every later run of the stage (a fix of another part, a
    re-materialization from the UI) makes the same takes again: nothing fixed comes undone.
    """

    def __init__(self, fixes: list[FixRecord], stage: str, asked: FixRecord | None = None):
        self.fixes = [fix for fix in fixes if fix.stage == stage and fix.status != "failed"]
        self.asked = asked
        if asked is not None:
            self.fixes.append(asked)

    def take(self, scene_index: int, shot_id: str | None = None) -> int:
        return sum(fix.covers(scene_index, shot_id) for fix in self.fixes)

    def seed(self, base: int, *parts: object, scene_index: int, shot_id: str | None = None) -> int:
        """The item's seed: as before any fix for take 0, a new one for every take after."""
        take = self.take(scene_index, shot_id)
        return derive_seed(base, *parts, *(("take", take) if take else ()))

    def shot(self, shot: Shot, scene_index: int) -> Shot:
        """The shot with the notes of its fixes joined to its description (the picture's prompt)."""
        notes = [fix.note for fix in self.fixes if fix.note and fix.covers(scene_index, shot.id)]
        if not notes:
            return shot
        return shot.model_copy(update={"description": ". ".join([shot.description.rstrip(". "), *notes])})


class StageTakes(Takes):
    """The takes of one stage in one run, with the redo asked in its config (if any)."""

    def __init__(self, context: AssetExecutionContext, requests: RequestStore, stage: str, script: Script,
                 redo: Redo | None = None):
        record = requests.get(context.partition_key)
        if context.run.tags.get(FIX_TAG) and record is not None and record.run_id is None:
            requests.mark_started(context.partition_key, context.run_id)  # a fix run's first stage
        super().__init__(record.fixes if record else [], stage, _asked(stage, script, redo))
        self.context, self.requests = context, requests

    def keep(self) -> None:
        """Once the stage has succeeded: record the redo asked in config into the request."""
        if self.asked is not None:
            self.requests.record_fix(self.context.partition_key, self.asked.model_copy(update={"status": "done"}))


def _asked(stage: str, script: Script, redo: Redo | None) -> FixRecord | None:
    if redo is None or not redo.redo:
        return None
    try:
        fix = FixRequest(stage=stage, scene=redo.scene, shot=redo.shot, note=redo.note)
    except ValidationError as error:
        raise Failure(description=f"redo: {describe_validation_error(error)}", allow_retries=False) from None
    if fix.scene is not None and fix.scene not in {scene.index for scene in script.scenes}:
        raise Failure(description=f"redo: this film has scenes 1-{len(script.scenes)}", allow_retries=False)
    if fix.shot is not None and fix.shot not in {shot.id for shot in script.shots}:
        raise Failure(description=f"redo: {fix.shot!r} is not a shot of this film", allow_retries=False)
    return new_fix(fix)


def film_key(context: AssetExecutionContext, *parts: str) -> str:
    return "/".join(("films", context.partition_key, *parts))


def thumbnail_key(context: AssetExecutionContext, shot_id: str) -> str:
    """A shot's small keyframe picture, which the web app shows while the film is being made."""
    return film_key(context, "thumbnails", f"{shot_id}.jpg")


PROGRESS_EVERY_S = 5.0
PROGRESS_QUIET_S = 60.0
"""Progress reaches the request store at a stage's start and end, and in between at most every
PROGRESS_EVERY_S, when the stage has moved on by a tenth or has not been reported for
PROGRESS_QUIET_S: a stage costs about a dozen billed writes on Firestore, however many items it has
and however slowly they come (the run's log gets every step)."""


class Progress:
    """Counts a stage's work items into the request document and the run's log."""

    def __init__(self, context: AssetExecutionContext, requests: RequestStore, stage: str, total: int,
                 every_s: float = PROGRESS_EVERY_S, quiet_s: float = PROGRESS_QUIET_S):
        self.context, self.requests, self.stage, self.total = context, requests, stage, total
        self.every_s, self.quiet_s = every_s, quiet_s
        self.done = 0
        self._report("")

    def advance(self, note: str = "") -> None:
        self.done += 1
        self.context.log.debug(f"{self.stage} {self.done}/{self.total} {note}".rstrip())
        if self._worth_reporting(time.monotonic() - self._reported_at):
            self._report(note)

    def _worth_reporting(self, since_s: float) -> bool:
        if self.done >= self.total:
            return True
        tenths = (10 * self.done) // max(self.total, 1) > (10 * self._reported_done) // max(self.total, 1)
        return since_s >= self.every_s and (tenths or since_s >= self.quiet_s)

    def _report(self, note: str) -> None:
        self.requests.report_progress(self.context.partition_key, self.stage, self.done, self.total, note)
        self._reported_at, self._reported_done = time.monotonic(), self.done


def image_markdown(image: Image.Image, width: int = 640, caption: str = "") -> MetadataValue:
    """An inline picture for the Dagster UI (metadata cannot point at files the browser can't reach)."""
    thumb = image.copy()
    thumb.thumbnail((width, width))
    buffer = io.BytesIO()
    thumb.convert("RGB").save(buffer, "JPEG", quality=70)
    data = base64.b64encode(buffer.getvalue()).decode()
    return MetadataValue.md(f"![{caption}](data:image/jpeg;base64,{data})\n\n{caption}")


def contact_sheet(images: list[Image.Image], columns: int = 6, cell: tuple[int, int] = (192, 108)) -> Image.Image:
    rows = max(1, -(-len(images) // columns))
    sheet = Image.new("RGB", (columns * cell[0], rows * cell[1]), (20, 20, 20))
    for index, image in enumerate(images):
        thumb = image.convert("RGB")
        thumb.thumbnail(cell)
        sheet.paste(thumb, ((index % columns) * cell[0], (index // columns) * cell[1]))
    return sheet
