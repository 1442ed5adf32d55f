"""`dreamreel tunnel` and `dreamreel serve --tunnel` with a fake ngrok agent (tests/fake_ngrok.py) in
place of the real one: the URL is printed and published in Firestore (emulator), traffic reaches the
API through it, a killed agent is replaced and the new URL published, Ctrl-C closes it and marks
the API offline; local auth, a missing token and a bad domain are refused in words; the token is
in no output and on no command line."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from emulators import PROJECT, free_port

REPO = Path(__file__).resolve().parents[1]
TOKEN = "2fake-ngrok-token-Secret-8c1d4e"
URL_LINE = re.compile(r"The API is on the web at (\S+)")


@pytest.fixture
def fake_ngrok(tmp_path) -> dict[str, str]:
    """The environment that makes pyngrok run the fake agent, and where it records what it saw."""
    agent = tmp_path / "ngrok"
    agent.write_text(f"#!/bin/sh\nexec {sys.executable} {REPO / 'tests' / 'fake_ngrok.py'} \"$@\"\n")
    agent.chmod(agent.stat().st_mode | stat.S_IXUSR)
    return {"DREAMREEL_NGROK_PATH": str(agent), "FAKE_NGROK_RECORD": str(tmp_path / "ngrok-record.jsonl")}


def records(fake: dict[str, str]) -> list[dict]:
    path = Path(fake["FAKE_NGROK_RECORD"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def environment(tmp_path, **extra) -> dict[str, str]:
    """The sign-in emulator's setting stands in for credentials (the API refuses to start with neither)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DREAMREEL_", "NGROK_"))}
    return {**base, "HOME": str(tmp_path), "DREAMREEL_DATA_DIR": str(tmp_path / "data"),
            "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099", **extra}


def start_api(tmp_path, auth: str, **extra) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = environment(tmp_path, DREAMREEL_API_AUTH=auth, DREAMREEL_API_PORT=str(port),
                      DREAMREEL_FIREBASE_PROJECT=PROJECT, **extra)
    server = subprocess.Popen([sys.executable, "-m", "dreamreel_api"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/health", timeout=1).close()
            return server, url
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the API did not start"
            time.sleep(0.1)


@pytest.fixture
def firebase_api(tmp_path, firestore_emulator):
    server, url = start_api(tmp_path, "firebase")
    yield url
    server.terminate()
    server.wait(timeout=10)


class Lines:
    """A process's output lines as they come, for waiting on one."""

    def __init__(self, process: subprocess.Popen):
        self.process, self.seen, self._queue = process, [], queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, pattern: re.Pattern | str, timeout_s: float = 60) -> re.Match:
        pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if found := pattern.search(line):
                return found
        raise AssertionError(f"no line matching {pattern.pattern!r} in {timeout_s:.0f} s:\n" + "\n".join(self.seen))

    def rest(self) -> str:
        self.process.wait(timeout=30)
        while not self._queue.empty():
            self.seen.append(self._queue.get())
        return "\n".join(self.seen)


def published() -> dict:
    from firebase_admin import firestore

    from emulators import emulator_app

    snapshot = firestore.client(emulator_app()).collection("public").document("api").get()
    return snapshot.to_dict() if snapshot.exists else {}


def health_through(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/api/health", timeout=10) as response:
        return json.load(response)


def dreamreel(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dreamreel_assets.cli", *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def test_the_tunnel_is_published_reopened_when_the_agent_dies_and_closed_on_ctrl_c(
    tmp_path, fake_ngrok, firebase_api, firestore_emulator,
):
    env = environment(tmp_path, NGROK_AUTHTOKEN=TOKEN, DREAMREEL_FIREBASE_PROJECT=PROJECT, **fake_ngrok)
    command = dreamreel("tunnel", "--api", firebase_api, env=env)
    lines = Lines(command)
    try:
        first = lines.wait_for(URL_LINE).group(1)
        lines.wait_for(r"Published to Firestore document public/api of project demo-dreamreel")
        assert published()["url"] == first and published()["online"] is True
        assert health_through(first) == {"status": "ok"}, "traffic reaches the API through the tunnel"

        agents = [entry["pid"] for entry in records(fake_ngrok) if "pid" in entry]
        assert len(agents) == 1
        os.kill(agents[0], signal.SIGKILL)
        lines.wait_for(r"The ngrok agent stopped; opening the tunnel again")
        second = lines.wait_for(URL_LINE).group(1)
        assert second != first
        assert published()["url"] == second
        assert health_through(second) == {"status": "ok"}
    finally:
        os.killpg(command.pid, signal.SIGINT)
    output = lines.rest()
    assert command.returncode == 0, output
    assert "Tunnel closed; the web app now says the server is offline" in output
    assert published() | {"updated_at": None} == {"url": None, "online": False, "updated_at": None}
    agents = [entry["pid"] for entry in records(fake_ngrok) if "pid" in entry]
    assert len(agents) == 2 and not any(Path(f"/proc/{pid}").exists() for pid in agents), "no agent is left"

    assert TOKEN not in output
    started = [entry["argv"] for entry in records(fake_ngrok) if "argv" in entry]
    assert started and all(TOKEN not in " ".join(argv) for argv in started), "the token is on no command line"
    config_files = [Path(argv[argv.index("--config") + 1]) for argv in started]
    assert not any(path.exists() for path in config_files), "the private config with the token is removed"


def test_a_reserved_domain_is_asked_for_and_published(tmp_path, fake_ngrok, firebase_api):
    env = environment(tmp_path, NGROK_AUTHTOKEN=TOKEN, DREAMREEL_FIREBASE_PROJECT=PROJECT, **fake_ngrok)
    command = dreamreel("tunnel", "--api", firebase_api, "--domain", "dreamreel-home.ngrok-free.app", env=env)
    lines = Lines(command)
    try:
        assert lines.wait_for(URL_LINE).group(1) == "https://dreamreel-home.ngrok-free.app"
        assert published()["url"] == "https://dreamreel-home.ngrok-free.app"
        asked = [entry["endpoint"] for entry in records(fake_ngrok) if "endpoint" in entry]
        assert asked[0]["url"] == "https://dreamreel-home.ngrok-free.app"
        assert asked[0]["upstream"]["url"] == firebase_api
    finally:
        os.killpg(command.pid, signal.SIGINT)
    assert lines.rest() and command.returncode == 0


def refused(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_no_tunnel_while_the_api_uses_local_auth(tmp_path, fake_ngrok):
    server, url = start_api(tmp_path, "local")
    try:
        env = environment(tmp_path, NGROK_AUTHTOKEN=TOKEN, **fake_ngrok)
        result = refused("tunnel", "--api", url, env=env)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: the API signs everyone in as the one local user (DREAMREEL_API_AUTH=local): a tunnel would "
        "let anyone on the web act as you. Start the API with DREAMREEL_API_AUTH=firebase first")
    assert records(fake_ngrok) == [], "no agent was started"

    serve = refused("serve", "--tunnel", "--port", str(free_port()), "--out", str(tmp_path / "out"),
                    env=environment(tmp_path, NGROK_AUTHTOKEN=TOKEN, DAGSTER_HOME=str(tmp_path / "dh"), **fake_ngrok))
    assert serve.returncode == 2
    assert "error: no tunnel: the API signs everyone in as the one local user" in serve.stderr
    assert records(fake_ngrok) == [] and not (tmp_path / "dh").exists(), "nothing was started"


def test_missing_token_no_api_and_bad_domain_are_refused_in_words(tmp_path, fake_ngrok, firebase_api):
    no_token = refused("tunnel", "--api", firebase_api, env=environment(tmp_path, **fake_ngrok))
    assert no_token.returncode == 2
    assert no_token.stderr.strip() == ("error: ngrok needs your account's authtoken: set NGROK_AUTHTOKEN "
                                       "(ngrok dashboard, 'Your Authtoken')")
    with_token = environment(tmp_path, NGROK_AUTHTOKEN=TOKEN, **fake_ngrok)
    nothing = refused("tunnel", "--api", f"http://127.0.0.1:{free_port()}", env=with_token)
    assert nothing.returncode == 2 and "no DreamReel API answers at http://127.0.0.1:" in nothing.stderr
    elsewhere = refused("tunnel", "--api", "http://203.0.113.9:8000", env=with_token)
    assert elsewhere.returncode == 2 and "must be on this machine" in elsewhere.stderr
    bad = refused("tunnel", "--api", firebase_api, "--domain", "evil.example/../x", env=with_token)
    assert bad.returncode == 2 and bad.stderr.strip() == "error: not a domain name: 'evil.example/../x' (e.g. yours.ngrok-free.app)"
    assert records(fake_ngrok) == []
    for result in (no_token, nothing, elsewhere, bad):
        assert "Traceback" not in result.stderr + result.stdout


def test_an_agent_that_refuses_the_token_is_reported_in_words(tmp_path, fake_ngrok, firebase_api):
    """A token ngrok rejects (the fake, like ngrok, refuses a config without one)."""
    from dreamreel_api.address_book import NoAddressBook
    from dreamreel_api.tunnel import PublishedTunnel, TunnelConfig, TunnelError

    published_tunnel = PublishedTunnel(TunnelConfig(api_url=firebase_api, ngrok_path=fake_ngrok["DREAMREEL_NGROK_PATH"]),
                                       NoAddressBook(), say=lambda line: None, token=" ")
    with pytest.raises(TunnelError, match="ngrok could not open the tunnel: .*authentication failed"):
        published_tunnel.start()
    published_tunnel.close()


def test_serve_with_a_tunnel_opens_it_once_up_and_closes_it_with_the_stack(tmp_path, fake_ngrok, firestore_emulator):
    port = free_port()
    env = environment(tmp_path, NGROK_AUTHTOKEN=TOKEN, DREAMREEL_API_AUTH="firebase",
                      DREAMREEL_FIREBASE_PROJECT=PROJECT, DAGSTER_HOME=str(tmp_path / "dagster"), **fake_ngrok)
    command = dreamreel("serve", "--tunnel", "--port", str(port), "--dagster-port", str(free_port()),
                        "--out", str(tmp_path / "out"), env=env)
    lines = Lines(command)
    try:
        url = lines.wait_for(URL_LINE, timeout_s=180).group(1)
        lines.wait_for("Ctrl-C stops both and closes the tunnel")
        assert published()["url"] == url and health_through(url) == {"status": "ok"}
    finally:
        os.killpg(command.pid, signal.SIGINT)
    output = lines.rest()
    assert command.returncode == 0, output
    assert published()["online"] is False
    assert TOKEN not in output
    agents = [entry["pid"] for entry in records(fake_ngrok) if "pid" in entry]
    assert len(agents) == 1 and not Path(f"/proc/{agents[0]}").exists()
