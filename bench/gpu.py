"""What the real models cost on a GPU, and what a film costs in GPU time.

Builds the FULL-SIZE architectures with random weights straight on the GPU in bf16 (nothing is
downloaded; timings do not depend on the weights' values) and times them through the animators'
own calls, one model family per call (each fits one 10-minute command):

- sdxl: a Stable Diffusion XL keyframe (UNet, VAE, both CLIP text encoders), 1024x1024, 30 steps;
- cogvideox: a CogVideoX-5b image-to-video clip (transformer, VAE, the full T5-XXL encoder), 49
  frames at 720x480 and 8 fps, 50 steps on its DPM scheduler, through `CogVideoXAnimator`;
- ltx: an LTX-Video image-to-video clip (the 2B transformer, its VAE, T5-XXL), 121 frames at
  768x512 and 24 fps, 8 steps without guidance as the distilled checkpoints run, through
  `LTXVideoAnimator`;
- lm: a 7B causal LM (Mistral-7B's shape), 1,000 new tokens after a 512-token prompt, greedy.

Modes: "base" is eager PyTorch (attention through SDPA); "cache" (cogvideox) adds diffusers'
First Block Cache; "fast" fuses QKV projections and compiles the denoiser with torch.compile
(sdxl and cogvideox also halve their steps, which changes the pictures; ltx keeps its 8).
Warm-ups (which include compilation) are reported apart. Peak memory is the stage's
`torch.cuda.max_memory_allocated`. Each figure is printed as soon as it is measured and the
family's results are written to `<out>/<family>.json` after every figure, so a command cut short
keeps what it measured. `--summarize <out>` reads them all and prices the default 5-minute film
in GPU-seconds per film-second for each animator and mode. Goals on an H200: SDXL at most 1.5 s
a keyframe; CogVideoX at most 5 GPU-s per film-s; LTX-Video at most 1.5.

It runs on a bare GPU machine with Python, PyTorch and transformers: its import path has no
Dagster, pydantic or OpenCV (`dreamreel_assets/backends/accelerator.py` and the animators import
none of them); diffusers and Pillow come as wheels (README: *Benchmarks on a GPU machine*):

    python bench/gpu.py --family sdxl --out results     # then cogvideox, ltx, lm: one call each
    python bench/gpu.py --summarize results

`--tiny` builds tiny configurations on the CPU with a few steps: it proves the script end to end
(seconds per family on two cores) and its figures mean nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/queue.py would shadow
# the standard library's `queue` (torch imports it): take the folder off first.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from dreamreel_assets.backends.accelerator import Accelerator  # noqa: E402

FAMILIES = ("sdxl", "cogvideox", "ltx", "lm")


@dataclass(frozen=True)
class Plan:
    """The work timed, and the film it is priced for."""

    keyframe_size: int = 1024
    keyframe_steps: int = 30
    keyframe_fast_steps: int = 15
    clip_size: tuple[int, int] = (720, 480)
    clip_frames: int = 49
    clip_fps: int = 8
    clip_steps: int = 50
    clip_fast_steps: int = 25
    ltx_size: tuple[int, int] = (768, 512)
    ltx_frames: int = 121
    ltx_fps: int = 24
    ltx_steps: int = 8
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
    keyframe_size=64, keyframe_steps=3, keyframe_fast_steps=2, clip_size=(32, 16), clip_frames=9, clip_steps=3,
    clip_fast_steps=2, ltx_size=(64, 32), ltx_frames=9, ltx_steps=2, lm_prompt_tokens=16, lm_new_tokens=32,
    warmup_steps=1,
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
    clips_per_shot: int | None = None
    """Clip figures: clips a film's shot takes under the animator's continuation policy."""


@dataclass
class Bench:
    family: str
    device: str
    dtype: torch.dtype
    tiny: bool
    plan: Plan
    compile_backend: str
    out: Path | None
    figures: list[Figure] = field(default_factory=list)

    @property
    def accelerator(self) -> Accelerator:
        return Accelerator(device=self.device, dtype=str(self.dtype).removeprefix("torch."), memory_strategy="auto")

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
        self.accelerator.begin_stage()
        started = time.perf_counter()
        warmup()
        self.sync()
        warmup_s = time.perf_counter() - started
        started = time.perf_counter()
        run()
        self.sync()
        return warmup_s, time.perf_counter() - started, self.accelerator.peak_memory_gib()

    def sync(self) -> None:
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()

    def free(self) -> None:
        gc.collect()
        if self.device.startswith("cuda"):
            torch.cuda.empty_cache()

    def record(self, figure: Figure) -> None:
        """Print the figure now and keep the family's results on disk so far."""
        self.figures.append(figure)
        print(figure_line(figure), flush=True)
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            result = {"family": self.family, "device": device_name(self.device), "dtype": str(self.dtype),
                      "tiny": self.tiny, "plan": asdict(self.plan), "figures": [asdict(f) for f in self.figures]}
            partial = self.out / f".{self.family}.json.partial"
            partial.write_text(json.dumps(result, indent=1))
            partial.replace(self.out / f"{self.family}.json")


def device_name(device: str) -> str:
    return torch.cuda.get_device_name(device) if device.startswith("cuda") else device


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


def bench_sdxl(bench: Bench) -> None:
    plan, size = bench.plan, bench.plan.keyframe_size
    pipe = prepare(bench, sdxl_pipeline(bench))

    def keyframe(steps: int):
        return lambda: pipe(prompt="a shy dragon opens a bakery in a mountain village, storybook", height=size,
                            width=size, num_inference_steps=steps, guidance_scale=6.0, output_type="pt",
                            generator=torch.Generator().manual_seed(0))

    for mode, steps in (("base", plan.keyframe_steps), ("fast", plan.keyframe_fast_steps)):
        if mode == "fast":
            pipe.fuse_qkv_projections()
            pipe.unet.to(memory_format=torch.channels_last)
            bench.compile(pipe.unet)
        warmup_s, seconds, peak = bench.time(keyframe(steps), keyframe(plan.warmup_steps))
        bench.record(Figure("SDXL keyframe", mode, f"{size}x{size}, {steps} steps", warmup_s, seconds, seconds,
                            "s / keyframe", peak))
    del pipe
    bench.free()


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
        CogVideoXDPMScheduler,
        CogVideoXImageToVideoPipeline,
        CogVideoXTransformer3DModel,
    )
    from transformers import T5Config, T5EncoderModel

    scheduler = CogVideoXDPMScheduler(beta_schedule="scaled_linear", prediction_type="v_prediction",
                                      timestep_spacing="trailing", rescale_betas_zero_snr=True,
                                      snr_shift_scale=1.0, clip_sample=False)
    if bench.tiny:
        from tiny_cogvideox import tiny_components

        return CogVideoXImageToVideoPipeline(**{**tiny_components(num_layers=2), "scheduler": scheduler}).to(
            dtype=bench.dtype)
    from tiny_cogvideox import tiny_t5_tokenizer

    torch.manual_seed(0)
    return CogVideoXImageToVideoPipeline(
        tokenizer=tiny_t5_tokenizer(model_max_length=226),
        text_encoder=bench.build(lambda: T5EncoderModel(T5Config(**T5_XXL_ENCODER))),
        vae=bench.build(lambda: AutoencoderKLCogVideoX(scaling_factor=0.7)),
        transformer=bench.build(lambda: CogVideoXTransformer3DModel(**COGVIDEOX_5B_I2V)),
        scheduler=scheduler,
    )


def bench_cogvideox(bench: Bench) -> None:
    from dreamreel_assets.backends.animator.cogvideox import CogVideoXAnimator, apply_step_cache

    plan = bench.plan
    pipe = prepare(bench, cogvideox_pipeline(bench))

    def animator(steps: int) -> CogVideoXAnimator:
        return CogVideoXAnimator(pipe, steps=steps, num_frames=plan.clip_frames, native_fps=plan.clip_fps,
                                 generation_size=plan.clip_size)

    modes = (("base", plan.clip_steps), ("cache", plan.clip_steps), ("fast", plan.clip_fast_steps))
    for mode, steps in modes:
        if mode == "cache":
            apply_step_cache(pipe, "first-block")
        if mode == "fast":
            pipe.transformer.disable_cache()
            pipe.fuse_qkv_projections()
            bench.compile(pipe.transformer)
        time_clip(bench, "CogVideoX clip", mode, animator(steps), animator(plan.warmup_steps), plan.clip_size)
    del pipe
    bench.free()


LTX_VIDEO_2B = dict(
    in_channels=128, out_channels=128, patch_size=1, patch_size_t=1, num_attention_heads=32, attention_head_dim=64,
    cross_attention_dim=2048, num_layers=28, caption_channels=4096,
)
"""LTX-Video 2B (0.9.x, the distilled 2B included): diffusers' default LTXVideoTransformer3DModel shape."""


def ltx_pipeline(bench: Bench):
    from diffusers import (
        AutoencoderKLLTXVideo,
        FlowMatchEulerDiscreteScheduler,
        LTXImageToVideoPipeline,
        LTXVideoTransformer3DModel,
    )
    from transformers import T5Config, T5EncoderModel

    if bench.tiny:
        from tiny_ltx import tiny_ltx_components

        return LTXImageToVideoPipeline(**tiny_ltx_components()).to(dtype=bench.dtype)
    from tiny_cogvideox import tiny_t5_tokenizer

    torch.manual_seed(0)
    return LTXImageToVideoPipeline(
        tokenizer=tiny_t5_tokenizer(model_max_length=128),
        text_encoder=bench.build(lambda: T5EncoderModel(T5Config(**T5_XXL_ENCODER))),
        vae=bench.build(lambda: AutoencoderKLLTXVideo()),
        transformer=bench.build(lambda: LTXVideoTransformer3DModel(**LTX_VIDEO_2B)),
        scheduler=FlowMatchEulerDiscreteScheduler(),
    )


def bench_ltx(bench: Bench) -> None:
    from dreamreel_assets.backends.animator.ltx_video import LTXVideoAnimator

    plan = bench.plan
    pipe = prepare(bench, ltx_pipeline(bench))

    def animator(steps: int) -> LTXVideoAnimator:
        return LTXVideoAnimator(pipe, steps=steps, guidance=1.0, num_frames=plan.ltx_frames,
                                native_fps=plan.ltx_fps, generation_size=plan.ltx_size)

    for mode in ("base", "fast"):
        if mode == "fast":
            if hasattr(pipe, "fuse_qkv_projections"):
                pipe.fuse_qkv_projections()
            bench.compile(pipe.transformer)
        time_clip(bench, "LTX-Video clip", mode, animator(plan.ltx_steps), animator(plan.warmup_steps),
                  plan.ltx_size)
    del pipe
    bench.free()


def time_clip(bench: Bench, model: str, mode: str, animator, warmup_animator, size: tuple[int, int]) -> None:
    """One clip through the animator's own call, priced per second of film it makes."""
    from PIL import Image

    image = Image.fromarray(np.full((size[1], size[0], 3), 128, np.uint8))
    prompt = ("A shy dragon opens a bakery in a mountain village at dawn, flour drifting in the warm light. "
              "Slow push-in toward the subject.")

    def clip(which):
        return lambda: which.generate_clip(image, prompt, size, seed=0)

    warmup_s, seconds, peak = bench.time(clip(animator), clip(warmup_animator))
    clip_film_s = (animator.num_frames - 1) / animator.native_fps
    plan = bench.plan
    shot_frames = round(plan.shot_seconds * plan.film_fps)
    bench.record(Figure(
        model, mode, f"{size[0]}x{size[1]}x{animator.num_frames}, {animator.steps} steps", warmup_s, seconds,
        seconds / clip_film_s, "GPU-s / film-s", peak, clips_per_shot=animator.clips_needed(shot_frames, plan.film_fps),
    ))


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


def bench_lm(bench: Bench) -> None:
    from transformers import CompileConfig

    plan = bench.plan
    model = causal_lm(bench)
    prompt = torch.randint(3, model.config.vocab_size, (1, plan.lm_prompt_tokens), device=bench.device)
    compiled = CompileConfig(backend=bench.compile_backend, mode="reduce-overhead" if bench.device == "cuda" else None)
    compiled._compile_all_devices = True

    def generate(tokens: int, **options):
        return lambda: model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=tokens,
                                      min_new_tokens=tokens, do_sample=False, **options)

    modes = (("base", {}), ("fast", dict(cache_implementation="static", compile_config=compiled)))
    for mode, options in modes:
        # A static cache is sized by the request: its warm-up makes the same request, compiling for it.
        warmup = generate(plan.lm_new_tokens if options else 8, **options)
        warmup_s, seconds, peak = bench.time(generate(plan.lm_new_tokens, **options), warmup)
        work = f"{plan.lm_prompt_tokens} + {plan.lm_new_tokens} tokens"
        bench.record(Figure("7B LM", mode, work, warmup_s, seconds, seconds * 1000 / plan.lm_new_tokens,
                            "s / 1k tokens", peak))
    del model
    bench.free()


# --- the film -----------------------------------------------------------------------------------


def prepare(bench: Bench, pipe):
    """Placed as the gpu resource places pipelines (memory strategy auto: all on a large card)."""
    pipe.set_progress_bar_config(disable=True)
    return bench.accelerator.prepare(pipe)


def film_costs(figures: list[Figure], plan: Plan) -> list[str]:
    """GPU-seconds per film-second of the default film, for each animator and mode: its pictures
    (character sheets and a keyframe per shot), its clips (whole clips per shot, continuation
    included) and its script."""
    shot_frames = round(plan.shot_seconds * plan.film_fps)
    film_s = plan.film_shots * shot_frames / plan.film_fps
    keyframe = {f.mode: f.per_unit for f in figures if f.model == "SDXL keyframe"}
    lm = {f.mode: f.per_unit for f in figures if f.model == "7B LM"}
    lines = [
        f"film: {plan.film_shots} shots of {shot_frames} frames at {plan.film_fps} fps ({film_s:.0f} s), "
        f"{plan.character_sheets} character sheets, ~{plan.script_tokens} script tokens",
        f"{'animator':<16}{'mode':<7}{'clips/shot':>11}{'pictures s':>12}{'clips s':>10}{'script s':>10}"
        f"{'GPU s':>9}{'GPU-s / film-s':>16}{'clips alone':>13}",
    ]
    for clip in (f for f in figures if f.clips_per_shot is not None):
        mode = clip.mode if clip.mode in keyframe else "base"
        clip_seconds = clip.seconds * clip.clips_per_shot * plan.film_shots
        pictures = (plan.film_shots + plan.character_sheets) * keyframe.get(mode, keyframe.get("base", 0.0))
        script = plan.script_tokens / 1000 * lm.get(mode, lm.get("base", 0.0))
        total = pictures + clip_seconds + script
        lines.append(f"{clip.model:<16}{clip.mode:<7}{clip.clips_per_shot:>11}{pictures:>12.1f}{clip_seconds:>10.1f}"
                     f"{script:>10.1f}{total:>9.1f}{total / film_s:>16.2f}{clip_seconds / film_s:>13.2f}")
    return lines


HEADER = f"{'model':<16}{'mode':<7}{'work':<30}{'warm-up s':>10}{'run s':>9}{'figure':>24}{'peak GiB':>10}"


def figure_line(f: Figure) -> str:
    peak = f"{f.peak_gib:.1f}" if f.peak_gib is not None else "-"
    return (f"{f.model:<16}{f.mode:<7}{f.work:<30}{f.warmup_s:>10.1f}{f.seconds:>9.2f}"
            f"{f'{f.per_unit:.2f} {f.unit}':>24}{peak:>10}")


def summarize(out: Path) -> None:
    results = [json.loads(path.read_text()) for path in sorted(out.glob("*.json"))]
    if not results:
        sys.exit(f"no results in {out}: run a family first (--family sdxl --out {out})")
    figures = [Figure(**figure) for result in results for figure in result["figures"]]
    print(f"device: {results[0]['device']}, {results[0]['dtype']}" + (" (tiny: figures mean nothing)"
                                                                     if results[0]["tiny"] else ""))
    print(HEADER)
    for figure in figures:
        print(figure_line(figure))
    print()
    print("\n".join(film_costs(figures, Plan(**{k: tuple(v) if isinstance(v, list) else v
                                                for k, v in results[0]["plan"].items()}))))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", choices=FAMILIES, help="the model family to time (one per call)")
    parser.add_argument("--out", type=Path, help="folder for <family>.json (the summary reads them all)")
    parser.add_argument("--summarize", type=Path, metavar="OUT", help="print the tables from the results in OUT")
    parser.add_argument("--tiny", action="store_true", help="tiny configurations on the CPU: proves the script runs")
    parser.add_argument("--device", help="cuda (default where available), cpu, cuda:1, ...")
    parser.add_argument("--dtype", choices=("bfloat16", "float16", "float32"),
                        help="default: bfloat16 on cuda, float32 on the CPU")
    parser.add_argument("--compile-backend", help="torch.compile backend: inductor (default), eager with --tiny")
    args = parser.parse_args()
    if not args.summarize and not args.family:
        parser.error("give --family (and --out), or --summarize OUT")
    return args


def quiet_libraries() -> None:
    """Random weights and made-up tokenizers set off many harmless warnings; keep the tables readable."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    diffusers_logging.set_verbosity_error()
    transformers_logging.set_verbosity_error()
    warnings.simplefilter("ignore")


def main() -> None:
    args = parse_args()
    if args.summarize:
        summarize(args.summarize)
        return
    quiet_libraries()
    device = args.device or ("cuda" if torch.cuda.is_available() and not args.tiny else "cpu")
    dtype = getattr(torch, args.dtype or ("bfloat16" if device.startswith("cuda") else "float32"))
    bench = Bench(
        family=args.family, device=device, dtype=dtype, tiny=args.tiny, plan=TINY if args.tiny else Plan(),
        compile_backend=args.compile_backend or ("eager" if args.tiny else "inductor"), out=args.out,
    )
    if device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
    print(f"{args.family} on {device_name(device)}, {dtype}, torch {torch.__version__}"
          + (" (tiny configurations: the figures mean nothing)" if args.tiny else ""), flush=True)
    print(HEADER, flush=True)
    with np.errstate(all="ignore"):  # random weights make NaNs, and the casts of them warn
        {"sdxl": bench_sdxl, "cogvideox": bench_cogvideox, "ltx": bench_ltx, "lm": bench_lm}[args.family](bench)


if __name__ == "__main__":
    main()
