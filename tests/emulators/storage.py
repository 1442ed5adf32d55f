"""The Cloud Storage emulator for the tests (gcp-storage-emulator, in memory) on 127.0.0.1:PORT,
counting operations as Cloud Storage bills them: `python storage.py PORT BUCKET`.

    uploads    class A: object writes, lists, metadata changes
    downloads  class B: object reads (media and metadata, signed URLs included)
    deletes    free

GET /_counts answers the counts as JSON; POST /_counts/reset zeroes them.
"""

import json
import signal
import sys
import threading
from http import HTTPStatus

from gcp_storage_emulator import server

counts = {"uploads": 0, "downloads": 0, "deletes": 0}
lock = threading.Lock()


def operation(method: str, path: str, query: str) -> str | None:
    if method == "DELETE":
        return "deletes"
    if method in ("POST", "PUT", "PATCH"):
        return "uploads"
    if method == "GET" and path.rstrip("/").endswith("/o"):
        return "uploads"  # listing is a class A operation
    if method == "GET" and path not in ("/", "/wipe"):
        return "downloads"
    return None


def counted(handle):
    def wrapper(self, method):
        handler = self._request_handler
        path, _, query = handler.path.partition("?")
        if path.startswith("/_counts"):
            body = b""
            with lock:
                if method == "POST" and path == "/_counts/reset":
                    counts.update({key: 0 for key in counts})
                body = json.dumps(counts).encode()
            handler.send_response(HTTPStatus.OK)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return None
        kind = operation(method, path, query)
        if kind:
            with lock:
                counts[kind] += 1
        return handle(self, method)

    return wrapper


def main(port: int, bucket: str) -> None:
    server.Router.handle = counted(server.Router.handle)
    emulator = server.create_server("127.0.0.1", port, in_memory=True, default_bucket=bucket)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    emulator.start()
    print(f"storage emulator listening on 127.0.0.1:{port}", flush=True)
    stop.wait()
    emulator.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
