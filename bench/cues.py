"""How well subtitle cues match the speech they caption, and what ElevenLabs narration costs in calls.

For a film's script (the template writer's, 5 minutes unless --minutes), every scene is spoken by
eSpeak NG and by the ElevenLabs narrator against the fake ElevenLabs of the tests (eSpeak speech,
character timestamps, on loopback). Each cue start is compared with the nearest speech onset found
on the narration itself by silence detection. Target: every cue within 100 ms. Then the ElevenLabs
speech calls for a first narration, a second one (cache) and a one-scene fix (a new take).

Run: `.venv/bin/python bench/cues.py [--minutes 5]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/queue.py would shadow
# the standard library's `queue`: take the folder off before importing anything that uses it.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
sys.path.append(str(HERE.parent / "tests"))

import argparse
import statistics
import tempfile

from elevenlabs import ElevenLabs

from conftest import cue_offsets
from dreamreel_assets.backends.narrator.elevenlabs import ElevenLabsNarrator
from dreamreel_assets.backends.narrator.espeak import EspeakNarrator
from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.models import NARRATOR, FilmRequest
from fake_elevenlabs import FakeElevenLabs


def offsets_ms(narrator, script) -> list[float]:
    voices = {NARRATOR: "narrator-warm", **{c.id: c.voice for c in script.characters}}
    found = []
    for scene in script.scenes:
        spoken = narrator.speak(scene.lines, voices)
        found += [offset * 1000 for offset in cue_offsets(spoken.cues, spoken.samples, spoken.sample_rate)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=5)
    args = parser.parse_args()
    request = FilmRequest(genre="mystery", theme="A lighthouse keeper finds a map that redraws itself",
                          style="noir", minutes=args.minutes)
    script = TemplateWriter().write(request)
    print(f"script: {len(script.scenes)} scenes, {sum(len(s.lines) for s in script.scenes)} lines, "
          f"{script.word_count} words", flush=True)
    fake = FakeElevenLabs(concurrency=2)
    try:
        with tempfile.TemporaryDirectory() as cache:
            client = ElevenLabs(api_key=fake.key, base_url=fake.url, timeout=30)
            elevenlabs = ElevenLabsNarrator(client, cache_dir=Path(cache), max_concurrency=2)
            print(f"{'narrator':<22}{'cues':>6}{'p50 ms':>8}{'max ms':>8}{'within 100 ms':>15}", flush=True)
            for name, narrator in [("espeak-ng", EspeakNarrator()), ("elevenlabs (fake)", elevenlabs)]:
                found = offsets_ms(narrator, script)
                within = sum(offset <= 100 for offset in found)
                print(f"{name:<22}{len(found):>6}{statistics.median(found):>8.0f}{max(found):>8.0f}"
                      f"{within:>9}/{len(found)}", flush=True)
            first = len(fake.requests)
            offsets_ms(elevenlabs, script)
            again = len(fake.requests) - first
            voices = {NARRATOR: "narrator-warm", **{c.id: c.voice for c in script.characters}}
            elevenlabs.speak(script.scenes[1].lines, voices, take=1)
            fix = len(fake.requests) - first - again
            print(f"ElevenLabs speech calls: first narration {first}, again {again}, "
                  f"one-scene fix {fix} (scene 2 has {len(script.scenes[1].lines)} lines); "
                  f"most in flight {fake.most_in_flight} (limit 2)", flush=True)
    finally:
        fake.close()


if __name__ == "__main__":
    main()
