# The code image: DreamReel's code location (a Dagster code server) and the image every film run
# starts in (the Docker run launcher uses the code server's DAGSTER_CURRENT_IMAGE).
# Build from the repository root with BuildKit (`make docker-code`, `make docker-code-gpu`):
#   DOCKER_BUILDKIT=1 docker build -f docker/code.Dockerfile -t dreamreel/code:0.1.0 .
#   ... --target code-gpu: the same plus the [gpu] extras (torch brings CUDA in its PyPI wheels).
# An extra CA bundle for pip (behind a TLS-inspecting proxy) is a build secret, never a layer:
#   --secret id=ca_bundle,src=/etc/ssl/certs/ca-certificates.crt
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS deps
ENV PATH=/opt/venv/bin:$PATH PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies alone first (no package directories yet), so a code change reuses this layer.
RUN --mount=type=bind,source=pyproject.toml,target=/src/pyproject.toml \
    --mount=type=bind,source=constraints.txt,target=/src/constraints.txt \
    --mount=type=bind,source=README.md,target=/src/README.md \
    --mount=type=secret,id=ca_bundle \
    --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && python3 -m venv /opt/venv \
 && pip install -c constraints.txt '.[deploy,firebase,voices]' \
 && rm -rf /src/build /src/*.egg-info

FROM deps AS build
RUN --mount=type=bind,source=pyproject.toml,target=/src/pyproject.toml \
    --mount=type=bind,source=constraints.txt,target=/src/constraints.txt \
    --mount=type=bind,source=README.md,target=/src/README.md \
    --mount=type=bind,source=dreamreel_assets,target=/src/dreamreel_assets \
    --mount=type=bind,source=dreamreel_api,target=/src/dreamreel_api \
    --mount=type=bind,source=dreamreel_deploy,target=/src/dreamreel_deploy \
    --mount=type=secret,id=ca_bundle \
    --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && pip install --no-deps -c constraints.txt . \
 && rm -rf /src/build /src/*.egg-info

FROM deps AS build-gpu
RUN --mount=type=bind,source=pyproject.toml,target=/src/pyproject.toml \
    --mount=type=bind,source=constraints.txt,target=/src/constraints.txt \
    --mount=type=bind,source=README.md,target=/src/README.md \
    --mount=type=bind,source=dreamreel_assets,target=/src/dreamreel_assets \
    --mount=type=bind,source=dreamreel_api,target=/src/dreamreel_api \
    --mount=type=bind,source=dreamreel_deploy,target=/src/dreamreel_deploy \
    --mount=type=secret,id=ca_bundle \
    --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && pip install -c constraints.txt '.[deploy,firebase,voices,gpu]' \
 && rm -rf /src/build /src/*.egg-info

# What both targets run as: a non-root user owning the media volume's mount point and DAGSTER_HOME
# (a run writes its compute logs there). No system libraries: FFmpeg, espeak-ng, OpenCV and PyAV
# all come in their wheels.
FROM ${BASE_IMAGE} AS runtime
RUN groupadd --system --gid 10001 dreamreel \
 && useradd --system --uid 10001 --gid dreamreel --home-dir /opt/dagster/home --shell /usr/sbin/nologin dreamreel \
 && mkdir -p /data /opt/dagster/home \
 && chown dreamreel:dreamreel /data /opt/dagster/home
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DAGSTER_HOME=/opt/dagster/home \
    DREAMREEL_DATA_DIR=/data \
    DREAMREEL_CODE_SERVER_PORT=4000
WORKDIR /opt/dagster/home
USER dreamreel
EXPOSE 4000
# The gRPC health check is compose's (docker/compose.yaml): film runs start from this image too.
CMD ["sh", "-c", "exec dagster code-server start -h \"${DREAMREEL_CODE_SERVER_BIND:-0.0.0.0}\" -p \"$DREAMREEL_CODE_SERVER_PORT\" -m dreamreel_assets.definitions --location-name dreamreel"]

FROM runtime AS code-gpu
ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility
COPY --from=build-gpu /opt/venv /opt/venv

FROM runtime AS code
COPY --from=build /opt/venv /opt/venv
