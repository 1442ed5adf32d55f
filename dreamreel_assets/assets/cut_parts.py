"""What a final cut takes from the cuts before it.

A fix changes a shot, a scene's narration or the music; the rest of the film is as it was. The
cross-fades between scenes and the soundtrack are kept in the film's folder (`films/<id>/cut/`)
under keys made from everything they are made of, so a later cut reuses each one its change did
not touch, and says in its metadata which.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from dreamreel_assets.assets.common import input_hash
from dreamreel_assets.backends.assembler import FadeFile, fade_sources, true_peak_dbtp
from dreamreel_assets.backends.media_tools import VideoFormat, read_audio
from dreamreel_assets.models import Clips, Music, Narration, Timeline
from dreamreel_assets.stores.media import MediaStore


class CutParts:
    def __init__(self, store: MediaStore, film_id: str):
        self.store, self.folder = store, f"films/{film_id}/cut/"
        self.reused: list[str] = []
        self.made: list[str] = []

    def file(self, name: str, key: str, make: Callable[[Path], None]) -> Path:
        """The file at `key`, made by `make(path)` unless a whole one is there from an earlier cut."""
        ref = self.store.existing(key)
        if ref is None:
            make(self.store.writable_path(key))
            ref = self.store.commit(key)
            self.made.append(name)
        else:
            self.reused.append(name)
        return self.store.local_path(ref)

    def fades(self, clips: Clips, timeline: Timeline, video: VideoFormat) -> FadeFile:
        """Each cross-fade, keyed by the clip frames it blends."""
        digests = {clip.shot_id: clip.video.sha256 for clip in clips.clips}

        def fade(before, after, render: Callable[[Path], None]) -> Path:
            sources = [(shot, digests[shot], first, count) for shot, first, count in fade_sources(timeline, before, after)]
            key = f"{self.folder}fade-{before.scene_index}-{after.scene_index}-{input_hash(video, sources)}.mp4"
            return self.file(f"cross-fade {before.scene_index}-{after.scene_index}", key, render)

        return fade

    def soundtrack(self, narration: Narration, music: Music, timeline: Timeline, settings: dict,
                   make: Callable[[Path], float]) -> tuple[Path, float]:
        """The encoded soundtrack and its true peak (dBTP), keyed by the speech, the music and where
        they play; `make(path)` mixes and encodes it and returns the true peak."""
        starts = {scene.scene_index: scene.narration_start for scene in timeline.scenes}
        digest = input_hash([(s.audio.sha256, starts[s.scene_index]) for s in narration.scenes],
                            music.audio.sha256, timeline.duration, settings)
        stem = f"{self.folder}soundtrack-{digest}"
        measured: dict[str, float] = {}

        def encode(path: Path) -> None:
            measured["true_peak_dbtp"] = make(path)

        audio = self.file("soundtrack", f"{stem}.m4a", encode)
        facts = self.store.existing(f"{stem}.json")
        if facts is not None and not measured:
            return audio, float(json.loads(self.store.local_path(facts).read_text())["true_peak_dbtp"])
        if not measured:  # a cut that died between the two files: measure the soundtrack it left
            measured["true_peak_dbtp"] = true_peak_dbtp(read_audio(audio))
        self.store.writable_path(f"{stem}.json").write_text(json.dumps(measured))
        self.store.commit(f"{stem}.json")
        return audio, measured["true_peak_dbtp"]

    def metadata(self) -> dict[str, str]:
        return {"reused": ", ".join(self.reused) or "nothing", "made": ", ".join(self.made) or "nothing"}
