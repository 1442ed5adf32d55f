"""The Stable Diffusion illustrator: SD 1.5 and SDXL text-to-image pipelines through one code path.

Components are injected: `DiffusionIllustrator` takes a loaded text-to-image pipeline and builds
its image-to-image twin from the same modules (`AutoPipelineForImage2Image.from_pipe`: no second
load, no extra memory). `load_diffusion_illustrator` is the only place that loads weights, once
per process, through the `gpu` resource.

Character consistency: img2img from the character sheets. A shot with characters starts from a
layout of their sheets (framed by the shot type, on a backdrop the colour of the sheets' plain
backgrounds) and is redrawn at `consistency_strength`; a shot without characters is plain
text-to-image. Why img2img rather than IP-Adapter: it needs no weights beyond the base model,
works the same for SD 1.5 and SDXL, carries a character's colours, proportions and costume
straight from their sheet, and runs (and is tested) offline with tiny random-weight pipelines.
IP-Adapter transfers identity better but needs an image encoder and adapter weights per family.

Prompts are fitted to the tokenizer's limit (CLIP: 77 tokens) by priority rather than cut at the
end: the style preset always survives, then the shot description, the setting, and the
characters' looks last (in shots they are also carried by the sheets).

Safety: a model that ships a safety checker (SD 1.x) is loaded with it unless `safety_checker` is
off. The checker blacks out a picture it flags; such a picture is drawn again with the next seeds,
and after `safety_tries` flagged tries the step fails saying which shot, never a silent black frame.
SDXL has no checker: its pictures are used as drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFilter

from dreamreel_assets.backends.accelerator import Accelerator
from dreamreel_assets.backends.illustrator import SafetyFlagged
from dreamreel_assets.catalog.styles import styles
from dreamreel_assets.models import Character, Scene, Script, Shot

BASE_NEGATIVE = "blurry, low quality, deformed, extra limbs, bad anatomy, text, watermark, signature"


SHEET_WORDS = "character reference sheet, full body, plain background"
AGE_WORDS = {"child": "child", "young": "young", "adult": "adult", "elder": "elderly"}

FIGURE_HEIGHT = {"establishing": 0.45, "wide": 0.6, "medium": 0.9, "over-the-shoulder": 0.95, "close-up": 1.5}
"""Height of a character in the sheet layout, as a fraction of the frame, per shot type."""

FAMILY_DEFAULTS = {  # keyed by "is SDXL"
    False: {"steps": 30, "guidance": 7.5, "generation_pixels": 512 * 512, "size_multiple": 8},
    True: {"steps": 30, "guidance": 6.0, "generation_pixels": 1024 * 1024, "size_multiple": 64},
}

TEXT_TO_IMAGE, IMAGE_TO_IMAGE = "text-to-image", "image-to-image"
SAFETY_TRIES = 3
"""Tries per picture (the seed, then the next ones) before a safety-checker flag fails the step."""
MIN_PART_WORDS = 3


# --- prompts ------------------------------------------------------------------------------


def fit_prompt(parts: Sequence[str], priority: Sequence[int], count: Callable[[str], int], limit: int) -> str:
    """Join `parts` (in their order) with commas, at most `limit` tokens: parts are admitted in
    `priority` order, each cut to the words that still fit (or left out if fewer than
    `MIN_PART_WORDS` would)."""
    kept: dict[int, str] = {}

    def joined(extra: dict[int, str]) -> str:
        chosen = {**kept, **extra}
        return ", ".join(chosen[i] for i in sorted(chosen) if chosen[i])

    for index in priority:
        words = parts[index].split()
        low, high = 0, len(words)  # binary search for the most words that fit
        while low < high:
            middle = (low + high + 1) // 2
            if count(joined({index: " ".join(words[:middle])})) <= limit:
                low = middle
            else:
                high = middle - 1
        if low < min(MIN_PART_WORDS, len(words)):
            low = 0  # a stub such as "a" or "on the" says nothing: leave the room to the next part
        kept[index] = " ".join(words[:low]).rstrip(",")
    return joined({})


def generation_size(size: tuple[int, int], pixels: int, multiple: int) -> tuple[int, int]:
    """About `pixels` in area with the aspect of `size`, each side a multiple of `multiple`."""
    scale = math.sqrt(pixels / (size[0] * size[1]))
    width, height = (max(multiple, round(side * scale / multiple) * multiple) for side in size)
    return width, height


# --- the layout that anchors characters -----------------------------------------------------


def backdrop_color(sheets: Sequence[Image.Image]) -> tuple[int, int, int]:
    """The mean colour of the sheets' borders: their plain background."""
    borders = []
    for sheet in sheets:
        pixels = np.asarray(sheet, dtype=np.float32)
        borders += [pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]]
    return tuple(int(c) for c in np.concatenate(borders).mean(axis=0))  # type: ignore[return-value]


def feathered_mask(size: tuple[int, int]) -> Image.Image:
    inset = max(1, min(size) // 12)
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rectangle((inset, inset, size[0] - inset - 1, size[1] - inset - 1), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(inset / 2))


def sheet_layout(sheets: Sequence[Image.Image], size: tuple[int, int], shot_type: str) -> Image.Image:
    """The characters' sheets side by side, framed as the shot type frames people, on a backdrop
    the colour of the sheets' backgrounds: where an image-to-image shot starts from."""
    sheets = [sheet.convert("RGB") for sheet in sheets]
    width, height = size
    canvas = Image.new("RGB", size, backdrop_color(sheets))
    slot = width / len(sheets)
    for number, sheet in enumerate(sheets):
        aspect = sheet.width / sheet.height
        figure_height = min(FIGURE_HEIGHT.get(shot_type, 0.9) * height, 0.95 * slot / aspect)
        figure_size = (max(1, round(figure_height * aspect)), max(1, round(figure_height)))
        figure = sheet.resize(figure_size, Image.Resampling.LANCZOS)
        top = round(max(0.05, 0.75 * (1 - figure_height / height)) * height)
        left = round((number + 0.5) * slot - figure.width / 2)
        canvas.paste(figure, (left, top), feathered_mask(figure.size))
    return canvas


# --- the illustrator ------------------------------------------------------------------------


class DiffusionIllustrator:
    """Character sheets and keyframes from a Stable Diffusion (1.5 or XL) pipeline.

    Settings left as None take the family's default (`FAMILY_DEFAULTS`). `consistency_strength`
    is the img2img strength from the sheet layout: lower keeps characters closer to their sheets.
    """

    def __init__(
        self,
        pipeline: Any,
        image2image: Any | None = None,
        *,
        steps: int | None = None,
        guidance: float | None = None,
        generation_pixels: int | None = None,
        size_multiple: int | None = None,
        consistency_strength: float = 0.6,
        batch_size: int = 4,
        safety_tries: int = SAFETY_TRIES,
    ):
        from diffusers import AutoPipelineForImage2Image

        self.pipeline = pipeline
        self.image2image = image2image or AutoPipelineForImage2Image.from_pipe(pipeline)
        self.image2image.set_progress_bar_config(disable=True)
        self.is_sdxl = "text_encoder_2" in pipeline.components
        defaults = FAMILY_DEFAULTS[self.is_sdxl]
        self.steps = steps or defaults["steps"]
        self.guidance = defaults["guidance"] if guidance is None else guidance
        self.generation_pixels = generation_pixels or defaults["generation_pixels"]
        self.size_multiple = size_multiple or defaults["size_multiple"]
        if not 0 < consistency_strength <= 1:
            raise ValueError(f"consistency_strength must be in (0, 1], not {consistency_strength}")
        self.consistency_strength = consistency_strength
        self.batch_size = max(1, batch_size)
        self.safety_tries = max(1, safety_tries)
        model = pipeline.config.get("_name_or_path")
        self.name = f"diffusers:{type(pipeline).__name__}" + (f":{model}" if model else "")
        self.last_mode: str | None = None

    # prompts

    def _fit(self, parts: Sequence[str], priority: Sequence[int]) -> str:
        tokenizer = getattr(self.pipeline, "tokenizer", None) or getattr(self.pipeline, "tokenizer_2", None)
        if tokenizer is None:
            return fit_prompt(parts, priority, lambda text: len(text.split()), 60)
        limit = min(tokenizer.model_max_length, 77) - 2  # less the start and end tokens

        def count(text: str) -> int:
            return len(tokenizer(text, add_special_tokens=False).input_ids)

        return fit_prompt(parts, priority, count, limit)

    def negative_prompt(self, script: Script) -> str:
        return self._fit([styles()[script.style].prompt.avoid, BASE_NEGATIVE], [0, 1])

    def sheet_prompt(self, script: Script, character: Character) -> str:
        who = f"{character.role}, {AGE_WORDS[character.age]}"
        parts = [character.look, who, SHEET_WORDS, styles()[script.style].prompt.words]
        return self._fit(parts, priority=[3, 2, 0, 1])

    def keyframe_prompt(self, script: Script, scene: Scene, shot: Shot) -> str:
        looks = "; ".join(script.character(cid).look for cid in shot.characters)
        style_words = styles()[script.style].prompt.words
        parts = [f"{shot.shot_type} shot, {shot.description}", scene.setting, looks, style_words]
        return self._fit(parts, priority=[3, 0, 1, 2])

    # pictures

    def _common(self, prompt: str, negative: str, seed: int) -> dict[str, Any]:
        return {
            "prompt": prompt,
            "negative_prompt": negative,
            "guidance_scale": self.guidance,
            "generator": torch.Generator(device="cpu").manual_seed(seed),
        }

    def generation_size(self, size: tuple[int, int]) -> tuple[int, int]:
        return generation_size(size, self.generation_pixels, self.size_multiple)

    def _text_to_image(self, prompt: str, negative: str, size: tuple[int, int], seed: int) -> Any:
        self.last_mode = TEXT_TO_IMAGE
        width, height = self.generation_size(size)
        return self.pipeline(
            **self._common(prompt, negative, seed), width=width, height=height, num_inference_steps=self.steps,
        )

    def _image_to_image(self, prompt: str, negative: str, start: Image.Image, seed: int) -> Any:
        self.last_mode = IMAGE_TO_IMAGE
        strength = self.consistency_strength
        return self.image2image(
            **self._common(prompt, negative, seed), image=start, strength=strength,
            num_inference_steps=math.ceil(self.steps / strength),
        )

    def text_to_image(self, prompt: str, negative: str, size: tuple[int, int], seed: int,
                      what: str = "a picture") -> Image.Image:
        return self._unflagged(what, seed, lambda tried: self._text_to_image(prompt, negative, size, tried))

    def image_to_image(self, prompt: str, negative: str, start: Image.Image, seed: int,
                       what: str = "a picture") -> Image.Image:
        """Redraw `start` at `consistency_strength`, with about `steps` denoising steps."""
        return self._unflagged(what, seed, lambda tried: self._image_to_image(prompt, negative, start, tried))

    def _unflagged(self, what: str, seed: int, draw: Callable[[int], Any],
                   first_was_flagged: bool = False) -> Image.Image:
        """The picture `draw(seed)` makes; one the safety checker flags (blacked out) is drawn again
        with the next seeds, and flagged on every try it is SafetyFlagged, in words."""
        for attempt in range(1 if first_was_flagged else 0, self.safety_tries):
            output = draw(seed + attempt)
            if not safety_flags(output)[0]:
                return output.images[0]
        tries = {1: "once", 2: "twice", 3: "three times"}.get(self.safety_tries, f"{self.safety_tries} times")
        seeds = ", ".join(str(seed + attempt) for attempt in range(self.safety_tries))
        raise SafetyFlagged(
            f"the image model's safety checker flagged {what} {tries} (seeds {seeds}) and blacked it out: "
            f"ask for a fix with a note that steers the picture elsewhere, or turn the checker off "
            f"(illustrator safety_checker: false)")

    def character_sheet(self, script: Script, character: Character, size: tuple[int, int], seed: int) -> Image.Image:
        prompt = self.sheet_prompt(script, character)
        image = self.text_to_image(prompt, self.negative_prompt(script), size, seed,
                                   what=f"the character sheet of {character.name}")
        return finish(image, size)

    def keyframe(
        self, script: Script, scene: Scene, shot: Shot, sheets: dict[str, Image.Image],
        size: tuple[int, int], seed: int,
    ) -> Image.Image:
        # 1. Prompts: the shot, its setting, its characters' looks, in the film's style.
        prompt, negative = self.keyframe_prompt(script, scene, shot), self.negative_prompt(script)
        # 2. The characters in frame whose sheets we have.
        cast = [sheets[cid] for cid in shot.characters if cid in sheets]
        # 3. No characters: draw from the words alone.
        if not cast:
            return finish(self.text_to_image(prompt, negative, size, seed, what=f"shot {shot.id}"), size)
        # 4. Characters: lay their sheets out in the frame and redraw that layout.
        start = sheet_layout(cast, self.generation_size(size), shot.shot_type)
        image = self.image_to_image(prompt, negative, start, seed, what=f"shot {shot.id}")
        # 5. Exactly the requested size.
        return finish(image, size)


    def keyframes(
        self, script: Script, scene: Scene, shots: Sequence[tuple[Shot, int]], sheets: dict[str, Image.Image],
        size: tuple[int, int],
    ) -> list[Image.Image]:
        """Keyframes for several shots of a scene, `batch_size` per pipeline call: shots without
        characters drawn from words together, shots with characters redrawn from their layouts
        together. Each shot keeps its own seed (a generator per picture); a picture the safety
        checker flags is drawn again on its own with the next seeds."""
        negative = self.negative_prompt(script)
        generation = self.generation_size(size)
        plain, posed = [], []
        for number, (shot, seed) in enumerate(shots):
            cast = [sheets[cid] for cid in shot.characters if cid in sheets]
            start = sheet_layout(cast, generation, shot.shot_type) if cast else None
            (posed if cast else plain).append((number, self.keyframe_prompt(script, scene, shot), seed, start))
        pictures: list[Image.Image | None] = [None] * len(shots)
        for group in _batches(plain, self.batch_size):
            self.last_mode = TEXT_TO_IMAGE
            output = self.pipeline(**self._batch(group, negative), width=generation[0], height=generation[1],
                                   num_inference_steps=self.steps)
            for (number, prompt, seed, _), image, flagged in zip(group, output.images, safety_flags(output)):
                if flagged:
                    image = self._unflagged(f"shot {shots[number][0].id}", seed, first_was_flagged=True,
                                            draw=lambda tried: self._text_to_image(prompt, negative, size, tried))
                pictures[number] = finish(image, size)
        for group in _batches(posed, self.batch_size):
            self.last_mode = IMAGE_TO_IMAGE
            output = self.image2image(**self._batch(group, negative), image=[start for *_, start in group],
                                      strength=self.consistency_strength,
                                      num_inference_steps=math.ceil(self.steps / self.consistency_strength))
            for (number, prompt, seed, start), image, flagged in zip(group, output.images, safety_flags(output)):
                if flagged:
                    image = self._unflagged(f"shot {shots[number][0].id}", seed, first_was_flagged=True,
                                            draw=lambda tried: self._image_to_image(prompt, negative, start, tried))
                pictures[number] = finish(image, size)
        return pictures  # type: ignore[return-value]

    def _batch(self, group: list, negative: str) -> dict[str, Any]:
        return {
            "prompt": [prompt for _, prompt, _, _ in group],
            "negative_prompt": [negative] * len(group),
            "guidance_scale": self.guidance,
            "generator": [torch.Generator(device="cpu").manual_seed(seed) for _, _, seed, _ in group],
        }


def safety_flags(output: Any) -> list[bool]:
    """Which of a pipeline call's pictures its safety checker flagged (none without a checker)."""
    flags = getattr(output, "nsfw_content_detected", None)
    return [bool(flag) for flag in flags] if flags is not None else [False] * len(output.images)


def _batches(items: list, size: int) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def finish(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    image = image.convert("RGB")
    return image if image.size == tuple(size) else image.resize(size, Image.Resampling.LANCZOS)


# --- loading --------------------------------------------------------------------------------


def _safety_options(model: str, accelerator: Accelerator, safety_checker: bool) -> dict[str, Any]:
    """Loading options: the model's own safety checker (SD 1.x ships one) unless it is turned off."""
    if safety_checker:
        return {}
    from diffusers import DiffusionPipeline

    where: dict[str, Any] = {"local_files_only": Path(model).is_dir()}
    if accelerator.model_cache_dir:
        where["cache_dir"] = accelerator.model_cache_dir
    if "safety_checker" in DiffusionPipeline.load_config(model, **where):  # SD 1.x
        return {"safety_checker": None, "requires_safety_checker": False}
    return {}


def load_diffusion_illustrator(model: str, accelerator: Accelerator, safety_checker: bool = True,
                               **settings: Any) -> DiffusionIllustrator:
    """The illustrator for `model` (a local directory or a model id; SD 1.5 or SDXL), its pipeline
    loaded once per process, with the model's safety checker unless `safety_checker` is False.
    `settings` are `DiffusionIllustrator`'s: steps, guidance, generation_pixels, size_multiple,
    consistency_strength, batch_size, safety_tries; None keeps the family's default."""
    name = f"illustrator:{model}" + ("" if safety_checker else ":without-safety-checker")

    def factory() -> Any:
        from diffusers import AutoPipelineForText2Image

        pipeline = accelerator.from_pretrained(AutoPipelineForText2Image, model, name=name,
                                               **_safety_options(model, accelerator, safety_checker))
        pipeline.set_progress_bar_config(disable=True)
        return pipeline

    return DiffusionIllustrator(accelerator.load(name, factory), **settings)
