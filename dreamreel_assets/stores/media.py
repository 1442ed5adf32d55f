"""Where media lives: every file of a film sits under `films/<film_id>/...` in a MediaStore."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from dreamreel_assets.models import MediaRef


class MediaStore(Protocol):
    def writable_path(self, key: str) -> Path:
        """A local path to write `key` to; call `commit` when the file is complete."""
        ...

    def commit(self, key: str) -> MediaRef:
        """Publish a written file and return its reference."""
        ...

    def existing(self, key: str) -> MediaRef | None:
        """The reference of `key` if it was committed before (work keyed by its inputs is reused)."""
        ...

    def local_path(self, ref: MediaRef) -> Path:
        """A local path to read the file from."""
        ...

    def url(self, ref: MediaRef) -> str:
        """An address a browser can play."""
        ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class LocalMediaStore:
    """A directory on this machine (the embedded default)."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def writable_path(self, key: str) -> Path:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self, key: str) -> MediaRef:
        return MediaRef(key=key, sha256=sha256_of(self._path(key)))

    def existing(self, key: str) -> MediaRef | None:
        path = self._path(key)
        return self.commit(key) if path.is_file() and path.stat().st_size > 0 else None

    def local_path(self, ref: MediaRef) -> Path:
        return self._path(ref.key)

    def url(self, ref: MediaRef) -> str:
        return self._path(ref.key).as_uri()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"media key escapes the store: {key!r}")
        return path
