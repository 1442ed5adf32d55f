"""Golden music: the embedded composer renders exactly the samples it rendered when they were recorded.

Each case is one mood with the inputs the music asset passes to the composer: the film's duration,
the scene starts of its timeline (the first at 0 s) and the seed it derives for the music. Both the
raw float32 sample array and the 16-bit WAV the asset writes are hashed; the test names each case
whose audio changed.

Record again (only when a change to the sound is meant):
    DREAMREEL_RECORD_GOLDEN=1 .venv/bin/pytest tests/test_golden_music.py
"""

import hashlib
import json
import os
from pathlib import Path

import pytest

from dreamreel_assets.assets.common import derive_seed
from dreamreel_assets.backends.assembler import write_wav
from dreamreel_assets.backends.composer.synth import SynthComposer
from dreamreel_assets.models import MOODS

GOLDEN = Path(__file__).parent / "data" / "golden"
HASHES = GOLDEN / "music_hashes.json"
RECORDING = os.environ.get("DREAMREEL_RECORD_GOLDEN") == "1"

# name: (mood, duration s, section starts s, base seed, sample rate)
CASES: dict[str, tuple[str, float, list[float], int, int]] = {
    "heroic-three-scenes": ("heroic", 31.5, [0.0, 9.25, 21.0], 7, 48_000),
    "playful-four-scenes": ("playful", 27.3, [0.0, 6.1, 13.4, 20.0], 42, 48_000),
    "tender-waltz-44k1": ("tender", 22.75, [0.0, 11.2], 3, 44_100),
    "wondrous-two-scenes": ("wondrous", 24.0, [0.0, 12.0], 1234, 48_000),
    "dread-one-scene": ("dread", 18.6, [0.0], 99, 48_000),
    "suspense-five-scenes": ("suspense", 34.2, [0.0, 5.5, 12.25, 19.0, 27.8], 2024, 48_000),
    "warm-no-sections": ("warm", 20.4, [], 5, 48_000),
    "ethereal-long-scenes": ("ethereal", 29.9, [0.0, 14.95], 777, 44_100),
    "warm-very-short": ("warm", 2.7, [0.0, 1.1], 11, 48_000),
}
assert {case[0] for case in CASES.values()} == set(MOODS), "every mood has a golden case"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def case_hashes(name: str, work: Path) -> dict[str, str]:
    """The hashes of one case's samples (dtype, shape, bytes) and of the WAV the asset would write."""
    mood, duration, starts, base_seed, rate = CASES[name]
    seed = derive_seed(base_seed, "music")
    score = SynthComposer().compose(mood, duration, seed, sample_rate=rate, section_starts=starts)
    samples = score.samples
    wav = work / f"{name}.wav"
    write_wav(wav, samples, score.sample_rate)
    header = f"{samples.dtype} {samples.shape} {score.sample_rate} {score.tempo_bpm} {score.key}"
    return {
        f"{name}/samples": _sha256(header.encode() + samples.tobytes()),
        f"{name}/wav": _sha256(wav.read_bytes()),
    }


def test_music_matches_golden_hashes(tmp_path):
    actual: dict[str, str] = {}
    for name in CASES:
        actual.update(case_hashes(name, tmp_path))
    if RECORDING:
        HASHES.parent.mkdir(parents=True, exist_ok=True)
        HASHES.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n")
        pytest.skip(f"recorded {len(actual)} music hashes to {HASHES}")
    expected = json.loads(HASHES.read_text())
    assert sorted(actual) == sorted(expected), "golden cases were added or removed: record again"
    changed = sorted(key for key in actual if actual[key] != expected[key])
    assert not changed, f"music differs from its golden recording: {changed}"
