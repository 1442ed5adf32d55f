# The api image: DreamReel's HTTP API (`python -m dreamreel_api`) serving the web client, which a
# Node stage builds from client/. Settings come from the environment (dreamreel_api/settings.py).
# By default it listens on 0.0.0.0:8000 with Firebase sign-in (DREAMREEL_FIREBASE_PROJECT): the
# one-user `local` auth only listens on loopback (docker/compose.hostnet.yaml).
# Build from the repository root with BuildKit: `make docker-api` (see docker/code.Dockerfile for
# the optional `ca_bundle` build secret, which npm gets too).
ARG BASE_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS client
WORKDIR /client
RUN --mount=type=bind,source=client/package.json,target=/client/package.json \
    --mount=type=bind,source=client/package-lock.json,target=/client/package-lock.json \
    --mount=type=secret,id=ca_bundle \
    --mount=type=cache,target=/root/.npm \
    if [ -s /run/secrets/ca_bundle ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca_bundle; fi \
 && npm ci --no-audit --no-fund --loglevel=warn
COPY client/ ./
RUN npm run build

FROM ${BASE_IMAGE} AS build
ENV PATH=/opt/venv/bin:$PATH PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN --mount=type=bind,source=pyproject.toml,target=/src/pyproject.toml \
    --mount=type=bind,source=constraints.txt,target=/src/constraints.txt \
    --mount=type=bind,source=README.md,target=/src/README.md \
    --mount=type=secret,id=ca_bundle \
    --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && python3 -m venv /opt/venv \
 && pip install -c constraints.txt '.[firebase]' \
 && rm -rf /src/build /src/*.egg-info
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
COPY --from=client /client/dist /opt/dreamreel/client

FROM ${BASE_IMAGE}
COPY --from=build /opt /opt
RUN groupadd --system --gid 10001 dreamreel \
 && useradd --system --uid 10001 --gid dreamreel --no-create-home --shell /usr/sbin/nologin dreamreel \
 && mkdir -p /data \
 && chown dreamreel:dreamreel /data
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DREAMREEL_DATA_DIR=/data \
    DREAMREEL_API_CLIENT_DIR=/opt/dreamreel/client \
    DREAMREEL_API_HOST=0.0.0.0 \
    DREAMREEL_API_PORT=8000 \
    DREAMREEL_API_AUTH=firebase
USER dreamreel
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('DREAMREEL_API_PORT', '8000')}/api/health\", timeout=4)"]
CMD ["python", "-m", "dreamreel_api"]
