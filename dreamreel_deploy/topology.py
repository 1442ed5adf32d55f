"""The production topology as processes on one machine, for tests and benchmarks (and a GPU server
without containers): Postgres storage, a gRPC code server, the webserver and the daemon with the
queued run coordinator, all loading the code location over the network as they do in containers.

The instance config is `docker/dagster.yaml` itself, with one change: runs are launched as
processes of the code server (Dagster's default launcher) instead of containers.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PROCESS_LAUNCHER = {"module": "dagster", "class": "DefaultRunLauncher"}


def default_stop_signals() -> None:
    """In a child before exec: SIGINT and SIGTERM stop it again, even if this process was started
    with them ignored (`cmd &` in a script ignores SIGINT, to which Dagster maps SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def instance_config(max_runs: int, launcher: dict = PROCESS_LAUNCHER) -> dict:
    config = yaml.safe_load((REPO / "docker" / "dagster.yaml").read_text())
    config["run_launcher"] = launcher
    config["concurrency"]["runs"]["max_concurrent_runs"] = max_runs
    return config


@dataclass
class Postgres:
    """A database of its own on a PostgreSQL server (trust auth, as on these machines)."""

    name: str
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""

    def _admin(self):
        import psycopg2

        connection = psycopg2.connect(host=self.host, port=self.port, user=self.user,
                                      password=self.password, dbname="postgres")
        connection.autocommit = True
        return connection

    def create(self) -> None:
        self._run_outside_transaction(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                                      f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._run_outside_transaction(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _run_outside_transaction(self, *statements: str) -> None:
        connection = self._admin()
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def query(self, sql: str, *args) -> list[tuple]:
        import psycopg2

        with psycopg2.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                              dbname=self.name) as connection, connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    def environment(self) -> dict[str, str]:
        return {"DAGSTER_POSTGRES_HOST": self.host, "DAGSTER_POSTGRES_PORT": str(self.port),
                "DAGSTER_POSTGRES_USER": self.user, "DAGSTER_POSTGRES_PASSWORD": self.password,
                "DAGSTER_POSTGRES_DB": self.name}


@dataclass
class Topology:
    """Code server, webserver and daemon on one Postgres database and one data directory."""

    root: Path
    postgres: Postgres
    max_runs: int = 2
    env: dict[str, str] = field(default_factory=dict)
    code_port: int = field(default_factory=free_port)
    webserver_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def clips_made(self, film_id: str) -> int:
        """Clips of a film committed to the local media store (each is committed as it is made;
        one being written is still hidden)."""
        return sum(1 for clip in (self.data_dir / "films" / film_id / "clips").glob("*.mp4")
                   if not clip.name.startswith("."))

    @property
    def webserver_url(self) -> str:
        return f"http://127.0.0.1:{self.webserver_port}"

    def environment(self) -> dict[str, str]:
        bin_dir = str(Path(sys.executable).parent)
        return {
            **os.environ, **self.postgres.environment(),
            "DAGSTER_HOME": str(self.dagster_home),
            "DREAMREEL_DATA_DIR": str(self.data_dir),
            "DREAMREEL_CODE_SERVER_HOST": "127.0.0.1",
            "DREAMREEL_CODE_SERVER_PORT": str(self.code_port),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            **self.env,
        }

    def prepare(self) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.dagster_home / "dagster.yaml").write_text(yaml.safe_dump(instance_config(self.max_runs), sort_keys=False))
        shutil.copy(REPO / "docker" / "workspace.yaml", self.dagster_home / "workspace.yaml")

    def commands(self) -> dict[str, list[str]]:
        bin_dir = Path(sys.executable).parent
        workspace = str(self.dagster_home / "workspace.yaml")
        return {
            "code server": [str(bin_dir / "dagster"), "code-server", "start", "-h", "127.0.0.1",
                            "-p", str(self.code_port), "-m", "dreamreel_assets.definitions"],
            "webserver": [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(self.webserver_port),
                          "-w", workspace],
            "daemon": [str(bin_dir / "dagster-daemon"), "run", "-w", workspace],
        }

    def start(self, *names: str) -> None:
        env = self.environment()
        logs = self.root / "logs"
        logs.mkdir(exist_ok=True)
        for name, command in self.commands().items():
            if names and name not in names:
                continue
            log = open(logs / f"{name.replace(' ', '_')}.log", "ab")
            self.processes[name] = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log,
                                                    start_new_session=True, preexec_fn=default_stop_signals)

    def wait_until_up(self, timeout_s: float = 180) -> None:
        """Until the webserver answers and has loaded the code location over gRPC."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode}: see {self.root}/logs")
            try:
                with urllib.request.urlopen(f"{self.webserver_url}/server_info", timeout=2):
                    pass
                if self._location_loaded():
                    return
            except OSError:
                pass
            time.sleep(1)
        raise RuntimeError(f"the topology did not come up within {timeout_s:.0f} s: see {self.root}/logs")

    def _location_loaded(self) -> bool:
        import json

        query = '{"query": "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"}'
        request = urllib.request.Request(f"{self.webserver_url}/graphql", data=query.encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            entries = json.load(response)["data"]["workspaceOrError"]["locationEntries"]
        return any(entry["name"] == "dreamreel" and entry["loadStatus"] == "LOADED" for entry in entries)

    def kill(self, name: str) -> None:
        """As a crash would: SIGKILL to the process and everything it started."""
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self, timeout_s: float = 30) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (from /proc), children first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        tree.append(current)
        frontier.extend(children.get(current, []))
    return tree[::-1]


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything it started, as a dying machine or container would."""
    for member in process_tree(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass
