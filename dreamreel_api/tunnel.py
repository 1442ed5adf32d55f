"""The API on the web through an ngrok HTTPS tunnel (pyngrok), kept open while this runs.

`dreamreel tunnel` (for an API already running) and `dreamreel serve --tunnel` open it, print the
public URL and publish it in the address book the hosted web app reads. If the ngrok agent dies,
the tunnel is opened again and the new URL published; Ctrl-C closes it and marks the API offline.

The account token comes from NGROK_AUTHTOKEN only, and reaches the agent through a private config
file (mode 0600, removed on close): never on a command line, where any local user could read it,
and never in a log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dreamreel_api.address_book import AddressBook

TOKEN_VARIABLE = "NGROK_AUTHTOKEN"
NGROK_PATH_VARIABLE = "DREAMREEL_NGROK_PATH"
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOCAL_AUTH_REFUSAL = (
    "the API signs everyone in as the one local user (DREAMREEL_API_AUTH=local): a tunnel would let "
    "anyone on the web act as you. Start the API with DREAMREEL_API_AUTH=firebase first"
)


class TunnelError(Exception):
    """Why the tunnel cannot be opened, in words."""


@dataclass(frozen=True)
class TunnelConfig:
    api_url: str = "http://127.0.0.1:8000"
    """The API as this machine reaches it."""
    domain: str | None = None
    """A reserved ngrok domain (e.g. yours.ngrok-free.app): the URL then never changes."""
    ngrok_path: str | None = None
    """The ngrok agent (DREAMREEL_NGROK_PATH; default: pyngrok's, downloaded on first use)."""
    check_every_s: float = 2.0
    retry_max_s: float = 60.0

    def __post_init__(self) -> None:
        if self.domain is not None and not DOMAIN.match(self.domain):
            raise TunnelError(f"not a domain name: {self.domain!r} (e.g. yours.ngrok-free.app)")
        if not re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$", self.api_url):
            raise TunnelError(f"the API to open must be on this machine, e.g. http://127.0.0.1:8000, not {self.api_url!r}")


def token_from_environment(environ=os.environ) -> str:
    token = (environ.get(TOKEN_VARIABLE) or "").strip()
    if not token:
        raise TunnelError(f"ngrok needs your account's authtoken: set {TOKEN_VARIABLE} "
                          f"(ngrok dashboard, 'Your Authtoken')")
    return token


def check_api(api_url: str, timeout_s: float = 5) -> None:
    """Refuse unless a DreamReel API answers at `api_url` and signs people in with Firebase."""
    try:
        with urllib.request.urlopen(f"{api_url}/api/config", timeout=timeout_s) as response:
            config = json.load(response)
    except (OSError, ValueError) as error:
        raise TunnelError(f"no DreamReel API answers at {api_url} ({_reason(error)}): start it first") from None
    if config.get("auth") != "firebase":
        raise TunnelError(LOCAL_AUTH_REFUSAL)


def _reason(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__


class Tunnel:
    """One ngrok tunnel to the API, through pyngrok."""

    def __init__(self, config: TunnelConfig, token: str):
        from pyngrok import conf

        self.config = config
        self._folder = Path(tempfile.mkdtemp(prefix="dreamreel-ngrok-"))
        config_file = self._folder / "ngrok.yml"
        descriptor = os.open(config_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(f'version: "3"\nagent:\n  authtoken: {json.dumps(token)}\n')
        self.pyngrok = conf.PyngrokConfig(ngrok_path=config.ngrok_path or os.environ.get(NGROK_PATH_VARIABLE) or None,
                                          config_path=str(config_file), startup_timeout=20,
                                          start_new_session=True)
        self.pyngrok.auth_token = None  # pyngrok would put NGROK_AUTHTOKEN on the agent's command line
        # start_new_session: Ctrl-C stops this process, which then closes the agent (not both at once).
        self.url: str | None = None

    def open(self) -> str:
        from pyngrok import ngrok
        from pyngrok.exception import PyngrokError

        options = {"url": f"https://{self.config.domain}"} if self.config.domain else {}
        try:
            tunnel = ngrok.connect(self.config.api_url, name="dreamreel-api", pyngrok_config=self.pyngrok, **options)
        except PyngrokError as error:
            ngrok.kill(self.pyngrok)
            raise TunnelError(f"ngrok could not open the tunnel: {_ngrok_reason(error)}") from None
        self.url = tunnel.public_url
        return self.url

    def agent_running(self) -> bool:
        from pyngrok import process

        return process.is_process_running(self.pyngrok.ngrok_path)

    def close(self) -> None:
        from pyngrok import ngrok

        try:
            ngrok.kill(self.pyngrok)
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


def _ngrok_reason(error: Exception) -> str:
    detail = getattr(error, "ngrok_error", None) or str(error)
    return str(detail).strip().strip('"').rstrip(".") or "unknown error"


class PublishedTunnel:
    """A tunnel whose URL is published: `start()` opens it (TunnelError if it cannot), `watch(stop)`
    reopens it and publishes the new URL whenever the ngrok agent dies, until `stop` is set;
    `close()` closes it and marks the API offline."""

    def __init__(self, config: TunnelConfig, book: AddressBook, say: Callable[[str], None] = print,
                 token: str | None = None):
        self.config, self.book, self.say = config, book, say
        self.tunnel = Tunnel(config, token or token_from_environment())

    def start(self) -> str:
        url = self.tunnel.open()
        self.book.publish(url)
        self.say(f"The API is on the web at {url}")
        self.say(f"Published to {self.book.where}")
        return url

    def watch(self, stop: threading.Event) -> None:
        retry_s = self.config.check_every_s
        while not stop.wait(self.config.check_every_s):
            if self.tunnel.agent_running():
                continue
            self.say("The ngrok agent stopped; opening the tunnel again")
            while not stop.is_set():
                try:
                    url = self.tunnel.open()
                except TunnelError as error:
                    self.say(f"{error}; trying again in {retry_s:.0f} s")
                    stop.wait(retry_s)
                    retry_s = min(retry_s * 2, self.config.retry_max_s)
                    continue
                retry_s = self.config.check_every_s
                self.book.publish(url)
                self.say(f"The API is on the web at {url} (published)")
                break

    def close(self) -> None:
        opened = self.tunnel.url is not None
        self.tunnel.close()
        if not opened:
            return
        try:
            self.book.withdraw()
            self.say("Tunnel closed; the web app now says the server is offline")
        except Exception as error:  # a failed withdrawal must not hide why we stop
            self.say(f"Tunnel closed; could not mark the API offline in {self.book.where}: {type(error).__name__}")


def wait_for_stop_signal() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM (call from the main thread)."""
    import signal

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def wait_until_answering(api_url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{api_url}/api/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TunnelError(f"the API at {api_url} did not answer within {timeout_s:.0f} s") from None
            time.sleep(0.5)
