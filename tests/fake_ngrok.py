"""A stand-in for the ngrok agent, for tests on a machine with no network: `python fake_ngrok.py
start --none --log stdout --config PATH` as pyngrok runs it.

It does what pyngrok relies on and nothing outside loopback:
- reads the v3 config file and refuses to start without `agent.authtoken` (as ngrok does);
- logs its start on stdout in ngrok's logfmt lines (the local web address, the session);
- serves the agent API on 127.0.0.1 (`/api/endpoints`, `/api/tunnels`: list, create, delete);
- for each endpoint without a requested URL, forwards a fresh loopback port to the upstream, and
  reports `http://127.0.0.1:<port>` as its public URL (an endpoint asking for a reserved domain
  gets that URL back, with no traffic served).

FAKE_NGROK_RECORD names a JSON-lines file where it appends its argv and each endpoint it was
asked for, for the tests to read.
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import yaml

endpoints: dict[str, dict] = {}
lock = threading.Lock()


def log(level: str, message: str, **fields: object) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())
    extra = " ".join(f"{key}={value}" for key, value in fields.items())
    print(f't={stamp} lvl={level} msg="{message}" {extra}'.rstrip(), flush=True)


def record(entry: dict) -> None:
    path = os.environ.get("FAKE_NGROK_RECORD")
    if path:
        with open(path, "a") as file:
            file.write(json.dumps(entry) + "\n")


class Forward(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        super().__init__(("127.0.0.1", 0), Pipe)


class Pipe(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            upstream = socket.create_connection(self.server.upstream, timeout=10)
        except OSError:
            return
        upstream.settimeout(None)

        def copy(source: socket.socket, target: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    target.sendall(data)
            except OSError:
                pass
            finally:
                for end in (source, target):
                    try:
                        end.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        back = threading.Thread(target=copy, args=(upstream, self.request), daemon=True)
        back.start()
        copy(self.request, upstream)
        back.join()
        upstream.close()


def open_endpoint(body: dict) -> dict:
    name = body.get("name") or f"endpoint-{uuid.uuid4().hex[:8]}"
    upstream = (body.get("upstream") or {}).get("url") or body.get("addr") or "80"
    target = urlsplit(upstream if "://" in str(upstream) else f"http://localhost:{upstream}")
    host = target.hostname or "localhost"
    if host not in ("localhost", "127.0.0.1"):
        raise ValueError(f"upstream {upstream} is not on loopback")
    if body.get("url"):
        public = body["url"]
    else:
        forward = Forward(("127.0.0.1", target.port or 80))
        threading.Thread(target=forward.serve_forever, daemon=True).start()
        public = f"http://127.0.0.1:{forward.server_address[1]}"
    endpoint = {"id": f"ep_{uuid.uuid4().hex[:12]}", "name": name, "uri": f"/api/endpoints/{name}",
                "url": public, "public_url": public, "proto": urlsplit(public).scheme,
                "upstream": {"url": upstream}}
    with lock:
        endpoints[name] = endpoint
    record({"endpoint": body})
    log("info", "started tunnel", obj=f"tunnels name={name}", addr=upstream, url=public)
    return endpoint


class AgentApi(BaseHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass

    def reply(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        with lock:
            listed = list(endpoints.values())
        if path == "/api/endpoints":
            self.reply(200, {"endpoints": listed, "uri": "/api/endpoints"})
        elif path == "/api/tunnels":
            self.reply(200, {"tunnels": listed, "uri": "/api/tunnels"})
        elif path.startswith(("/api/endpoints/", "/api/tunnels/")) and path.rsplit("/", 1)[1] in endpoints:
            self.reply(200, endpoints[path.rsplit("/", 1)[1]])
        else:
            self.reply(404, {"error_code": 100, "msg": "not found"})

    def do_POST(self) -> None:
        if self.path.rstrip("/") not in ("/api/endpoints", "/api/tunnels"):
            self.reply(404, {"error_code": 100, "msg": "not found"})
            return
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            self.reply(201, open_endpoint(body))
        except ValueError as error:
            self.reply(400, {"error_code": 102, "msg": str(error)})

    def do_DELETE(self) -> None:
        name = self.path.rstrip("/").rsplit("/", 1)[-1]
        with lock:
            found = endpoints.pop(name, None)
        self.reply(204 if found else 404, None if found else {"error_code": 100, "msg": "not found"})


def main(argv: list[str]) -> int:
    record({"argv": argv, "pid": os.getpid()})
    if not argv or argv[0] != "start":
        print("fake ngrok: only `start` is implemented", file=sys.stderr)
        return 2
    config = {}
    if "--config" in argv:
        with open(argv[argv.index("--config") + 1]) as file:
            config = yaml.safe_load(file) or {}
    token = (config.get("agent") or {}).get("authtoken") or config.get("authtoken")
    if "--authtoken" in argv:
        token = argv[argv.index("--authtoken") + 1]
    if not str(token or "").strip():
        log("eror", "failed to reconnect session", obj="tunnels.session",
            err='"authentication failed: Usage of ngrok requires a verified account and authtoken."')
        return 1
    api = ThreadingHTTPServer(("127.0.0.1", 0), AgentApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    log("info", "no configuration paths supplied")
    log("info", "starting web service", obj="web", addr=f"127.0.0.1:{api.server_address[1]}", allow_hosts="[]")
    log("info", "client session established", obj="tunnels.session")
    log("info", "tunnel session started", obj="tunnels.session")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
