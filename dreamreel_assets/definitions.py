"""The DreamReel code location: one `Definitions` with the film graph, its checks and resources."""

from dagster import AssetSelection, Definitions, define_asset_job

from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.resources.backends import (
    AnimatorResource, AssemblerResource, ComposerResource, IllustratorResource, NarratorResource,
    WriterResource,
)
from dreamreel_assets.resources.gpu import GPUResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource

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

PROFILES = {"embedded": make_film, "gpu": make_film_gpu}


def default_resources() -> dict:
    """Embedded backends and local stores: no GPU, no weights, no network."""
    return {
        "gpu": GPUResource(),
        "writer": WriterResource(),
        "illustrator": IllustratorResource(),
        "animator": AnimatorResource(),
        "narrator": NarratorResource(),
        "composer": ComposerResource(),
        "assembler": AssemblerResource(),
        "media": MediaStoreResource(),
        "requests": RequestStoreResource(),
    }


defs = Definitions(
    assets=film_assets,
    asset_checks=final_cut_checks,
    jobs=[make_film, make_film_gpu],
    resources=default_resources(),
)
