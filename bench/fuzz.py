"""Schemathesis over the whole API spec at scale: generated requests, valid and not, to every
operation; none may be a server error, and every error must be JSON a person can read.

Runs tests/api/test_api_fuzz.py with more examples per operation (default 140: over 2,000
requests over the spec's operations) and prints how many were sent and what came back.
Target: at least 2,000 requests, 0 server errors. Run: `.venv/bin/python bench/fuzz.py [--examples N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=140, help="generated requests per operation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        env = {**os.environ, "DREAMREEL_FUZZ_EXAMPLES": str(args.examples), "DREAMREEL_FUZZ_REPORT": str(report)}
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "tests/api/test_api_fuzz.py"], cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        seen = json.loads(report.read_text()) if report.exists() else {}
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:])
    print(f"requests sent: {seen.get('requests', 0)} in {seconds:.0f} s; answered "
          + ", ".join(f"{key} {value}" for key, value in sorted(seen.items()) if key != "requests"))
    print(f"server errors (5xx): {seen.get('5xx', 0)}")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
