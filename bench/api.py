"""50 concurrent clients on the status and gallery endpoints for 20 s: latency and errors.

The API runs as it does in production (`python -m dreamreel_api`: uvicorn, one process) over a
SQLite store of 500 films of 50 users (a third shared and done, scripts saved), in its own
process. Each client behaves as the web app's pages do, only faster: fetch one film's status
(or, one time in four, the gallery), wait `--think-ms` (the app itself polls every 1.5 s), again;
`--think-ms 0` hammers closed-loop. The load comes from wrk (Debian's `wrk`, `make bench-api`
installs it), which is light enough to leave the server its core; `--load python` uses an httpx
client instead, which on two cores measures mostly itself.

Target on this 2-core machine: p99 < 100 ms and zero errors.
Run: `.venv/bin/python bench/api.py [--clients 50] [--seconds 20] [--think-ms 250]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.models import FilmRequest
from dreamreel_assets.stores.sqlite import SqliteRequestStore

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def seed_films(data: Path, films: int) -> list[str]:
    store = SqliteRequestStore(data / "requests.sqlite")
    script = TemplateWriter().write(FilmRequest.model_validate(FORM))
    ids = []
    for number in range(films):
        record = store.submit({**FORM, "seed": number}, user_id="local" if number % 50 == 0 else f"user-{number % 50}")
        (data / "films" / record.id).mkdir(parents=True)
        (data / "films" / record.id / "script.json").write_text(script.model_dump_json())
        store.report_progress(record.id, "script", 1, 1, script.title)
        store.report_progress(record.id, "keyframes", number % len(script.shots), len(script.shots))
        if number % 3 == 0:
            store.set_status(record.id, "done", result={"video": "v", "poster": "p", "subtitles": "s"})
            store.set_shared(record.id, True)
        ids.append(record.id)
    return [i for n, i in enumerate(ids) if n % 3 == 0 or n % 50 == 0]  # readable by the local user


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def client(http: httpx.AsyncClient, ids: list[str], until: float, think_s: float,
                 latencies: list[float], errors: list[str]) -> None:
    rng = random.Random()
    while time.perf_counter() < until:
        path = "/api/gallery" if rng.random() < 0.25 else f"/api/films/{rng.choice(ids)}"
        started = time.perf_counter()
        try:
            response = await http.get(path)
            if response.status_code != 200:
                errors.append(f"{path}: {response.status_code}")
        except httpx.HTTPError as error:
            errors.append(f"{path}: {type(error).__name__}")
        latencies.append(time.perf_counter() - started)
        if think_s:
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))


async def load(base: str, ids: list[str], clients: int, seconds: float, think_s: float):
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as http:
        for _ in range(20):  # warm up
            await http.get("/api/gallery")
        until = time.perf_counter() + seconds
        await asyncio.gather(*(client(http, ids, until, think_s, latencies, errors) for _ in range(clients)))
    return latencies, errors


WRK_SCRIPT = """
local ids = {%s}
local think = %f
math.randomseed(os.time())
request = function()
  if math.random() < 0.25 then return wrk.format("GET", "/api/gallery") end
  return wrk.format("GET", "/api/films/" .. ids[math.random(#ids)])
end
delay = function()
  if think == 0 then return 0 end
  return think * (0.5 + math.random())
end
"""


def wrk_load(base: str, ids: list[str], clients: int, seconds: float, think_ms: float) -> tuple[dict, int, int]:
    """wrk's latency percentiles (ms), requests made and errors (socket errors, non-2xx)."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT % (", ".join(f'"{i}"' for i in ids), think_ms))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", str(script), base],
        check=True, capture_output=True, text=True,
    ).stdout
    percentiles = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].endswith("%"):
            percentiles[parts[0]] = _ms(parts[1])
    made = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return percentiles, made, errors + (int(non_2xx.group(1)) if non_2xx else 0)


def _ms(text: str) -> float:
    value = float(re.match(r"[\d.]+", text).group())
    return value * {"us": 0.001, "ms": 1, "s": 1000}[re.search(r"[a-z]+$", text).group()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think-ms", type=float, default=250)
    parser.add_argument("--films", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1, help="API processes (DREAMREEL_API_WORKERS)")
    parser.add_argument("--load", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="dreamreel-api-bench-"))
    ids = seed_films(data, args.films)
    port = free_port()
    env = {**os.environ, "DREAMREEL_DATA_DIR": str(data), "DREAMREEL_API_PORT": str(port),
           "DREAMREEL_API_WORKERS": str(args.workers)}
    server = subprocess.Popen([sys.executable, "-m", "dreamreel_api"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        if args.load == "wrk":
            percentiles, made, error_count = wrk_load(base, ids, args.clients, args.seconds, args.think_ms)
            p50, p90, p99 = percentiles["50%"], percentiles["90%"], percentiles["99%"]
        else:
            latencies, errors = asyncio.run(load(base, ids, args.clients, args.seconds, args.think_ms / 1000))
            ms = sorted(1000 * x for x in latencies)
            made, error_count = len(ms), len(errors)
            p50, p90, p99 = statistics.median(ms), ms[int(len(ms) * 0.9)], ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            if errors:
                print("first errors:", ", ".join(errors[:5]))
    finally:
        server.terminate()
        server.wait()

    print(f"{args.clients} clients ({args.load}), {args.seconds:.0f} s, think {args.think_ms:.0f} ms, "
          f"{args.films} films in SQLite, {args.workers} API process(es)")
    print(f"requests: {made} ({made / args.seconds:,.0f}/s), errors: {error_count}")
    print(f"latency ms: p50 {p50:.1f}, p90 {p90:.1f}, p99 {p99:.1f}")
    met = p99 < 100 and not error_count
    print(f"target p99 < 100 ms and zero errors: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
