"""Dagster's Docker run launcher, with a GPU device request for the runs that ask for one."""

from dagster_docker import DockerRunLauncher
from dagster_docker.container_context import DockerContainerContext

GPUS_TAG = "dreamreel/gpus"
"""Same tag as `dreamreel_assets.jobs.GPUS_TAG`: a count of GPUs, or `all`."""


def gpu_device_requests(tag_value: str | None) -> list[dict]:
    """`docker run --gpus N` as container kwargs; no request for runs without the tag."""
    if not tag_value:
        return []
    value = tag_value.strip().lower()
    count = -1 if value == "all" else int(value)
    if count == 0:
        return []
    return [{"count": count, "capabilities": [["gpu"]]}]


class GpuDockerRunLauncher(DockerRunLauncher):
    """Each run in its own container from the code image, as Dagster's launcher does; runs tagged
    `dreamreel/gpus` (the GPU job's runs) also get that many GPUs through the NVIDIA runtime."""

    def get_container_context(self, dagster_run) -> DockerContainerContext:
        context = super().get_container_context(dagster_run)
        requests = gpu_device_requests(dagster_run.tags.get(GPUS_TAG))
        if not requests:
            return context
        return context.merge(DockerContainerContext(container_kwargs={"device_requests": requests}))
