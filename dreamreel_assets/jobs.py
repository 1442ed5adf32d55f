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

GPU_FAST_PROFILE = {
    "resources": {
        **GPU_PROFILE["resources"],
        "writer": {"config": {"backend": PROFILE_WRITERS["gpu-fast"]}},
        "animator": {"config": {"backend": "ltx-video"}},
    }
}
"""The same with LTX-Video's distilled model for the clips: about real time on a large GPU."""

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

GPU_FAST_RUN_TAGS = {**GPU_RUN_TAGS, PROFILE_TAG: "gpu"}
"""gpu-fast runs take a GPU like gpu runs, and queue under the same limit."""
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

make_film_gpu_fast = define_asset_job(
    "make_film_gpu_fast",
    selection=AssetSelection.assets(*film_assets),
    config=GPU_FAST_PROFILE,
    tags=GPU_FAST_RUN_TAGS,
    executor_def=in_process_executor,
    description="The film on the real models with LTX-Video's distilled model for the clips: many times faster.",
)

PROFILE_JOBS = {"embedded": make_film, "gpu": make_film_gpu, "gpu-fast": make_film_gpu_fast}
"""The film job each DREAMREEL_PROFILE launches."""
PROFILE_CONFIGS = {"embedded": {}, "gpu": GPU_PROFILE, "gpu-fast": GPU_FAST_PROFILE}
