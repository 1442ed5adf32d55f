"""CogVideoX image-to-video: the quality animator (`VideoModelAnimator` does the shot, this the clip).

CogVideoX-5b-I2V makes 49 frames at 720x480 and 8 fps from a keyframe and a prompt of up to 226 T5
tokens. Its learned positional embeddings fix both the size and the frame count: other values are
refused rather than left to degrade every clip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from PIL import Image

from dreamreel_assets.backends.animator.video_model import (  # noqa: F401 (the animator's vocabulary)
    CAMERA_PHRASES,
    Interpolation,
    VideoModelAnimator,
    cover_resize,
    fit_keyframe,
    native_frames_needed,
    retime,
    shot_prompt,
)

if TYPE_CHECKING:
    from dreamreel_assets.backends.accelerator import Accelerator

Scheduler = Literal["dpm", "ddim"]
StepCache = Literal["none", "first-block", "pyramid-attention"]


class CogVideoXAnimator(VideoModelAnimator):
    """Animates keyframes with a loaded `CogVideoXImageToVideoPipeline` (never loaded here).

    Args:
        pipe: the pipeline, already on its device (see `load_cogvideox_animator`).
        steps: denoising steps per clip.
        guidance: classifier-free guidance scale.
        num_frames: frames per generated clip; 8k + 1 frames decode to exactly that many, which
            `frame_step` and `clips_needed` assume (continuation stays correct either way).
        native_fps: the frame rate the model was trained at (8 for CogVideoX 1.0).
        generation_size: (width, height) in landscape; portrait films generate in portrait where the
            transformer allows (models with learned positional embeddings, such as CogVideoX-5b-I2V,
            generate only at their trained size: the film's view is then framed inside it).
        use_dynamic_cfg: raise guidance along the schedule (the 5b models' recipe, meant for their
            DPM scheduler: with DDIM guidance jumps between about 1 and 7 from step to step).
        interpolation: "linear" blends neighbouring native frames, "nearest" repeats them.
        max_slowdown: how much slower than native a shot may play to fit in one clip.
    """

    name = "cogvideox"

    def __init__(self, pipe: Any, *, use_dynamic_cfg: bool = True, **settings: Any) -> None:
        self.use_dynamic_cfg = use_dynamic_cfg
        super().__init__(pipe, **settings)

    def _generate(self, image: Image.Image, prompt: str, width: int, height: int, seed: int) -> np.ndarray:
        import torch

        return self.pipe(
            image=image,
            prompt=prompt,
            width=width,
            height=height,
            num_frames=self.num_frames,
            num_inference_steps=self.steps,
            guidance_scale=self.guidance,
            use_dynamic_cfg=self.use_dynamic_cfg,
            max_sequence_length=self.pipe.transformer.config.max_text_seq_length,
            generator=torch.Generator().manual_seed(seed),
            output_type="np",
        ).frames[0]

    def _fixed_size(self) -> tuple[int, int] | None:
        """The only (width, height) the transformer generates at, if its positional embeddings are learned."""
        config = self.pipe.transformer.config
        if not config.use_learned_positional_embeddings:
            return None
        scale = self.pipe.vae_scale_factor_spatial
        return config.sample_width * scale, config.sample_height * scale

    def _check_frame_count(self) -> None:
        config = self.pipe.transformer.config
        trained = getattr(config, "sample_frames", None)
        if config.use_learned_positional_embeddings and trained and self.num_frames != trained:
            raise ValueError(
                f"num_frames={self.num_frames} does not match the model, which has learned positional "
                f"embeddings for {trained} frames: any other count degrades every clip (set num_frames: {trained})"
            )

    def _check_guidance(self) -> None:
        from diffusers import CogVideoXDPMScheduler

        if self.use_dynamic_cfg and not isinstance(self.pipe.scheduler, CogVideoXDPMScheduler):
            raise ValueError(
                f"dynamic CFG is meant for CogVideoX's DPM scheduler, not {type(self.pipe.scheduler).__name__}: "
                f"with it guidance jumps from step to step (use scheduler dpm, or dynamic_cfg false)"
            )

    def check_model(self) -> None:
        self._check_frame_count()
        self._check_guidance()

    def prompt_token_limit(self) -> int | None:
        return self.pipe.transformer.config.max_text_seq_length


def load_cogvideox_animator(
    model: str, accelerator: Accelerator, *, scheduler: Scheduler = "dpm", step_cache: StepCache = "none",
    **settings: Any,
) -> CogVideoXAnimator:
    """A `CogVideoXAnimator` on the pipeline at `model` (a local directory or hub id), loaded once
    per process through `accelerator` and placed with its memory strategy; `settings` go to the
    animator.

    scheduler: "dpm" is `CogVideoXDPMScheduler` with trailing timesteps, as the 5b model cards
    sample (and what dynamic CFG is tuned for); "ddim" keeps the DDIM scheduler saved with the model.
    step_cache: "first-block" (diffusers' First Block Cache) or "pyramid-attention" (Pyramid
    Attention Broadcast) reuse transformer work between similar denoising steps, trading a little
    detail for speed; "none" computes every step.

    Memory: CogVideoX-5b-I2V is about 21 GB of weights in bf16 (an 11 GB transformer, the 9.5 GB
    T5-XXL encoder). With `memory_strategy: auto` a card with room for them and the clip's working
    memory keeps everything on it; a 24 GB card offloads one component at a time. These are the
    model card's figures; `bench/gpu.py` measures them.
    """

    def load_pipeline() -> Any:
        from diffusers import CogVideoXDPMScheduler, CogVideoXImageToVideoPipeline

        pipe = accelerator.from_pretrained(CogVideoXImageToVideoPipeline, model, name=f"animator:{model}")
        if scheduler == "dpm":
            pipe.scheduler = CogVideoXDPMScheduler.from_config(pipe.scheduler.config, timestep_spacing="trailing")
        apply_step_cache(pipe, step_cache)
        pipe.set_progress_bar_config(disable=True)
        return pipe

    key = f"animator:{model}:{scheduler}:{step_cache}"
    return CogVideoXAnimator(accelerator.load(key, load_pipeline), **settings)


def apply_step_cache(pipe: Any, step_cache: StepCache) -> None:
    """Switch the step cache of a diffusers pipeline's transformer on (see `load_cogvideox_animator`)."""
    if step_cache == "none":
        return
    from diffusers import FirstBlockCacheConfig, PyramidAttentionBroadcastConfig

    if step_cache == "first-block":
        blocks = len(getattr(pipe.transformer, "transformer_blocks", ()))
        if blocks < 2:
            raise ValueError(f"the first-block step cache needs a transformer of 2 blocks or more; this one has {blocks}")
        pipe.transformer.enable_cache(FirstBlockCacheConfig(threshold=0.05))
    else:
        pipe.transformer.enable_cache(PyramidAttentionBroadcastConfig(
            spatial_attention_block_skip_range=2, spatial_attention_timestep_skip_range=(100, 800),
            current_timestep_callback=lambda: pipe.current_timestep,
        ))
