"""The docker test's machinery: its own dockerd, a Debian base image made with debootstrap, local
stand-ins for the public base images (no registry is reachable), the images and the compose stack.

Everything lasting lives under `.cache/docker/` (dockerd's data root: images and build cache), so a
second run builds nothing. The mirror debootstrap uses is read from the machine's apt sources at run
time and never printed.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CACHE = REPO / ".cache" / "docker"
DOCKER = "/usr/bin/docker"
"""Debian's docker.io client: BuildKit built in (a newer client elsewhere on PATH may want buildx)."""
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
APT_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
PACKAGES = {"dockerd": "docker.io", DOCKER: "docker.io", "debootstrap": "debootstrap",
            "docker-compose": "docker-compose"}

DEBIAN_IMAGE = "local/debian:bookworm"
PYTHON_IMAGE = "local/python:3.11"
NODE_IMAGE = "local/node:20"
POSTGRES_IMAGE = "local/postgres:15"
COMPOSE_FILES = (REPO / "docker" / "compose.yaml", REPO / "docker" / "compose.hostnet.yaml")
PROJECT = "dreamreel-test"


def sudo() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo", "-n"]


def redact(text: str) -> str:
    """Logs may name the package mirror: never show its address."""
    return re.sub(r"\b[a-z][a-z0-9+.-]*://[^\s/'\"]+", "<url>", text)


def tail(path: Path, lines: int = 40) -> str:
    try:
        return redact("\n".join(path.read_text(errors="replace").splitlines()[-lines:]))
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_packages() -> None:
    """Debian's docker.io, debootstrap and docker-compose (1.29), when missing."""
    missing = sorted({package for tool, package in PACKAGES.items() if not shutil.which(tool)})
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        done = subprocess.run([*sudo(), *command], env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command[:2])} failed:\n{redact(done.stderr[-3000:])}")


def debian_mirror() -> str:
    """The first Debian mirror the machine's apt uses (deb822 sources)."""
    for stanza in APT_SOURCES.read_text().split("\n\n"):
        fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, flags=re.M))
        if "bookworm" in fields.get("Suites", "").split() and fields.get("URIs"):
            return fields["URIs"].split()[0]
    raise RuntimeError(f"no bookworm source in {APT_SOURCES}")


class Dockerd:
    """A dockerd of our own: its data root in the cache, its socket and state in a temporary
    directory, no bridge and no iptables rules (everything runs on the host's network).

    Storage: overlay2 where the kernel and the cache's file system allow it, else vfs (which
    copies every layer and every container's whole file system: several times slower, and ~40 GB
    on disk for this stack). DREAMREEL_DOCKER_STORAGE_DRIVER picks one."""

    def __init__(self) -> None:
        self.data_root = CACHE / "data"
        self.pidfile = CACHE / "dockerd.pid"
        self.run_dir = Path(tempfile.mkdtemp(prefix="dreamreel-dockerd-"))
        self.socket = self.run_dir / "docker.sock"
        self.log = self.run_dir / "dockerd.log"
        self.pid: int | None = None
        self.launcher: subprocess.Popen | None = None
        self.storage_driver = ""

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": f"unix://{self.socket}", "DOCKER_BUILDKIT": "1"}

    def _stop_stale(self) -> None:
        """A dockerd a killed test left on our data root would lock it: stop it by its pidfile."""
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return
        if cmdline and cmdline[0].endswith(b"dockerd") and str(self.data_root).encode() in cmdline:
            self._kill(pid)

    def start(self) -> None:
        CACHE.mkdir(parents=True, exist_ok=True)
        self._stop_stale()
        chosen = os.environ.get("DREAMREEL_DOCKER_STORAGE_DRIVER")
        for driver in [chosen] if chosen else ["overlay2", "vfs"]:
            try:
                return self._start(driver)
            except RuntimeError:
                if driver == "vfs" or chosen:
                    raise

    def _start(self, driver: str) -> None:
        self.storage_driver = driver
        group = "docker" if os.geteuid() == 0 else str(os.getgid())
        command = [
            *sudo(), "dockerd", f"--storage-driver={driver}", f"--data-root={self.data_root}",
            f"--exec-root={self.run_dir / 'exec'}", f"--pidfile={self.pidfile}",
            f"--host=unix://{self.socket}", f"--group={group}",
            "--bridge=none", "--iptables=false", "--ip-masq=false", "--ip-forward=false",
        ]
        with open(self.log, "wb") as log:
            self.launcher = launcher = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if launcher.poll() is not None:
                self.launcher = None
                raise RuntimeError(f"dockerd ({driver}) exited ({launcher.returncode}):\n{tail(self.log)}")
            if self.socket.exists() and self.pidfile.exists():
                if self.docker("version", check=False).returncode == 0:
                    self.pid = int(self.pidfile.read_text().strip())
                    return
            time.sleep(0.5)
        launcher.terminate()  # sudo passes it on
        launcher.wait(timeout=30)
        self.launcher = None
        raise RuntimeError(f"dockerd ({driver}) did not come up in 60 s:\n{tail(self.log)}")

    @staticmethod
    def _alive(pid: int) -> bool:
        try:  # a zombie (exited, not yet reaped by its parent) counts as gone
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    def _kill(self, pid: int, timeout: float = 60) -> None:
        subprocess.run([*sudo(), "kill", "-TERM", str(pid)], check=False, capture_output=True)
        deadline = time.monotonic() + timeout
        while self._alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if self._alive(pid):
            subprocess.run([*sudo(), "kill", "-KILL", str(pid)], check=False, capture_output=True)

    def stop(self) -> None:
        if self.pid is not None:
            self._kill(self.pid)
            self.pid = None
        if self.launcher is not None:
            self.launcher.wait(timeout=30)  # dockerd itself, or sudo, which ends with it
            self.launcher = None
        # dockerd leaves its network namespace mounted in the exec root.
        mounts = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
        for mount in reversed([m for m in mounts if m.startswith(f"{self.run_dir}/")]):
            subprocess.run([*sudo(), "umount", "-l", mount], check=False, capture_output=True)
        subprocess.run([*sudo(), "rm", "-rf", str(self.run_dir)], check=False, capture_output=True)

    @property
    def socket_gid(self) -> int:
        return self.socket.stat().st_gid

    def docker(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("capture_output", True)
        done = subprocess.run([DOCKER, *args], env=self.env, text=True, **kwargs)
        if check and done.returncode:
            raise RuntimeError(f"docker {' '.join(args[:3])} failed ({done.returncode}): {redact(done.stderr or '')}")
        return done

    def has_image(self, name: str) -> bool:
        return self.docker("image", "inspect", name, check=False).returncode == 0


def timed(timings: dict[str, float], name: str):
    @contextmanager
    def clock():
        started = time.monotonic()
        try:
            yield
        finally:
            timings[name] = time.monotonic() - started
            print(f"[docker test] {name}: {timings[name]:.0f} s", flush=True)
    return clock()


def in_parallel(timings: dict[str, float], jobs: dict[str, Callable[[], None]]) -> None:
    """Run the jobs at once (builds wait on the network as much as on the CPU); time each."""

    def run(name: str, job: Callable[[], None]) -> None:
        with timed(timings, name):
            job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, name, job) for name, job in jobs.items()]
    errors = [future.exception() for future in futures if future.exception() is not None]
    if errors:
        raise errors[0]


def build_debian_base(dockerd: Dockerd, log_dir: Path) -> bool:
    """local/debian:bookworm from debootstrap (minbase); False when the cache already has it."""
    if dockerd.has_image(DEBIAN_IMAGE):
        return False
    root = CACHE / "rootfs-bookworm"
    subprocess.run([*sudo(), "rm", "-rf", str(root)], check=True)
    log = log_dir / "debootstrap.log"
    with open(log, "wb") as out:
        done = subprocess.run([*sudo(), "debootstrap", "--variant=minbase", "bookworm", str(root), debian_mirror()],
                              stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        raise RuntimeError(f"debootstrap failed ({done.returncode}):\n{tail(log)}")
    archive = subprocess.Popen([*sudo(), "tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
    dockerd.docker("import", "-", DEBIAN_IMAGE, stdin=archive.stdout)
    archive.stdout.close()
    if archive.wait():
        raise RuntimeError("tar of the debootstrap root failed")
    subprocess.run([*sudo(), "rm", "-rf", str(root)], check=True)
    return True


def build(dockerd: Dockerd, log: Path, *args: str, stdin: bytes | None = None) -> None:
    with open(log, "wb") as out:
        done = subprocess.run([DOCKER, "build", "--network=host", "--progress=plain", *args], env=dockerd.env,
                              input=stdin, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        raise RuntimeError(f"docker build {' '.join(args)} failed:\n{tail(log)}")


def node_context() -> bytes:
    """A build context with this machine's node and npm (Debian's nodejs is too old for Vite 8)."""
    node = Path(shutil.which("node") or "node").resolve()
    npm = Path(shutil.which("npm") or "npm").resolve().parents[1]  # .../node_modules/npm/bin/npm-cli.js
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as context:
        context.add(HERE / "node.Dockerfile", arcname="Dockerfile")
        context.add(node, arcname="usr/bin/node")
        context.add(npm, arcname="usr/lib/node_modules/npm")
    return buffer.getvalue()


def local_bases(dockerd: Dockerd, log_dir: Path) -> dict[str, Callable[[], None]]:
    """Builds of the stand-ins for python:3.11-slim, postgres and node:20-slim, on the Debian base."""
    return {
        f"base {PYTHON_IMAGE}": lambda: build(dockerd, log_dir / "python.log", "-t", PYTHON_IMAGE,
                                              "-f", str(HERE / "python.Dockerfile"), str(HERE)),
        f"base {POSTGRES_IMAGE}": lambda: build(dockerd, log_dir / "postgres.log", "-t", POSTGRES_IMAGE,
                                                "-f", str(HERE / "postgres.Dockerfile"), str(HERE)),
        f"base {NODE_IMAGE}": lambda: build(dockerd, log_dir / "node.log", "-t", NODE_IMAGE, "-",
                                            stdin=node_context()),
    }


def make_image(dockerd: Dockerd, target: str, log_dir: Path) -> None:
    """One of the project's images, through its Makefile target (the same build users run)."""
    command = ["make", "--no-print-directory", "-C", str(REPO), target, f"DOCKER={DOCKER}",
               f"BASE_IMAGE={PYTHON_IMAGE}", f"NODE_IMAGE={NODE_IMAGE}",
               "DOCKER_BUILD_FLAGS=--network=host --progress=plain"]
    if CA_BUNDLE.is_file():
        command.append(f"CA_BUNDLE={CA_BUNDLE}")
    log = log_dir / f"{target}.log"
    with open(log, "wb") as out:
        done = subprocess.run(command, env=dockerd.env, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        raise RuntimeError(f"make {target} failed:\n{tail(log, 60)}")


class Compose:
    """docker-compose (1.29) on the production file plus the host-network override."""

    def __init__(self, dockerd: Dockerd, version: str) -> None:
        self.dockerd = dockerd
        self.ports = {name: free_port() for name in ("postgres", "code", "webserver", "api")}
        self.password = secrets.token_hex(16)
        inherited = {name: value for name, value in dockerd.env.items()
                     if not name.startswith(("DREAMREEL_", "DAGSTER_", "POSTGRES_", "COMPOSE_"))}
        self.env = {
            **inherited,
            "DOCKER_SOCKET": str(dockerd.socket),
            "DOCKER_GID": str(dockerd.socket_gid),
            "POSTGRES_IMAGE": POSTGRES_IMAGE,
            "DREAMREEL_VERSION": version,
            "DAGSTER_POSTGRES_PORT": str(self.ports["postgres"]),
            "DAGSTER_POSTGRES_PASSWORD": self.password,
            "DREAMREEL_CODE_SERVER_PORT": str(self.ports["code"]),
            "DAGSTER_WEBSERVER_PORT": str(self.ports["webserver"]),
            "DREAMREEL_API_PORT": str(self.ports["api"]),
            "DREAMREEL_API_PREVIEW_SECONDS": "20",
        }

    def __call__(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        files = [arg for path in COMPOSE_FILES for arg in ("-f", str(path))]
        done = subprocess.run(["docker-compose", "-p", PROJECT, *files, *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        if check and done.returncode:
            raise RuntimeError(f"docker-compose {' '.join(args)} failed ({done.returncode}):\n"
                               f"{redact(done.stderr[-4000:])}")
        return done

    def postgres_dsn(self) -> dict:
        return {"host": "127.0.0.1", "port": self.ports["postgres"], "user": "dagster",
                "password": self.password, "dbname": "dagster"}

    def down(self) -> None:
        """Runs' containers (not compose's) first: they hold the media volume."""
        runs = self.dockerd.docker("ps", "-aq", "--filter", "label=dagster/run_id", check=False).stdout.split()
        if runs:
            self.dockerd.docker("rm", "-f", *runs, check=False)
        self("down", "-v", "--remove-orphans", "--timeout", "20", check=False)

