import json
import shutil
import signal
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from dagster import DagsterInstance, instance_for_test, materialize

from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.definitions import default_resources
from dreamreel_assets.models import FilmRequest, FinalCut
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource
from dreamreel_assets.stores.media import LocalMediaStore
from dreamreel_assets.stores.sqlite import SqliteRequestStore

pytest_plugins = ["emulators"]

TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def stop_signals_not_ignored(request):
    """Servers the tests start must stop when asked, but children inherit ignored signals: a shell
    running `make test &` ignores SIGINT (to which `dagster dev` maps SIGTERM), and a pytest seen
    once ignoring SIGTERM left Dagster's compute-log tails running forever. Put the defaults back
    and say where they were found ignored."""
    for signum, default in ((signal.SIGTERM, signal.SIG_DFL), (signal.SIGINT, signal.default_int_handler)):
        if signal.getsignal(signum) is signal.SIG_IGN or _ignored_by_the_kernel(signum):
            warnings.warn(f"{signal.Signals(signum).name} was ignored before {request.node.nodeid}: "
                          "restored to the default")
            signal.signal(signum, default)


def _ignored_by_the_kernel(signum: int) -> bool:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    mask = next((line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), "0")
    return bool(int(mask, 16) & (1 << (signum - 1)))


@pytest.fixture(scope="session")
def sample_requests() -> dict:
    return json.loads((TEST_DATA / "requests.json").read_text())


@dataclass
class MadeFilm:
    request: FilmRequest
    film_id: str
    out: Path
    instance: DagsterInstance
    result: object
    resources: dict

    @property
    def cut(self) -> FinalCut:
        return self.result.output_for_node("final_cut")

    def path(self, ref) -> Path:
        return self.out / ref.key


def make_film(request: FilmRequest, out: Path, instance: DagsterInstance, raise_on_error: bool = True,
              **overrides) -> MadeFilm:
    """Materialize the real graph (and the final cut's checks) for one film (a failed step raises,
    unless `raise_on_error` is False: then `result` holds the failure)."""
    film_id = request.film_id()
    SqliteRequestStore(out / "requests.sqlite").submit(request.model_dump(), request_id=film_id, replace=True)
    instance.add_dynamic_partitions(films.name, [film_id])
    resources = {
        **default_resources(),
        "media": MediaStoreResource(root=str(out)),
        "requests": RequestStoreResource(sqlite_path=str(out / "requests.sqlite")),
        **overrides,
    }
    result = materialize(
        [*film_assets, *final_cut_checks], partition_key=film_id, instance=instance, resources=resources,
        raise_on_error=raise_on_error,
    )
    return MadeFilm(request, film_id, out, instance, result, resources)


@pytest.fixture(params=["sqlite", "firestore"])
def request_store(request, tmp_path):
    """Every RequestStore implementation, for the contract tests."""
    if request.param == "sqlite":
        return SqliteRequestStore(tmp_path / "requests.sqlite")
    return request.getfixturevalue(f"{request.param}_request_store")


@pytest.fixture(params=["local", "firebase"])
def media_store(request, tmp_path):
    """Every MediaStore implementation, for the contract tests."""
    if request.param == "local":
        return LocalMediaStore(tmp_path / "media")
    return request.getfixturevalue(f"{request.param}_media_store")


@pytest.fixture(scope="session")
def instance(tmp_path_factory):
    with instance_for_test(temp_dir=str(tmp_path_factory.mktemp("dagster_home"))) as test_instance:
        yield test_instance


@pytest.fixture(scope="session")
def preview_film(tmp_path_factory, instance) -> MadeFilm:
    """A 30-second preview of a real request, made once for the whole session."""
    request = FilmRequest(
        genre="mystery", theme="A lighthouse keeper finds a map that redraws itself every night",
        style="noir", minutes=5, preview_seconds=30, seed=7,
    )
    return make_film(request, tmp_path_factory.mktemp("film"), instance)


@pytest.fixture(scope="session")
def portrait_film(tmp_path_factory, instance) -> MadeFilm:
    request = FilmRequest(
        genre="fantasy", theme="A shy dragon opens a bakery in a mountain village",
        style="storybook", minutes=5, aspect="9:16", preview_seconds=20, seed=3,
    )
    return make_film(request, tmp_path_factory.mktemp("portrait"), instance)


def ffprobe(path: Path) -> dict:
    """What Debian's ffprobe reads from the file (independent of the code that wrote it)."""
    exe = shutil.which("ffprobe")
    assert exe, "ffprobe is required by the tests: `make test` installs it"
    output = subprocess.run(
        [exe, "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output)


def speech_onsets(samples: np.ndarray, rate: int, level: float = 0.01, gap_s: float = 0.15) -> list[float]:
    """Where sound starts after at least `gap_s` of silence (and at the very start): the speech a
    subtitle cue should start with, found on the narration track itself."""
    loud = np.flatnonzero(np.abs(samples) > level)
    found, last = [], -10 * rate
    for index in loud:
        if index - last > gap_s * rate:
            found.append(index / rate)
        last = index
    return found


def cue_offsets(cues, samples: np.ndarray, rate: int) -> list[float]:
    """Each cue start's distance to the nearest speech onset, seconds."""
    heard = speech_onsets(samples, rate)
    return [min(abs(cue.start - onset) for onset in heard) for cue in cues]
