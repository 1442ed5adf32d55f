"""What the real models cost on a GPU, and what a film costs in GPU time.

Builds the FULL-SIZE architectures with random weights from their configurations (nothing is
downloaded; timings do not depend on the weights' values) and times them in bf16 on the device:

- keyframe: Stable Diffusion XL (UNet, VAE, both CLIP text encoders), 1024x1024, 30 steps;
- clip: CogVideoX-5b image-to-video (transformer, VAE, the full T5-XXL encoder), 49 frames at
  720x480, 50 steps, through `CogVideoXAnimator.generate_clip` (the animator's own call);
- LM: a 7B causal LM (Mistral-7B's shape as a `LlamaConfig`), 1,000 new tokens after a
  512-token prompt, greedy.

Each is timed twice: "base" (the configured steps, eager PyTorch; diffusers' and transformers'
attention already use SDPA) and "fast" (fewer steps, fused QKV projections, `torch.compile`
of the UNet/transformer; for the LM a static KV cache with its forward compiled and CUDA graphs).
Warm-up runs (which include compilation) are reported apart. Peak memory is
`torch.cuda.max_memory_allocated` from the built model's first run on.

Then it prices a film from the per-shot costs: GPU-seconds per second of finished film for the
default 5-minute film (46 shots of ~6.5 s, a keyframe and its clips per shot, character sheets
and the script's tokens). Nothing is asserted; it prints two tables.

Run on a CUDA machine: `python bench/gpu.py` (about 6-10 minutes on one H100).
`--tiny` builds tiny configurations on the CPU with a few steps: it proves the script end to end
(under two minutes on two cores) and its figures mean nothing.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tiny_cogvideox import TINY_NUM_FRAMES, TINY_SIZE, tiny_components, tiny_t5_tokenizer  # noqa: E402

from dreamreel_assets.backends.animator.cogvideox import CogVideoXAnimator  # noqa: E402
from dreamreel_assets.resources.gpu import GPUResource  # noqa: E402


@dataclass(frozen=True)
class Plan:
    """The work timed, and the film it is priced for."""

    keyframe_size: int = 1024
    keyframe_steps: int = 30
    keyframe_fast_steps: int = 20
    clip_size: tuple[int, int] = (720, 480)
    clip_frames: int = 49
    clip_steps: int = 50
    clip_fast_steps: int = 25
    lm_prompt_tokens: int = 512
    lm_new_tokens: int = 1000
    warmup_steps: int = 2
    film_shots: int = 46
    shot_seconds: float = 6.5
    film_fps: int = 24
    character_sheets: int = 3
    script_tokens: int = 6000
    """New tokens for a 5-minute script (narration, shot descriptions, JSON): an estimate."""


TINY = Plan(
    keyframe_size=64, keyframe_steps=3, keyframe_fast_steps=2, clip_size=TINY_SIZE, clip_frames=TINY_NUM_FRAMES,
    clip_steps=3, clip_fast_steps=2, lm_prompt_tokens=16, lm_new_tokens=32, warmup_steps=1,
)


@dataclass
class Figure:
    model: str
    mode: str
    work: str
    warmup_s: float
    seconds: float
    per_unit: float
    unit: str
    peak_gib: float | None


@dataclass
class Bench:
    device: str
    dtype: torch.dtype
    tiny: bool
    plan: Plan
    compile_backend: str
    memory_strategy: str

    def build(self, make: Callable[[], torch.nn.Module]) -> torch.nn.Module:
        """A module made straight on the device (random init there is fast), then cast."""
        with torch.device(self.device):
            module = make()
        return module.to(self.dtype).eval()

    def compile(self, module: torch.nn.Module) -> None:
        """Compiled in place, default mode: autotuning would add many minutes to the warm-up."""
        module.compile(backend=self.compile_backend)

    def time(self, run: Callable[[], object], warmup: Callable[[], object]) -> tuple[float, float, float | None]:
        """(warm-up s, timed s, peak GiB) of `run` after `warmup`."""
        started = time.perf_counter()
        warmup()
        self.sync()
        warmup_s = time.perf_counter() - started
        started = time.perf_counter()
        run()
        self.sync()
        seconds = time.perf_counter() - started
        peak = torch.cuda.max_memory_allocated() / 2**30 if self.device.startswith("cuda") else None
        return warmup_s, seconds, peak

    def sync(self) -> None:
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()

    def reset_peak(self) -> None:
        if self.device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()

    def free(self) -> None:
        gc.collect()
        if self.device.startswith("cuda"):
            torch.cuda.empty_cache()


# --- offline tokenizers -------------------------------------------------------------------------


def clip_tokenizer():
    """A byte-level CLIP BPE tokenizer without merges: every character is a token."""
    from tokenizers import pre_tokenizers
    from transformers import CLIPTokenizer

    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    tokens = ["<|startoftext|>", "<|endoftext|>", *alphabet, *(f"{c}</w>" for c in alphabet)]
    return CLIPTokenizer(vocab={token: i for i, token in enumerate(tokens)}, merges=[], model_max_length=77)


# --- Stable Diffusion XL ------------------------------------------------------------------------

CLIP_TOKEN_IDS = dict(bos_token_id=0, eos_token_id=1, pad_token_id=1)
"""The offline tokenizer's ids, so the text encoders pool at its end-of-text token."""


def sdxl_pipeline(bench: Bench):
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    if bench.tiny:
        text = CLIPTextConfig(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
                              vocab_size=1000, projection_dim=32, hidden_act="gelu", **CLIP_TOKEN_IDS)
        text_2 = text
        unet = dict(block_out_channels=(32, 64), layers_per_block=2, sample_size=32, attention_head_dim=(2, 4),
                    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                    up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), transformer_layers_per_block=(1, 2),
                    cross_attention_dim=64, addition_time_embed_dim=8, projection_class_embeddings_input_dim=80)
        vae = dict(block_out_channels=(32, 64), down_block_types=("DownEncoderBlock2D",) * 2,
                   up_block_types=("UpDecoderBlock2D",) * 2, sample_size=128)
    else:
        text = CLIPTextConfig(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                              projection_dim=768, hidden_act="quick_gelu", **CLIP_TOKEN_IDS)
        text_2 = CLIPTextConfig(hidden_size=1280, intermediate_size=5120, num_hidden_layers=32, num_attention_heads=20,
                                projection_dim=1280, hidden_act="gelu", **CLIP_TOKEN_IDS)
        unet = dict(block_out_channels=(320, 640, 1280), layers_per_block=2, sample_size=128,
                    attention_head_dim=(5, 10, 20),
                    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
                    up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
                    transformer_layers_per_block=(1, 2, 10), cross_attention_dim=2048, addition_time_embed_dim=256,
                    projection_class_embeddings_input_dim=2816)
        vae = dict(block_out_channels=(128, 256, 512, 512), down_block_types=("DownEncoderBlock2D",) * 4,
                   up_block_types=("UpDecoderBlock2D",) * 4, sample_size=1024, scaling_factor=0.13025,
                   force_upcast=True)
    torch.manual_seed(0)
    return StableDiffusionXLPipeline(
        vae=bench.build(lambda: AutoencoderKL(latent_channels=4, layers_per_block=2, **vae)),
        text_encoder=bench.build(lambda: CLIPTextModel(text)),
        text_encoder_2=bench.build(lambda: CLIPTextModelWithProjection(text_2)),
        tokenizer=clip_tokenizer(),
        tokenizer_2=clip_tokenizer(),
        unet=bench.build(lambda: UNet2DConditionModel(
            in_channels=4, out_channels=4, use_linear_projection=True, addition_embed_type="text_time", **unet,
        )),
        scheduler=EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                         steps_offset=1, timestep_spacing="leading"),
    )


def bench_keyframes(bench: Bench) -> list[Figure]:
    plan, size = bench.plan, bench.plan.keyframe_size
    pipe = prepare(bench, sdxl_pipeline(bench))

    def keyframe(steps: int):
        return lambda: pipe(prompt="a shy dragon opens a bakery in a mountain village, storybook", height=size,
                            width=size, num_inference_steps=steps, guidance_scale=6.0, output_type="pt",
                            generator=torch.Generator().manual_seed(0))

    figures = []
    for mode, steps in (("base", plan.keyframe_steps), ("fast", plan.keyframe_fast_steps)):
        if mode == "fast":
            pipe.fuse_qkv_projections()
            pipe.unet.to(memory_format=torch.channels_last)
            bench.compile(pipe.unet)
        bench.reset_peak()
        warmup_s, seconds, peak = bench.time(keyframe(steps), keyframe(plan.warmup_steps))
        figures.append(Figure("SDXL keyframe", mode, f"{size}x{size}, {steps} steps", warmup_s, seconds, seconds,
                              "s / keyframe", peak))
    del pipe
    bench.free()
    return figures


# --- CogVideoX-5b image-to-video ----------------------------------------------------------------

COGVIDEOX_5B_I2V = dict(
    num_attention_heads=48, attention_head_dim=64, in_channels=32, out_channels=16, time_embed_dim=512,
    text_embed_dim=4096, num_layers=42, sample_width=90, sample_height=60, sample_frames=49, patch_size=2,
    temporal_compression_ratio=4, max_text_seq_length=226, activation_fn="gelu-approximate",
    timestep_activation_fn="silu", spatial_interpolation_scale=1.875, temporal_interpolation_scale=1.0,
    use_rotary_positional_embeddings=True, use_learned_positional_embeddings=True,
)
T5_XXL_ENCODER = dict(
    vocab_size=32128, d_model=4096, d_ff=10240, d_kv=64, num_heads=64, num_layers=24,
    feed_forward_proj="gated-gelu", relative_attention_num_buckets=32, relative_attention_max_distance=128,
)


def cogvideox_pipeline(bench: Bench):
    from diffusers import (
        AutoencoderKLCogVideoX,
        CogVideoXDDIMScheduler,
        CogVideoXImageToVideoPipeline,
        CogVideoXTransformer3DModel,
    )
    from transformers import T5Config, T5EncoderModel

    if bench.tiny:
        return CogVideoXImageToVideoPipeline(**tiny_components()).to(dtype=bench.dtype)
    torch.manual_seed(0)
    return CogVideoXImageToVideoPipeline(
        tokenizer=tiny_t5_tokenizer(model_max_length=226),
        text_encoder=bench.build(lambda: T5EncoderModel(T5Config(**T5_XXL_ENCODER))),
        vae=bench.build(lambda: AutoencoderKLCogVideoX(scaling_factor=0.7)),
        transformer=bench.build(lambda: CogVideoXTransformer3DModel(**COGVIDEOX_5B_I2V)),
        scheduler=CogVideoXDDIMScheduler(beta_schedule="scaled_linear", prediction_type="v_prediction",
                                         timestep_spacing="trailing", rescale_betas_zero_snr=True,
                                         snr_shift_scale=1.0, clip_sample=False),
    )


def bench_clips(bench: Bench) -> tuple[list[Figure], int]:
    """Clip figures, and the clips a film's shot takes under the animator's continuation policy."""
    plan = bench.plan
    pipe = prepare(bench, cogvideox_pipeline(bench))
    image = Image.fromarray(np.full((plan.clip_size[1], plan.clip_size[0], 3), 128, np.uint8))
    prompt = "A shy dragon opens a bakery in a mountain village at dawn. Slow push-in toward the subject."

    def animator(steps: int) -> CogVideoXAnimator:
        return CogVideoXAnimator(pipe, steps=steps, num_frames=plan.clip_frames, generation_size=plan.clip_size)

    def clip(steps: int):
        return lambda: animator(steps).generate_clip(image, prompt, plan.clip_size, seed=0)

    figures = []
    for mode, steps in (("base", plan.clip_steps), ("fast", plan.clip_fast_steps)):
        if mode == "fast":
            pipe.fuse_qkv_projections()
            bench.compile(pipe.transformer)
        bench.reset_peak()
        warmup_s, seconds, peak = bench.time(clip(steps), clip(plan.warmup_steps))
        work = f"{plan.clip_size[0]}x{plan.clip_size[1]}x{plan.clip_frames}, {steps} steps"
        figures.append(Figure("CogVideoX clip", mode, work, warmup_s, seconds, seconds, "s / clip", peak))
    shot_frames = round(plan.shot_seconds * plan.film_fps)
    clips_per_shot = animator(plan.clip_steps).clips_needed(shot_frames, plan.film_fps)
    del pipe
    bench.free()
    return figures, clips_per_shot


# --- 7B causal LM -------------------------------------------------------------------------------


def causal_lm(bench: Bench):
    from transformers import LlamaConfig, LlamaForCausalLM

    shape = (
        dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
             vocab_size=1000)
        if bench.tiny
        else dict(hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
                  num_key_value_heads=8, vocab_size=32768, rope_theta=1e6)
    )
    config = LlamaConfig(**shape, max_position_embeddings=32768, bos_token_id=1, eos_token_id=2, pad_token_id=0,
                         attn_implementation="sdpa")
    torch.manual_seed(0)
    return bench.build(lambda: LlamaForCausalLM(config))


def bench_lm(bench: Bench) -> list[Figure]:
    from transformers import CompileConfig

    plan = bench.plan
    model = causal_lm(bench)
    prompt = torch.randint(3, model.config.vocab_size, (1, plan.lm_prompt_tokens), device=bench.device)
    compiled = CompileConfig(backend=bench.compile_backend, mode="reduce-overhead" if bench.device == "cuda" else None)
    compiled._compile_all_devices = True

    def generate(tokens: int, **options):
        return lambda: model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=tokens,
                                      min_new_tokens=tokens, do_sample=False, **options)

    figures = []
    modes = (("base", {}), ("fast", dict(cache_implementation="static", compile_config=compiled)))
    for mode, options in modes:
        bench.reset_peak()
        # A static cache is sized by the request: its warm-up makes the same request, compiling for it.
        warmup = generate(plan.lm_new_tokens if options else 8, **options)
        warmup_s, seconds, peak = bench.time(generate(plan.lm_new_tokens, **options), warmup)
        work = f"{plan.lm_prompt_tokens} + {plan.lm_new_tokens} tokens"
        figures.append(Figure("7B LM", mode, work, warmup_s, seconds, seconds * 1000 / plan.lm_new_tokens,
                              "s / 1k tokens", peak))
    del model
    bench.free()
    return figures


# --- the film -----------------------------------------------------------------------------------


def prepare(bench: Bench, pipe):
    pipe.set_progress_bar_config(disable=True)
    return GPUResource(device=bench.device, memory_strategy=bench.memory_strategy).prepare(pipe)


def film_costs(figures: list[Figure], clips: int, plan: Plan) -> list[str]:
    shot_frames = round(plan.shot_seconds * plan.film_fps)
    film_s = plan.film_shots * shot_frames / plan.film_fps
    lines = [
        f"film: {plan.film_shots} shots of {shot_frames} frames at {plan.film_fps} fps ({film_s:.0f} s); "
        f"{clips} clip(s) of {plan.clip_frames} frames per shot; {plan.character_sheets} character sheets; "
        f"~{plan.script_tokens} script tokens",
        f"{'mode':<6}{'sheets+keyframes s':>20}{'clips s':>10}{'script s':>10}{'GPU s':>10}{'GPU s / film s':>16}",
    ]
    for mode in ("base", "fast"):
        cost = {f.model: f.per_unit for f in figures if f.mode == mode}
        pictures = (plan.film_shots + plan.character_sheets) * cost.get("SDXL keyframe", 0.0)
        clip_s = plan.film_shots * clips * cost.get("CogVideoX clip", 0.0)
        script_s = plan.script_tokens / 1000 * cost.get("7B LM", 0.0)
        total = pictures + clip_s + script_s
        lines.append(f"{mode:<6}{pictures:>20.1f}{clip_s:>10.1f}{script_s:>10.1f}{total:>10.1f}{total / film_s:>16.2f}")
    return lines


def print_figures(figures: list[Figure]) -> None:
    print(f"{'model':<16}{'mode':<6}{'work':<30}{'warm-up s':>10}{'run s':>9}{'figure':>24}{'peak GiB':>10}")
    for f in figures:
        peak = f"{f.peak_gib:.1f}" if f.peak_gib is not None else "-"
        figure = f"{f.per_unit:.2f} {f.unit}"
        print(f"{f.model:<16}{f.mode:<6}{f.work:<30}{f.warmup_s:>10.1f}{f.seconds:>9.2f}{figure:>24}{peak:>10}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="tiny configurations on the CPU: proves the script runs")
    parser.add_argument("--device", help="cuda (default where available), cpu, cuda:1, ...")
    parser.add_argument("--dtype", choices=("bfloat16", "float16", "float32"),
                        help="default: bfloat16 on cuda, float32 on the CPU")
    parser.add_argument("--models", default="sdxl,cogvideox,lm", help="comma-separated subset of sdxl,cogvideox,lm")
    parser.add_argument("--memory-strategy", default="vae_slicing_tiling",
                        choices=("none", "vae_slicing_tiling", "model_cpu_offload", "sequential_cpu_offload"),
                        help="as the gpu resource applies it (default: all on the GPU, VAE sliced and tiled)")
    parser.add_argument("--compile-backend", help="torch.compile backend: inductor (default), eager with --tiny")
    return parser.parse_args()


def quiet_libraries() -> None:
    """Random weights and made-up tokenizers set off many harmless warnings; keep the tables readable."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    diffusers_logging.set_verbosity_error()
    transformers_logging.set_verbosity_error()
    warnings.simplefilter("ignore")


def main() -> None:
    args = parse_args()
    quiet_libraries()
    device = args.device or ("cuda" if torch.cuda.is_available() and not args.tiny else "cpu")
    dtype = getattr(torch, args.dtype or ("bfloat16" if device.startswith("cuda") else "float32"))
    bench = Bench(
        device=device, dtype=dtype, tiny=args.tiny, plan=TINY if args.tiny else Plan(),
        compile_backend=args.compile_backend or ("eager" if args.tiny else "inductor"),
        memory_strategy=args.memory_strategy,
    )
    if device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        print(f"device: {torch.cuda.get_device_name(device)}, {dtype}, torch {torch.__version__}")
    else:
        print(f"device: {device}, {dtype}, torch {torch.__version__}, {torch.get_num_threads()} threads"
              + (" (tiny configurations: the figures mean nothing)" if args.tiny else ""))
    models = set(args.models.split(","))
    figures: list[Figure] = []
    clips_per_shot = 0
    with np.errstate(all="ignore"):  # random weights make NaNs, and the casts of them warn
        if "sdxl" in models:
            figures += bench_keyframes(bench)
        if "cogvideox" in models:
            clip_figures, clips_per_shot = bench_clips(bench)
            figures += clip_figures
        if "lm" in models:
            figures += bench_lm(bench)
    print()
    print_figures(figures)
    print()
    print("\n".join(film_costs(figures, clips_per_shot, bench.plan)))


if __name__ == "__main__":
    main()
