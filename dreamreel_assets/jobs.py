"""The film jobs: one per profile, the same assets on embedded or real-model backends."""

from dagster import AssetSelection, define_asset_job

from dreamreel_assets.assets import film_assets

GPU_PROFILE = {
    "resources": {
        "gpu": {"config": {"memory_strategy": "model_cpu_offload"}},
        "writer": {"config": {"backend": "transformers"}},
        "illustrator": {"config": {"backend": "diffusers"}},
        "animator": {"config": {"backend": "cogvideox", "workers": 1}},
    }
}
"""The seed's stack in one switch: an LLM script, SDXL pictures and CogVideoX clips on the GPU."""

make_film = define_asset_job(
    "make_film",
    selection=AssetSelection.assets(*film_assets),
    description="Everything for one film, from its request to the final cut and its checks.",
)

make_film_gpu = define_asset_job(
    "make_film_gpu",
    selection=AssetSelection.assets(*film_assets),
    config=GPU_PROFILE,
    description="The same film on the real models (LLM, Stable Diffusion XL, CogVideoX) on a GPU.",
)
