"""LTX-Video image-to-video: the fast animator (`VideoModelAnimator` does the shot, this the clip).

LTX-Video's distilled checkpoints generate about as fast as the film plays on one large GPU (8
steps, no classifier-free guidance), against CogVideoX's ~15 GPU-seconds per film-second: the
`gpu-fast` profile uses it, CogVideoX keeps its place for quality. Any width and height that are
multiples of the VAE's spatial compression (32) work, so portrait films generate in portrait, and
clips are 8k + 1 frames at 24 fps.

Both of diffusers' LTX pipelines load here (`LTXImageToVideoPipeline` for 0.9.0-0.9.1, and
`LTXConditionPipeline` for 0.9.5 and later, the distilled ones included): they take the keyframe
as `image` alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from dreamreel_assets.backends.animator.video_model import VideoModelAnimator

if TYPE_CHECKING:
    from dreamreel_assets.backends.accelerator import Accelerator

DEFAULT_MODEL = "Lightricks/LTX-Video-0.9.7-distilled"
NEGATIVE_PROMPT = "worst quality, inconsistent motion, blurry, jittery, distorted"
PIPELINES = ("LTXImageToVideoPipeline", "LTXConditionPipeline")


class LTXVideoAnimator(VideoModelAnimator):
    """Animates keyframes with a loaded LTX-Video pipeline (never loaded here).

    Settings are `VideoModelAnimator`'s; the distilled models' own are 8 steps, guidance 1 (no
    negative pass), 121 frames (5 s at 24 fps) at 768x512.
    """

    name = "ltx-video"

    def _generate(self, image: Image.Image, prompt: str, width: int, height: int, seed: int) -> np.ndarray:
        import torch

        decode = {"decode_timestep": 0.05, "decode_noise_scale": 0.025} if self._timestep_decoder() else {}
        return self.pipe(
            image=image,
            prompt=prompt,
            negative_prompt=NEGATIVE_PROMPT,
            width=width,
            height=height,
            num_frames=self.num_frames,
            frame_rate=self.native_fps,
            num_inference_steps=self.steps,
            guidance_scale=self.guidance,
            max_sequence_length=self.prompt_token_limit(),
            generator=torch.Generator().manual_seed(seed),
            output_type="np",
            **decode,
        ).frames[0]

    def prompt_token_limit(self) -> int:
        return 128

    def check_model(self) -> None:
        # The pipelines take sides in multiples of 32 (the released VAEs' compression) whatever the VAE.
        spatial, temporal = max(self.pipe.vae_spatial_compression_ratio, 32), self.pipe.vae_temporal_compression_ratio
        if (self.num_frames - 1) % temporal:
            raise ValueError(f"num_frames={self.num_frames}: LTX-Video makes {temporal}k + 1 frames "
                             f"(e.g. {temporal * ((self.num_frames - 1) // temporal) + 1})")
        if any(side % spatial for side in self.generation_size):
            raise ValueError(f"generation size {self.generation_size}: each side must be a multiple of {spatial}")

    def _timestep_decoder(self) -> bool:
        return bool(getattr(self.pipe.vae.config, "timestep_conditioning", False))


def load_ltx_video_animator(model: str, accelerator: Accelerator, **settings: Any) -> LTXVideoAnimator:
    """An `LTXVideoAnimator` on the pipeline at `model` (a local directory or hub id), loaded once
    per process through `accelerator`; `settings` go to the animator."""
    name = f"animator:{model}"

    def load_pipeline() -> Any:
        from diffusers import DiffusionPipeline

        pipe = accelerator.from_pretrained(DiffusionPipeline, model, name=name)
        if type(pipe).__name__ not in PIPELINES:
            raise ValueError(f"{model} is a {type(pipe).__name__}, not an LTX-Video image-to-video "
                             f"pipeline ({' or '.join(PIPELINES)})")
        pipe.set_progress_bar_config(disable=True)
        return pipe

    return LTXVideoAnimator(accelerator.load(name, load_pipeline), **settings)
