"""A tiny random-weight LTX-Video image-to-video pipeline, saved to a directory for loading tests.

Sizes follow diffusers' own LTX image-to-video fast tests (a 1-layer transformer of 4 heads x 8,
an 8-channel VAE compressing 4x in space and time); the T5 encoder and tokenizer are the tiny ones
of `tiny_cogvideox`, built without any files. Fixed seeds: the same directory every time.
"""

from __future__ import annotations

from pathlib import Path

from tiny_cogvideox import tiny_t5_tokenizer

TINY_LTX_SIZE = (64, 32)
"""Generation (width, height): the pipeline takes multiples of 32 whatever the VAE."""
TINY_LTX_FRAMES = 9
"""4k + 1 frames (the tiny VAE compresses time 4x)."""


def tiny_ltx_components() -> dict:
    """The five components of an `LTXImageToVideoPipeline`, tiny and seeded."""
    import torch
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXVideoTransformer3DModel
    from transformers import T5Config, T5EncoderModel

    tokenizer = tiny_t5_tokenizer(model_max_length=128)
    torch.manual_seed(0)
    transformer = LTXVideoTransformer3DModel(
        in_channels=8, out_channels=8, patch_size=1, patch_size_t=1, num_attention_heads=4,
        attention_head_dim=8, cross_attention_dim=32, num_layers=1, caption_channels=32,
    )
    torch.manual_seed(0)
    vae = AutoencoderKLLTXVideo(
        in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8), layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1), spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        decoder_inject_noise=(False, False, False, False, False), upsample_residual=(False, False, False, False),
        upsample_factor=(1, 1, 1, 1), timestep_conditioning=False, patch_size=1, patch_size_t=1,
        encoder_causal=True, decoder_causal=False,
    )
    torch.manual_seed(0)
    text_encoder = T5EncoderModel(T5Config(
        vocab_size=len(tokenizer), d_model=32, d_ff=37, d_kv=8, num_heads=4, num_layers=2,
        relative_attention_num_buckets=8, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
    ))
    return {"transformer": transformer.eval(), "vae": vae.eval(), "scheduler": FlowMatchEulerDiscreteScheduler(),
            "text_encoder": text_encoder.eval(), "tokenizer": tokenizer}


def save_tiny_ltx_i2v(directory: str | Path) -> Path:
    """Save a tiny `LTXImageToVideoPipeline` to `directory`; returns the directory."""
    from diffusers import LTXImageToVideoPipeline

    directory = Path(directory)
    LTXImageToVideoPipeline(**tiny_ltx_components()).save_pretrained(directory)
    return directory
