# DreamReel: `make film` makes a film on the embedded defaults, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt

THEME ?= A shy dragon opens a bakery in a mountain village
GENRE ?= fantasy
STYLE ?= storybook
MINUTES ?= 5
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: film test install install-dev ui serve client client-types hosting bench bench-api gpu-wheels ffprobe chromium wrk clean

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e '.[dev,gpu,firebase,voices,deploy]'
	touch $@

# The Firestore emulator the tests start on loopback (Google's own needs Java 21 and a download).
tests/emulators/node_modules/.installed: tests/emulators/package.json tests/emulators/package-lock.json
	npm ci --prefix tests/emulators --no-audit --no-fund --silent
	touch $@

# The web client (client/): npm packages from its lock file, then a Vite build into client/dist.
client/node_modules/.installed: client/package.json client/package-lock.json
	npm ci --prefix client --no-audit --no-fund --silent
	touch $@

CLIENT_SOURCES := $(shell find client/src client/public -type f 2>/dev/null) client/index.html client/vite.config.ts client/tsconfig.json

client/dist/index.html: client/node_modules/.installed $(CLIENT_SOURCES)
	npm run --prefix client --silent build
	touch $@

client: client/dist/index.html

# The client's API types come from the API's OpenAPI spec (a test checks they are current).
client-types: install client/node_modules/.installed
	$(PY) -m dreamreel_api.openapi > client/openapi.json
	npm run --prefix client --silent gen

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

film: install $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dreamreel make --theme "$(THEME)" --genre "$(GENRE)" --style "$(STYLE)" --minutes "$(MINUTES)"

# Tests decode the films with ffprobe, which the FFmpeg wheel does not ship: take Debian's.
ffprobe:
	@command -v ffprobe >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null; }

# The browser tests drive Debian's Chromium (test tools cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

test: install-dev ffprobe chromium tests/emulators/node_modules/.installed client
	npm test --prefix client --silent
	$(PY) -m pytest

ui: install $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster dev -w workspace.yaml

# The web app (http://127.0.0.1:8000), the Dagster UI (:3000) and the daemon, on embedded defaults.
serve: install client $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dreamreel serve

# The web app for Firebase Hosting (firebase.json): the client built, plus dreamreel.json telling it
# where its API is: API=https://yours.ngrok-free.app for a fixed address, else the address
# `dreamreel tunnel` publishes in DREAMREEL_FIREBASE_PROJECT (with DREAMREEL_FIREBASE_WEB_API_KEY).
hosting: install client
	$(VENV)/bin/dreamreel hosting-config $(if $(API),--api "$(API)")

bench: install $(DAGSTER_HOME)/dagster.yaml
	$(PY) bench/film.py

bench-api: install wrk
	$(PY) bench/api.py

# What bench/gpu.py needs beyond Python, PyTorch and transformers on a bare GPU machine, as wheels
# for Python 3.12 (about 12 MB): copy .gpu-wheels/ there with the repository (README: Benchmarks).
GPU_WHEELS := diffusers==0.42.1 pillow importlib-metadata zipp
gpu-wheels: install
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
	  --python-version 3.12 --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \
	  -d .gpu-wheels $(GPU_WHEELS)

clean:
	rm -rf out .dagster .pytest_cache

# --- Containers (docker/): the code, dagster and api images, and the compose stack's test ------
# BuildKit builds (Docker >= 20.10); BASE_IMAGE / NODE_IMAGE choose the base images. CA_BUNDLE: a CA
# file pip and npm need in the build (TLS-inspecting proxy), passed as a build secret, never a layer.
DOCKER ?= docker
BASE_IMAGE ?= python:3.11-slim-bookworm
NODE_IMAGE ?= node:20-bookworm-slim
DREAMREEL_VERSION ?= $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
CA_BUNDLE ?=
DOCKER_BUILD_FLAGS ?=
CA_SECRET = --secret id=ca_bundle,src=$(CA_BUNDLE)
DOCKER_BUILD = DOCKER_BUILDKIT=1 $(DOCKER) build $(DOCKER_BUILD_FLAGS) --build-arg BASE_IMAGE=$(BASE_IMAGE) \
	$(if $(CA_BUNDLE),$(CA_SECRET))

.PHONY: docker-images docker-code docker-code-gpu docker-dagster docker-api test-docker

docker-code:
	$(DOCKER_BUILD) -f docker/code.Dockerfile -t dreamreel/code:$(DREAMREEL_VERSION) .

docker-code-gpu:
	$(DOCKER_BUILD) -f docker/code.Dockerfile --target code-gpu -t dreamreel/code:$(DREAMREEL_VERSION)-gpu .

docker-dagster:
	$(DOCKER_BUILD) -f docker/dagster.Dockerfile -t dreamreel/dagster:$(DREAMREEL_VERSION) .

docker-api:
	$(DOCKER_BUILD) --build-arg NODE_IMAGE=$(NODE_IMAGE) -f docker/api.Dockerfile -t dreamreel/api:$(DREAMREEL_VERSION) .

docker-images: docker-code docker-dagster docker-api

# Builds the images on a Debian base made here and runs the compose stack on its own dockerd
# (installed with apt if missing; needs root or sudo): one 20-second film, made in a run container.
# `make test` runs it with the rest; this target runs it alone.
test-docker: install-dev ffprobe
	$(PY) -m pytest -m docker tests/test_docker_stack.py
