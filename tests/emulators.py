"""Firebase emulators for the tests (a pytest plugin: conftest.py names it in `pytest_plugins`).

Each emulator is started once per session on a free loopback port, and stopped at the end. Their
state is in memory and shared by the session, so every store fixture gets its own collection or
key prefix.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

EMULATORS = Path(__file__).resolve().parent / "emulators"
PROJECT = "demo-dreamreel"
BUCKET = f"{PROJECT}.appspot.com"
APP_NAME = "dreamreel-tests"
STARTUP_S = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@contextmanager
def running(name: str, command: list[str], ready: Callable[[], bool], log: Path) -> Iterator[None]:
    """Start `command`, wait until `ready()`, yield, then stop it (SIGTERM, SIGKILL if it hangs)."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + STARTUP_S
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the {name} emulator did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def firestore_emulator(tmp_path_factory) -> Iterator[str]:
    """A Firestore emulator (`@firestore-emulator/server` under node); yields its host:port."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("the Firestore emulator needs node (20 or later) on PATH")
    if not (EMULATORS / "node_modules" / "@firestore-emulator" / "server").is_dir():
        pytest.fail("the Firestore emulator is not installed: run `npm ci --prefix tests/emulators`")
    port, counts_port = free_port(), free_port()
    log = tmp_path_factory.mktemp("emulators") / "firestore.log"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{port}")
        command = [node, str(EMULATORS / "firestore.mjs"), str(port), str(counts_port)]
        with running("Firestore", command, lambda: accepts_connections(port) and accepts_connections(counts_port), log):
            BILLING["firestore"] = (f"http://127.0.0.1:{counts_port}/counts", f"http://127.0.0.1:{counts_port}/reset")
            yield f"127.0.0.1:{port}"


@pytest.fixture(scope="session")
def storage_emulator(tmp_path_factory) -> Iterator[str]:
    """A Cloud Storage emulator (gcp-storage-emulator, in memory); yields its base URL."""
    if importlib.util.find_spec("gcp_storage_emulator") is None:
        pytest.fail("the Storage emulator is not installed: pip install gcp-storage-emulator")
    port = free_port()
    log = tmp_path_factory.mktemp("emulators") / "storage.log"
    command = [sys.executable, str(EMULATORS / "storage.py"), str(port), BUCKET]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{port}")
        with running("Storage", command, lambda: accepts_connections(port), log):
            BILLING["storage"] = (f"http://127.0.0.1:{port}/_counts", f"http://127.0.0.1:{port}/_counts/reset")
            yield f"http://127.0.0.1:{port}"


BILLING: dict[str, tuple[str, str]] = {}
"""Where each running emulator serves its operation counts, and resets them."""


class Billing:
    """What Firestore and Storage would bill since `reset()`, counted at the emulators."""

    def reset(self) -> None:
        for _, reset in BILLING.values():
            urllib.request.urlopen(urllib.request.Request(reset, method="POST"), timeout=5).close()

    def counts(self) -> dict[str, dict]:
        found = {}
        for name, (url, _) in BILLING.items():
            with urllib.request.urlopen(url, timeout=5) as response:
                found[name] = json.load(response)
        return found


@pytest.fixture
def firebase_billing(firestore_emulator, storage_emulator) -> Billing:
    billing = Billing()
    billing.reset()
    return billing


def emulator_app():
    from dreamreel_assets.stores.firebase_app import firebase_app

    return firebase_app(PROJECT, bucket=BUCKET, name=APP_NAME)


@pytest.fixture
def firestore_request_store(firestore_emulator):
    """A FirestoreRequestStore on a collection of its own."""
    from firebase_admin import firestore

    from dreamreel_assets.stores.firestore import FirestoreRequestStore

    collection = f"requests-{uuid.uuid4().hex[:12]}"
    return FirestoreRequestStore(firestore.client(emulator_app()), collection=collection)


@pytest.fixture
def firebase_media_store(storage_emulator, tmp_path):
    """A FirebaseMediaStore under a key prefix of its own, with a fresh cache."""
    from firebase_admin import storage

    from dreamreel_assets.stores.firebase_storage import FirebaseMediaStore

    bucket = storage.bucket(BUCKET, app=emulator_app())
    return FirebaseMediaStore(bucket, tmp_path / "cache", prefix=f"tests/{uuid.uuid4().hex[:12]}")
