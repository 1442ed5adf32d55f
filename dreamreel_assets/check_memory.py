"""What the final cut's checks measured before, kept per film by the fingerprint of what they measured.

A fix makes a new cut that is mostly the old one. A check looks up each frame or sound it would
measure by the digest of the packets that make it (`backends/media_digests.py`): a digest it has
measured before gives the same value, so only what the fix changed is decoded and measured again.
Each check keeps its own file (`films/<id>/checks/<check>.json`), as checks run side by side.
"""

from __future__ import annotations

import json

from dreamreel_assets.stores.media import MediaStore

KEPT = 5000
"""Measurements kept per check and film (the newest): a few hundred per cut."""


class CheckMemory:
    def __init__(self, store: MediaStore | None, film_id: str, check: str):
        self.store, self.key = store, f"films/{film_id}/checks/{check}.json"
        self.values: dict[str, object] = {}
        self.reused = self.measured = 0
        ref = store.existing(self.key) if store is not None else None
        if ref is not None:
            try:
                self.values = json.loads(store.local_path(ref).read_text())
            except (OSError, ValueError):
                self.values = {}  # unreadable: measure again, and write it anew

    @classmethod
    def forgetful(cls) -> CheckMemory:
        """A memory that knows nothing and keeps nothing: every value is measured."""
        return cls(None, "", "")

    def known(self, digest: str) -> bool:
        return digest in self.values

    def recall(self, digest: str):
        self.reused += 1
        return self.values[digest]

    def keep(self, digest: str, value) -> None:
        self.measured += 1
        self.values.pop(digest, None)
        self.values[digest] = value

    def save(self) -> None:
        if self.store is None or not self.measured:
            return
        newest = dict(list(self.values.items())[-KEPT:])
        self.store.writable_path(self.key).write_text(json.dumps(newest))
        self.store.commit(self.key)

    def metadata(self) -> dict[str, int]:
        return {"measured": self.measured, "reused": self.reused}
