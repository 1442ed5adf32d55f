# The dagster image: the Dagster webserver (default command) and the daemon
# (`dagster-daemon run`). Only Dagster's own packages and `dreamreel_deploy` (the run launcher the
# instance names); the films' code stays in the code image, reached over gRPC.
# Build from the repository root with BuildKit: `make docker-dagster` (see docker/code.Dockerfile
# for the optional `ca_bundle` build secret).
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ENV PATH=/opt/venv/bin:$PATH PIP_DISABLE_PIP_VERSION_CHECK=1
RUN --mount=type=bind,source=constraints.txt,target=/tmp/constraints.txt \
    --mount=type=secret,id=ca_bundle \
    --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && python3 -m venv /opt/venv \
 && pip install -c /tmp/constraints.txt dagster dagster-webserver dagster-graphql dagster-postgres dagster-docker
COPY dreamreel_deploy /opt/dagster/app/dreamreel_deploy
COPY docker/dagster.yaml docker/workspace.yaml /opt/dagster/home/

FROM ${BASE_IMAGE}
COPY --from=build /opt /opt
# DAGSTER_HOME writable (the instance keeps local artifacts there), its YAML files not.
RUN groupadd --system --gid 10001 dreamreel \
 && useradd --system --uid 10001 --gid dreamreel --home-dir /opt/dagster/home --shell /usr/sbin/nologin dreamreel \
 && chown dreamreel:dreamreel /opt/dagster/home
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/opt/dagster/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DAGSTER_HOME=/opt/dagster/home \
    DAGSTER_WEBSERVER_HOST=0.0.0.0 \
    DAGSTER_WEBSERVER_PORT=3000
WORKDIR /opt/dagster/home
USER dreamreel
EXPOSE 3000
# Health checks are compose's (docker/compose.yaml): this image runs the webserver and the daemon.
CMD ["dagster-webserver", "-w", "/opt/dagster/home/workspace.yaml"]
