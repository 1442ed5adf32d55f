"""The default 5-minute film, then a one-shot keyframe fix through `dreamreel fix`: what a fix costs.

Both are run as people run them (the CLI, in its own process, on the embedded defaults); prints
both wall times, their ratio, and what the fix's final cut and checks reused.
Target: the fix at most 15% of the full film's time.   Run: `.venv/bin/python bench/fix.py`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.15


def dreamreel(*args: str, cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=os.environ)
    if done.returncode != 0:
        raise SystemExit(f"`dreamreel {args[0]}` failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", default="5")
    parser.add_argument("--preview-seconds")
    parser.add_argument("--shot", default="s2-sh1")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dreamreel-bench-fix-"))
    os.environ["DAGSTER_HOME"] = str(work / "home")
    (work / "home").mkdir()
    length = ["--preview-seconds", args.preview_seconds] if args.preview_seconds else ["--minutes", args.minutes]
    film_s, made = dreamreel("make", "--theme", "A shy dragon opens a bakery in a mountain village",
                             "--genre", "fantasy", "--style", "storybook", *length, cwd=work)
    film = Path(made.stdout.strip().splitlines()[-1])
    film_id = film.relative_to(work / "out" / "films").parts[0]
    fix_s, _ = dreamreel("fix", film_id, "--stage", "keyframes", "--shot", args.shot,
                         "--note", "at dawn, warm light", cwd=work)
    ratio = fix_s / film_s
    print(f"film {film_id}: made in {film_s:.1f} s")
    print(f"one-shot keyframe fix ({args.shot}): {fix_s:.1f} s")
    print(f"fix / film: {ratio:.3f}  (target <= {TARGET:.2f}: {'met' if ratio <= TARGET else 'MISSED'})")
    print_reuse(film_id)


def print_reuse(film_id: str) -> None:
    """What the fix's final cut took from the first cut, and what its checks measured again."""
    from dagster import AssetKey, DagsterInstance

    with DagsterInstance.get() as instance:
        [latest] = instance.fetch_materializations(AssetKey("final_cut"), limit=1).records
        metadata = latest.asset_materialization.metadata
        print(f"the fix's final cut reused: {metadata['parts_reused'].value}; made: {metadata['parts_made'].value}")
        for step in instance.get_run_step_stats(latest.run_id):
            if step.end_time and step.start_time:
                print(f"  {step.step_key:<36}{step.end_time - step.start_time:>7.1f} s")


if __name__ == "__main__":
    bench_folder = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != bench_folder]  # bench/queue.py shadows queue
    main()
