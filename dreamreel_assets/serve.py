"""`dreamreel serve`: the whole local stack in one command.

Two processes, started and stopped together: `dagster dev` (the webserver and the daemon, which
runs the request sensor) and the HTTP API serving the built web client. Both read and write the
same data directory, so a film asked for in the browser is picked up by the sensor, made, and
played back from the same files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLIENT = REPO / "client" / "dist"


@dataclass(frozen=True)
class Stack:
    data_dir: Path
    dagster_home: Path
    client_dir: Path
    host: str = "127.0.0.1"
    api_port: int = 8000
    dagster_port: int = 3000

    @property
    def app_url(self) -> str:
        return f"http://{self.host}:{self.api_port}/"

    @property
    def dagster_url(self) -> str:
        return f"http://{self.host}:{self.dagster_port}/"

    def environment(self) -> dict[str, str]:
        bin_dir = str(Path(sys.executable).parent)
        return {
            **os.environ,
            "DAGSTER_HOME": str(self.dagster_home),
            "DREAMREEL_DATA_DIR": str(self.data_dir),
            "DREAMREEL_API_CLIENT_DIR": str(self.client_dir),
            "DREAMREEL_API_HOST": self.host,
            "DREAMREEL_API_PORT": str(self.api_port),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }


def problems(stack: Stack) -> list[str]:
    """What would stop the stack from starting, in words (checked before anything starts)."""
    found = []
    if not (stack.client_dir / "index.html").is_file():
        found.append(f"no built web client in {stack.client_dir}: run `make client` (or `make serve`)")
    if stack.api_port == stack.dagster_port:
        found.append("the API and the Dagster UI need different ports")
    return found


def prepare(stack: Stack) -> None:
    stack.data_dir.mkdir(parents=True, exist_ok=True)
    stack.dagster_home.mkdir(parents=True, exist_ok=True)
    instance_yaml = stack.dagster_home / "dagster.yaml"
    if not instance_yaml.exists():
        shutil.copy(REPO / "dagster.yaml", instance_yaml)


def start(stack: Stack, quiet: bool = False) -> list[subprocess.Popen]:
    """Start both processes, each in its own process group (so each stops with all its children)."""
    prepare(stack)
    env = stack.environment()
    output = subprocess.DEVNULL if quiet else None
    dagster = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster"), "dev", "-w", str(REPO / "workspace.yaml"),
         "-h", stack.host, "-p", str(stack.dagster_port)],
        cwd=REPO, env=env, stdout=output, stderr=output, start_new_session=True,
    )
    api = subprocess.Popen([sys.executable, "-m", "dreamreel_api"], cwd=REPO, env=env,
                           stdout=output, stderr=output, start_new_session=True)
    return [dagster, api]


def wait_until_up(stack: Stack, processes: list[subprocess.Popen], timeout_s: float = 120) -> None:
    """Until both answer over HTTP; RuntimeError naming the one that exited or never answered."""
    deadline = time.monotonic() + timeout_s
    pending = {"API": f"{stack.app_url}api/health", "Dagster": f"{stack.dagster_url}server_info"}
    while pending:
        for name, process in zip(("Dagster", "API"), processes):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode} while starting")
        for name, url in list(pending.items()):
            try:
                with urllib.request.urlopen(url, timeout=2):
                    del pending[name]
            except OSError:
                pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{' and '.join(pending)} did not answer within {timeout_s:.0f} s")
        if pending:
            time.sleep(0.5)


def stop(processes: list[subprocess.Popen], timeout_s: float = 30) -> None:
    """SIGTERM to each process group (`dagster dev` exits cleanly on it), SIGKILL if it lingers."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_until_stopped(stack: Stack, processes: list[subprocess.Popen]) -> int:
    """Block until Ctrl-C, SIGTERM, or one of the processes exits; then stop both."""
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
        exited = next((p for p in processes if p.poll() is not None), None)
        return 0 if stopping or exited is None else (exited.returncode or 1)
    finally:
        stop(processes)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
