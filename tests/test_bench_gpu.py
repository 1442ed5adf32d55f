"""bench/gpu.py runs on a bare GPU machine: nothing on its import path needs Dagster, pydantic or
OpenCV. Proved here with those made unimportable, on tiny configurations (figures mean nothing)."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLOCKED = ("dagster", "pydantic", "pydantic_core", "cv2", "fastapi")

RUN_WITHOUT = f"""
import runpy, sys
for name in {BLOCKED!r}:
    sys.modules[name] = None  # any import of it now fails
sys.argv = ["bench/gpu.py", *sys.argv[1:]]
runpy.run_path("bench/gpu.py", run_name="__main__")
"""


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN_WITHOUT, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def test_the_video_families_run_without_dagster_pydantic_or_opencv_and_write_their_figures(tmp_path):
    for family in ("cogvideox", "ltx"):
        done = bench("--tiny", "--family", family, "--out", str(tmp_path))
        assert done.returncode == 0, done.stderr[-3000:]
        assert "GPU-s / film-s" in done.stdout
    cogvideox = json.loads((tmp_path / "cogvideox.json").read_text())
    assert [f["mode"] for f in cogvideox["figures"]] == ["base", "cache", "fast"]
    ltx = json.loads((tmp_path / "ltx.json").read_text())
    assert ltx["family"] == "ltx" and ltx["tiny"] is True
    assert all(f["seconds"] > 0 and f["clips_per_shot"] >= 1 for f in ltx["figures"])

    summary = bench("--summarize", str(tmp_path))
    assert summary.returncode == 0, summary.stderr[-2000:]
    assert "CogVideoX clip" in summary.stdout and "LTX-Video clip" in summary.stdout
    assert "GPU-s / film-s" in summary.stdout


def test_without_a_family_it_says_what_to_give():
    done = bench()
    assert done.returncode == 2 and "give --family (and --out), or --summarize OUT" in done.stderr
