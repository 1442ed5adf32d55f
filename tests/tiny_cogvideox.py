"""A tiny random-weight CogVideoX image-to-video pipeline, saved to a directory for loading tests.

Sizes follow diffusers' own CogVideoX I2V fast tests: a 1-layer transformer of 2 heads x 16 head dim
(RoPE needs a head dim divisible by 16), a 4-block VAE of 8 channels (8x spatial, 4x temporal
compression) and a 2-layer T5 encoder of width 32. Everything is built offline with fixed seeds, so
the same directory contents come out every time.
"""

from __future__ import annotations

from pathlib import Path

TINY_SIZE = (32, 16)
"""Generation (width, height), landscape like CogVideoX-5b-I2V's 720 x 480: latent 4 x 2, patches 2 x 1.
With learned positional embeddings it is the only size the transformer generates at."""
TINY_NUM_FRAMES = 9
"""Frames per generated clip: 8k + 1 frames make 2k + 1 latent frames, which decode back to 8k + 1."""
TINY_MAX_TEXT_TOKENS = 16

_WORDS = (
    "a the and of in to with on at slow push pull out toward subject camera pans left right tilts up "
    "down holds still revealing surroundings dragon bakery village mountain night light fox forest"
).split()


def tiny_t5_tokenizer(model_max_length: int = TINY_MAX_TEXT_TOKENS):
    """A T5 (Unigram) tokenizer over a few dozen words and the letters, built without any files."""
    from transformers import T5Tokenizer

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    pieces += [(f"▁{word}", -3.0) for word in _WORDS]
    pieces += [(letter, -6.0) for letter in "abcdefghijklmnopqrstuvwxyz.,"]
    return T5Tokenizer(vocab=pieces, extra_ids=0, model_max_length=model_max_length)


def tiny_components(learned_positional_embeddings: bool = True, num_layers: int = 1) -> dict:
    """The five components of a `CogVideoXImageToVideoPipeline`, tiny and seeded.

    With learned positional embeddings (as in CogVideoX-5b-I2V) the transformer generates only at
    `TINY_SIZE`; without them (as in CogVideoX 1.5) any multiple of 16 pixels works.
    """
    import torch
    from diffusers import AutoencoderKLCogVideoX, CogVideoXDDIMScheduler, CogVideoXTransformer3DModel
    from transformers import T5Config, T5EncoderModel

    tokenizer = tiny_t5_tokenizer()
    torch.manual_seed(0)
    transformer = CogVideoXTransformer3DModel(
        num_attention_heads=2,
        attention_head_dim=16,
        in_channels=8,
        out_channels=4,
        time_embed_dim=2,
        text_embed_dim=32,
        num_layers=num_layers,
        sample_width=TINY_SIZE[0] // 8,
        sample_height=TINY_SIZE[1] // 8,
        sample_frames=TINY_NUM_FRAMES,
        patch_size=2,
        temporal_compression_ratio=4,
        max_text_seq_length=TINY_MAX_TEXT_TOKENS,
        use_rotary_positional_embeddings=True,
        use_learned_positional_embeddings=learned_positional_embeddings,
    )
    torch.manual_seed(0)
    vae = AutoencoderKLCogVideoX(
        in_channels=3,
        out_channels=3,
        down_block_types=("CogVideoXDownBlock3D",) * 4,
        up_block_types=("CogVideoXUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8),
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=2,
        temporal_compression_ratio=4,
    )
    torch.manual_seed(0)
    text_encoder = T5EncoderModel(T5Config(
        vocab_size=len(tokenizer), d_model=32, d_ff=37, d_kv=8, num_heads=4, num_layers=2,
        relative_attention_num_buckets=8, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
    ))
    scheduler = CogVideoXDDIMScheduler(
        beta_schedule="scaled_linear", prediction_type="v_prediction", timestep_spacing="trailing",
        rescale_betas_zero_snr=True, snr_shift_scale=1.0, clip_sample=False,
    )
    return {
        "tokenizer": tokenizer, "text_encoder": text_encoder.eval(), "vae": vae.eval(),
        "transformer": transformer.eval(), "scheduler": scheduler,
    }


def save_tiny_cogvideox_i2v(directory: str | Path, learned_positional_embeddings: bool = True,
                            num_layers: int = 1) -> Path:
    """Save a tiny `CogVideoXImageToVideoPipeline` to `directory`; returns the directory."""
    from diffusers import CogVideoXImageToVideoPipeline

    directory = Path(directory)
    pipe = CogVideoXImageToVideoPipeline(**tiny_components(learned_positional_embeddings, num_layers))
    pipe.save_pretrained(directory)
    return directory
