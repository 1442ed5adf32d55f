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

.PHONY: film test install install-dev ui bench ffprobe clean

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e '.[dev,gpu,firebase]'
	touch $@

# The Firestore emulator the tests start on loopback (Google's own needs Java 21 and a download).
tests/emulators/node_modules/.installed: tests/emulators/package.json tests/emulators/package-lock.json
	npm ci --prefix tests/emulators --no-audit --no-fund --silent
	touch $@

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

test: install-dev ffprobe tests/emulators/node_modules/.installed
	$(PY) -m pytest

ui: install $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster dev -w workspace.yaml

bench: install $(DAGSTER_HOME)/dagster.yaml
	$(PY) bench/film.py

clean:
	rm -rf out .dagster .pytest_cache
