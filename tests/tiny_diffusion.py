"""Tiny random-weight Stable Diffusion pipelines (SD 1.5 and SDXL layouts), built offline.

The model configs are those of diffusers' own fast tests. The CLIP tokenizer is built here from
every byte-level character (any text tokenizes, with no unknown tokens) plus merges that spell the
words of a few lines of picture words, so prompts tokenize into words much as with a real CLIP
vocabulary. Weights come from fixed torch seeds: a saved pipeline is byte-identical on every run.
`save_tiny_sd(dir)` and `save_tiny_sdxl(dir)` write a complete pipeline that `from_pretrained(dir)`
loads, so tests exercise the real loading path, with no download.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import torch
from diffusers import (
    AutoencoderKL,
    DDIMScheduler,
    EulerDiscreteScheduler,
    StableDiffusionPipeline,
    StableDiffusionXLPipeline,
    UNet2DConditionModel,
)
from tokenizers import pre_tokenizers
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection, CLIPTokenizer

from dreamreel_assets.backends.illustrator.diffusion import AGE_WORDS, BASE_NEGATIVE, SHEET_WORDS
from dreamreel_assets.catalog.styles import styles

CORPUS = [
    *(text for style in styles().values() for text in (style.prompt.words, style.prompt.avoid)),
    BASE_NEGATIVE, SHEET_WORDS, " ".join(AGE_WORDS.values()),
    "establishing wide medium close-up over-the-shoulder shot of the scene",
    "a lighthouse on a rocky coast at dusk, a rainy city street at night, a quiet forest clearing",
    "a weathered woman with silver hair in a braid, a yellow raincoat, a teal scarf and a lantern",
    "a small boy with red hair, a blue coat, a green scarf and round glasses, the keeper, the boy",
]
SEED = 0
UNET_BLOCKS = {
    "block_out_channels": (32, 64), "layers_per_block": 1, "sample_size": 16, "in_channels": 4, "out_channels": 4,
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "UpBlock2D"),
}


def bpe(symbols: list[str], ranks: dict[tuple[str, str], int]) -> list[str]:
    """Byte-pair encoding of one word: join the best-ranked adjacent pair until none is known."""
    while len(symbols) > 1:
        rank, index = min((ranks.get(pair, len(ranks)), i) for i, pair in enumerate(zip(symbols, symbols[1:])))
        if rank == len(ranks):
            break
        symbols = [*symbols[:index], symbols[index] + symbols[index + 1], *symbols[index + 2:]]
    return symbols


@lru_cache(maxsize=1)
def tiny_tokenizer() -> CLIPTokenizer:
    """A CLIP tokenizer (77 tokens): every byte-level character, plus merges that make each word
    of `CORPUS` one token (each word's merges join what the earlier merges leave of it)."""
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    pieces = ["<|startoftext|>", "<|endoftext|>", *alphabet, *(char + "</w>" for char in alphabet)]
    ranks: dict[tuple[str, str], int] = {}
    for word in sorted(set(re.findall(r"[a-z]+", " ".join(CORPUS).lower()))):
        left, *rest = bpe([*word[:-1], word[-1] + "</w>"], ranks)
        for right in rest:
            ranks.setdefault((left, right), len(ranks))
            left += right
            pieces.append(left)
    vocab = {piece: number for number, piece in enumerate(dict.fromkeys(pieces))}
    return CLIPTokenizer(vocab=vocab, merges=list(ranks), model_max_length=77)


def tiny_text_config(tokenizer: CLIPTokenizer) -> CLIPTextConfig:
    return CLIPTextConfig(
        vocab_size=len(tokenizer), bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, hidden_size=32, intermediate_size=37, num_attention_heads=4,
        num_hidden_layers=2, max_position_embeddings=77, projection_dim=32, hidden_act="gelu",
    )


def tiny_vae() -> AutoencoderKL:
    torch.manual_seed(SEED)
    return AutoencoderKL(
        block_out_channels=(32, 64), in_channels=3, out_channels=3, latent_channels=4, sample_size=64,
        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
    )


def tiny_sd_components() -> dict:
    tokenizer = tiny_tokenizer()
    torch.manual_seed(SEED)
    unet = UNet2DConditionModel(**UNET_BLOCKS, cross_attention_dim=32)
    torch.manual_seed(SEED)
    text_encoder = CLIPTextModel(tiny_text_config(tokenizer))
    scheduler = DDIMScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
        set_alpha_to_one=False, steps_offset=1,
    )
    return {
        "unet": unet, "vae": tiny_vae(), "text_encoder": text_encoder, "tokenizer": tokenizer,
        "scheduler": scheduler, "safety_checker": None, "feature_extractor": None, "image_encoder": None,
    }


def tiny_sdxl_components() -> dict:
    tokenizer = tiny_tokenizer()
    torch.manual_seed(SEED)
    unet = UNet2DConditionModel(
        **UNET_BLOCKS,
        attention_head_dim=(2, 4), use_linear_projection=True, addition_embed_type="text_time",
        addition_time_embed_dim=8, transformer_layers_per_block=(1, 2),
        projection_class_embeddings_input_dim=6 * 8 + 32,  # six size/crop ids x 8 + pooled text (32)
        cross_attention_dim=64,  # the two text encoders' hidden states side by side
        norm_num_groups=1,
    )
    config = tiny_text_config(tokenizer)
    torch.manual_seed(SEED)
    text_encoder = CLIPTextModel(config)
    torch.manual_seed(SEED + 1)
    text_encoder_2 = CLIPTextModelWithProjection(config)
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", timestep_spacing="leading",
        steps_offset=1,
    )
    return {
        "unet": unet, "vae": tiny_vae(), "text_encoder": text_encoder, "tokenizer": tokenizer,
        "text_encoder_2": text_encoder_2, "tokenizer_2": tokenizer, "scheduler": scheduler,
        "feature_extractor": None, "image_encoder": None,
    }


def save_tiny_sd(directory: str | Path) -> Path:
    """Write a tiny SD 1.5-layout pipeline to `directory` (made if missing) and return it."""
    pipeline = StableDiffusionPipeline(**tiny_sd_components(), requires_safety_checker=False)
    pipeline.save_pretrained(directory)
    return Path(directory)


def save_tiny_sdxl(directory: str | Path) -> Path:
    """Write a tiny SDXL-layout pipeline to `directory` (made if missing) and return it."""
    StableDiffusionXLPipeline(**tiny_sdxl_components()).save_pretrained(directory)
    return Path(directory)


def tiny_safety_checker():
    """SD 1.x's safety checker on a tiny random CLIP vision tower (diffusers' own class). Its
    concept thresholds are as shipped (1.0: nothing is flagged); lower them to flag everything."""
    from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
    from transformers import CLIPConfig, CLIPImageProcessor

    vision = {"hidden_size": 32, "intermediate_size": 37, "num_attention_heads": 4, "num_hidden_layers": 2,
              "image_size": 32, "patch_size": 4}
    text = {"hidden_size": 32, "intermediate_size": 37, "num_attention_heads": 4, "num_hidden_layers": 2}
    torch.manual_seed(SEED)
    checker = StableDiffusionSafetyChecker(CLIPConfig(text_config=text, vision_config=vision, projection_dim=32))
    extractor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    return checker.eval(), extractor


def save_tiny_sd_with_safety_checker(directory: str | Path) -> Path:
    """Write a tiny SD 1.5-layout pipeline that ships a safety checker, as SD 1.x models do."""
    checker, extractor = tiny_safety_checker()
    components = {**tiny_sd_components(), "safety_checker": checker, "feature_extractor": extractor}
    StableDiffusionPipeline(**components, requires_safety_checker=True).save_pretrained(directory)
    return Path(directory)
