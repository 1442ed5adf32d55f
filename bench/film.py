"""Make the default 5-minute film on the embedded backends and print where the time went.

Target on a 2-core machine: wall time at most half the film's running time (ratio <= 0.5)
and peak memory under 2 GiB.   Run: `make bench` (or `.venv/bin/python bench/film.py`).
"""

import argparse
import os
import resource
import tempfile
from pathlib import Path

from dreamreel_assets.cli import produce
from dreamreel_assets.models import FilmRequest


def peak_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=5)
    parser.add_argument("--preview-seconds", type=int)
    parser.add_argument("--theme", default="A shy dragon opens a bakery in a mountain village")
    parser.add_argument("--genre", default="fantasy")
    parser.add_argument("--style", default="storybook")
    args = parser.parse_args()
    request = FilmRequest(genre=args.genre, theme=args.theme, style=args.style, minutes=args.minutes,
                          preview_seconds=args.preview_seconds)
    os.environ.setdefault("DAGSTER_HOME", tempfile.mkdtemp(prefix="dreamreel-bench-home-"))
    out = Path(tempfile.mkdtemp(prefix="dreamreel-bench-"))
    made = produce(request, out, show_progress=False)
    if not made.success:
        raise SystemExit("the film failed; see the message above")

    film_s = made.cut.duration_s
    print(f"film: {made.video} ({film_s:.1f} s, {len(made.cut.timeline.scenes)} scenes, "
          f"{sum(len(s.shots) for s in made.cut.timeline.scenes)} shots)")
    print(f"{'stage':<32}{'seconds':>9}")
    for stage, seconds in made.stage_seconds().items():
        print(f"{stage:<32}{seconds:>9.1f}")
    # Children's ru_maxrss is not reported: a child forked from this process counts this
    # process's pages at the fork, so it would only repeat the figure below.
    peak_mib = peak_rss_mib(resource.RUSAGE_SELF)
    ratio = made.elapsed_s / film_s
    print(f"{'total wall':<32}{made.elapsed_s:>9.1f}")
    print(f"peak RSS: {peak_mib:.0f} MiB")
    print(f"wall / film duration: {ratio:.2f}  (target <= 0.50: {'met' if ratio <= 0.5 else 'MISSED'})")
    print(f"peak memory target < 2048 MiB: {'met' if peak_mib < 2048 else 'MISSED'}")


if __name__ == "__main__":
    main()
