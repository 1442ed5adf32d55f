"""Animators on image-to-video models: the keyframe comes alive as generated clips.

A shot becomes film frames in six steps (`VideoModelAnimator.frames`), whatever the model:

1. The keyframe is cover-cropped to the generation size, in the film's orientation where the model
   allows (CogVideoX-5b-I2V makes only 720x480: a portrait film's view is framed inside it).
2. The prompt is the shot's motion (or its description) plus a phrase for its camera move.
3. A clip of `num_frames` frames is generated at `native_fps`.
4. Shots longer than a clip continue from the clip's last frame (seed + 1, + 2, ...), the repeated
   first frame dropped, until the shot is covered. Shots at most `max_slowdown` (10%) longer than a
   clip are instead played that much slower: a second clip would double the shot's cost.
5. The native frames are retimed to the film's frame rate by blending neighbours (see `retime`).
6. Each frame is cover-cropped and resized to the film's size.

Frames are made as the encoder asks for them: a clip is generated only when its frames are needed,
and at most two clips (the one being read and the one being made) are held at once. A model
backend (`cogvideox.py`, `ltx_video.py`) only says how one clip is generated and what it can make.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from itertools import count, islice
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from PIL import Image

if TYPE_CHECKING:  # the bench runs these modules where pydantic is not installed
    from dreamreel_assets.models import Shot

CAMERA_PHRASES: dict[str, str] = {
    "static": "the camera holds still while the scene moves gently",
    "push-in": "slow push-in toward the subject",
    "pull-out": "slow pull-out revealing the surroundings",
    "pan-left": "the camera pans slowly to the left",
    "pan-right": "the camera pans slowly to the right",
    "tilt-up": "the camera tilts slowly upward",
    "tilt-down": "the camera tilts slowly downward",
}

Interpolation = Literal["linear", "nearest"]


class VideoModelAnimator:
    """Animates keyframes with a loaded image-to-video pipeline (never loaded here).

    Args:
        pipe: the pipeline, already on its device (see the backends' loaders).
        steps: denoising steps per clip.
        guidance: classifier-free guidance scale.
        num_frames: frames per generated clip; 8k + 1 frames decode to exactly that many, which
            `frame_step` and `clips_needed` assume (continuation stays correct either way).
        native_fps: the frame rate the model was trained at (8 for CogVideoX 1.0, 24 for LTX-Video).
        generation_size: (width, height) in landscape; portrait films generate in portrait where the
            transformer allows (models with learned positional embeddings, such as CogVideoX-5b-I2V,
            generate only at their trained size: the film's view is then framed inside it).
        interpolation: "linear" blends neighbouring native frames, "nearest" repeats them.
        max_slowdown: how much slower than native a shot may play to fit in one clip.
    """

    name = "video-model"

    def __init__(
        self,
        pipe: Any,
        *,
        steps: int = 50,
        guidance: float = 6.0,
        num_frames: int = 49,
        native_fps: int = 8,
        generation_size: tuple[int, int] = (720, 480),
        interpolation: Interpolation = "linear",
        max_slowdown: float = 0.1,
    ) -> None:
        self.pipe = pipe
        self.steps = steps
        self.guidance = guidance
        self.num_frames = num_frames
        self.native_fps = native_fps
        self.generation_size = (max(generation_size), min(generation_size))
        self.interpolation = interpolation
        self.max_slowdown = max_slowdown
        # One GPU gains nothing from two threads, and the pipeline's guidance state, scheduler and
        # offload hooks are not thread safe: one clip is generated at a time, whoever asks.
        self._lock = threading.Lock()
        self._check_generation_size()
        self.check_model()

    def frames(
        self, keyframe: Image.Image, shot: Shot, frame_count: int, size: tuple[int, int], fps: int, seed: int,
    ) -> Iterator[np.ndarray]:
        # 1. Fit the keyframe to the generation size.
        generation_size = self.generation_size_for(size)
        image = fit_keyframe(keyframe, generation_size, film_size=size)
        # 2. Prompt: what the shot shows, what moves in it and how the camera moves.
        prompt = shot_prompt(shot, self.prompt_fits)
        # 3-4. Native frames: clip after clip, each from the last frame of the one before.
        step = self.frame_step(frame_count, fps)
        needed = native_frames_needed(frame_count, step)
        native = islice(self._native_frames(image, prompt, generation_size, seed), needed)
        # 5. Frame-rate conversion to the film's fps.
        film_frames = retime(native, step, frame_count, self.interpolation)
        # 6. Exactly the film's size.
        for frame in film_frames:
            yield cover_resize(frame, size)

    def generation_size_for(self, size: tuple[int, int]) -> tuple[int, int]:
        """The (width, height) generated at for a film of `size`: landscape unless the film is
        portrait and the transformer can generate portrait."""
        landscape = self.generation_size
        if not is_portrait(size) or self._fixed_size() is not None:
            return landscape
        return landscape[1], landscape[0]

    def frame_step(self, frame_count: int, fps: int) -> Fraction:
        """Native frames advanced per film frame: native_fps / fps, or a little less when that
        fits the shot into one clip (see `max_slowdown`)."""
        step = Fraction(self.native_fps, fps)
        one_clip = Fraction(self.num_frames - 1, max(frame_count - 1, 1))
        if one_clip < step <= one_clip * (1 + Fraction(self.max_slowdown)):
            return one_clip
        return step

    def clips_needed(self, frame_count: int, fps: int) -> int:
        """Generated clips for a shot of `frame_count` frames at `fps` (each after the first adds
        num_frames - 1 new frames)."""
        native = native_frames_needed(frame_count, self.frame_step(frame_count, fps))
        return 1 + max(0, math.ceil((native - self.num_frames) / (self.num_frames - 1)))

    def _native_frames(
        self, image: Image.Image, prompt: str, size: tuple[int, int], seed: int,
    ) -> Iterator[np.ndarray]:
        """Generated frames without end: each clip starts from the last frame of the one before,
        whose copy (the new clip's first frame) is dropped."""
        for index in count():
            clip = self.generate_clip(image, prompt, size, seed + index)
            if len(clip) < 2:
                raise ValueError(f"num_frames={self.num_frames} makes 1-frame clips; continuing needs 2 or more")
            yield from clip if index == 0 else clip[1:]
            image = Image.fromarray(clip[-1])

    def generate_clip(self, image: Image.Image, prompt: str, size: tuple[int, int], seed: int) -> np.ndarray:
        """One generated clip starting from `image` (already of `size`), as uint8 frames
        (frames, height, width, 3)."""
        import torch

        width, height = size
        with self._lock:
            video = self._generate(image, prompt, width, height, seed)
        return np.rint(np.clip(video, 0.0, 1.0) * 255).astype(np.uint8)

    def _generate(self, image: Image.Image, prompt: str, width: int, height: int, seed: int) -> np.ndarray:
        """One clip from the pipeline: float frames in [0, 1], (frames, height, width, 3)."""
        raise NotImplementedError

    def prompt_token_limit(self) -> int | None:
        """Tokens the model's text encoder reads (the prompt is fitted to it)."""
        return None

    def prompt_fits(self, prompt: str) -> bool:
        limit, tokenizer = self.prompt_token_limit(), getattr(self.pipe, "tokenizer", None)
        if limit is None or tokenizer is None:
            return True
        return len(tokenizer(prompt).input_ids) <= limit

    def check_model(self) -> None:
        """Refuse, in words, settings the model cannot honour (called once, at construction)."""

    def _fixed_size(self) -> tuple[int, int] | None:
        """The only (width, height) the model generates at, if it has one."""
        return None

    def _check_generation_size(self) -> None:
        fixed = self._fixed_size()
        if fixed is not None and fixed != self.generation_size:
            raise ValueError(
                f"generation_size {self.generation_size} does not match the model, which generates only "
                f"at {fixed} (its positional embeddings are learned)"
            )


def shot_prompt(shot: Shot, fits: Callable[[str], bool] | None = None) -> str:
    """What the shot shows, how it moves and how the camera moves, as video models' captions read.

    `fits` says whether a prompt is within the text encoder's limit: the motion description is
    cut, sentence by sentence and then word by word, until it is; picture and camera always stay.
    """
    description = shot.description.strip().rstrip(".")
    camera = CAMERA_PHRASES[shot.camera].capitalize()
    words = shot.motion.split()
    while True:
        motion = " ".join(words).rstrip(".,;")
        prompt = f"{description}. {motion + '. ' if motion else ''}{camera}."
        if not words or fits is None or fits(prompt):
            return prompt
        words = words[:-1]


def native_frames_needed(frame_count: int, step: Fraction) -> int:
    """Native frames that `frame_count` film frames `step` native frames apart reach into."""
    return math.ceil((frame_count - 1) * step) + 1


def retime(
    native: Iterable[np.ndarray], step: Fraction, frame_count: int, interpolation: Interpolation = "linear",
) -> Iterator[np.ndarray]:
    """`frame_count` frames, frame i showing native time i * step, read lazily from `native`.

    Linear blending between the two neighbouring native frames is the default: at 8 -> 24 fps,
    "nearest" shows every generated frame three times, a visible 8 fps stutter on camera moves,
    while a cross-fade between neighbours reads as continuous motion for the slow, smooth moves
    CogVideoX makes. Its cost is a soft double image on fast motion in the in-between frames;
    motion-compensated interpolation would avoid that, at the price of another model.
    """
    native = iter(native)
    index, current, following = 0, next(native), None
    for i in range(frame_count):
        base, fraction = divmod(i * step, 1)
        while index < base:
            index, current, following = index + 1, following if following is not None else next(native), None
        if fraction == 0:
            yield current
            continue
        following = following if following is not None else next(native)
        yield blend(current, following, float(fraction), interpolation)


def blend(a: np.ndarray, b: np.ndarray, t: float, interpolation: Interpolation) -> np.ndarray:
    import cv2  # (here, not at the top: bench/gpu.py generates clips on machines without OpenCV)

    if interpolation == "nearest":
        return a if t < 0.5 else b
    return cv2.addWeighted(a, 1.0 - t, b, t, 0.0)


def fit_keyframe(keyframe: Image.Image, size: tuple[int, int], film_size: tuple[int, int]) -> Image.Image:
    """The keyframe as the first frame of a clip of `size`: cover-cropped to it.

    Where the film's orientation differs from `size` (a portrait film on a landscape-only model),
    a cover-crop would keep a third of the picture's height; instead the film's view is framed in
    the middle over a blurred copy of itself, and cropping each generated frame back to the film
    removes the fill. Pans and tilts may then bring some of the blurred fill into view.
    """
    import cv2

    picture = np.asarray(keyframe.convert("RGB"))
    canvas = cover_resize(picture, size)
    if is_portrait(size) == is_portrait(film_size):
        return Image.fromarray(canvas)
    width, height = size
    scale = min(width / film_size[0], height / film_size[1])
    view_w, view_h = round(film_size[0] * scale), round(film_size[1] * scale)
    left, top = (width - view_w) // 2, (height - view_h) // 2
    canvas = cv2.GaussianBlur(canvas, (0, 0), sigmaX=max(size) / 30)
    canvas[top:top + view_h, left:left + view_w] = cover_resize(picture, (view_w, view_h))
    return Image.fromarray(canvas)


def is_portrait(size: tuple[int, int]) -> bool:
    return size[0] < size[1]


def cover_resize(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`frame` centre-cropped to the aspect of `size` (width, height) and resized to exactly it."""
    import cv2

    height, width = frame.shape[:2]
    out_w, out_h = size
    scale = max(out_w / width, out_h / height)
    crop_w, crop_h = min(width, round(out_w / scale)), min(height, round(out_h / scale))
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    crop = frame[top:top + crop_h, left:left + crop_w]
    if (crop_w, crop_h) == (out_w, out_h):
        return np.ascontiguousarray(crop)
    shrinking = crop_w > out_w
    return cv2.resize(crop, (out_w, out_h), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
