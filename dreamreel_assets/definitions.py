"""The DreamReel code location: one `Definitions` with the film graph, its checks and resources."""

from dagster import Definitions

from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.jobs import make_film, make_film_gpu, make_film_gpu_fast
from dreamreel_assets.resources.backends import (
    AnimatorResource,
    AssemblerResource,
    ComposerResource,
    IllustratorResource,
    NarratorResource,
    WriterResource,
)
from dreamreel_assets.resources.gpu import GPUResource
from dreamreel_assets.resources.moderation import ModerationResource
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.sensors import film_sensors
from dreamreel_assets.upkeep import upkeep_sensors


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
        "moderation": ModerationResource(),
    }


defs = Definitions(
    assets=film_assets,
    asset_checks=final_cut_checks,
    jobs=[make_film, make_film_gpu, make_film_gpu_fast],
    sensors=[*film_sensors, *upkeep_sensors],
    resources=default_resources(),
)
