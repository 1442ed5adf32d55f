"""The film jobs: one per profile, the same assets on embedded or real-model backends."""

from dagster import AssetSelection, define_asset_job, in_process_executor

from dreamreel_assets.assets import film_assets
from dreamreel_assets.languages import PROFILE_WRITERS

GPU_PROFILE = {
    "resources": {
        "writer": {"config": {"backend": PROFILE_WRITERS["gpu"]}},
        "illustrator": {"config": {"backend": "diffusers"}},
        "animator": {"config": {"backend": "cogvideox"}},
    }
}
"""The seed's stack in one switch: an LLM script, SDXL pictures and CogVideoX clips on the GPU."""

PROFILE_TAG = "dreamreel/profile"
"""Every film run says its profile; the run queue limits `gpu` runs to the GPUs there are."""
GPUS_TAG = "dreamreel/gpus"
"""How many GPUs a run's container asks for (read by the Docker run launcher in `dreamreel_deploy`)."""

GPU_RUN_TAGS = {
    PROFILE_TAG: "gpu",
    GPUS_TAG: "1",
    # Dagster's K8s run launcher merges this into the run's pod: one GPU, on a GPU node.
    "dagster-k8s/config": {
        "container_config": {"resources": {"limits": {"nvidia.com/gpu": "1"}, "requests": {"nvidia.com/gpu": "1"}}},
        "pod_spec_config": {
            "node_selector": {"nvidia.com/gpu.present": "true"},
            "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
        },
    },
}

make_film = define_asset_job(
    "make_film",
    selection=AssetSelection.assets(*film_assets),
    tags={PROFILE_TAG: "embedded"},
    description="Everything for one film, from its request to the final cut and its checks.",
)

make_film_gpu = define_asset_job(
    "make_film_gpu",
    selection=AssetSelection.assets(*film_assets),
    config=GPU_PROFILE,
    tags=GPU_RUN_TAGS,
    # One process for the whole film: each model loads once per film (the default executor's
    # process per step would load SDXL twice, for the sheets and again for the keyframes).
    executor_def=in_process_executor,
    description="The same film on the real models (LLM, Stable Diffusion XL, CogVideoX) on a GPU.",
)
