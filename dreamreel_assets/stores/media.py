"""Where media lives: every file of a film sits under `films/<film_id>/...` in a MediaStore."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from dreamreel_assets.models import MediaRef


class MediaStore(Protocol):
    def writable_path(self, key: str) -> Path:
        """A local path to write `key` to; call `commit` when the file is complete. Until then the
        file is not `existing`: a worker killed mid-write leaves nothing a later run would reuse."""
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

    def files(self, prefix: str) -> Iterator[StoredFile]:
        """Every committed file whose key starts with `prefix` (e.g. `films/<id>/`)."""
        ...

    def remove(self, prefix: str) -> int:
        """Delete every file under `prefix` (and local copies of them); how many were removed."""
        ...


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    modified: datetime


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
        path = self.path_of(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return _staging(path)

    def commit(self, key: str) -> MediaRef:
        """Move the written file into place at once (a reader sees the old file or the new one,
        never half of one) and record its hash beside it; a key committed before and not written
        again stays as it is."""
        path = self.path_of(key)
        staged = _staging(path)
        if staged.exists():
            digest = sha256_of(staged)
            os.replace(staged, path)
            _write_atomically(_hash_file(path), digest)
            return MediaRef(key=key, sha256=digest)
        return MediaRef(key=key, sha256=sha256_of(path))

    def existing(self, key: str) -> MediaRef | None:
        """The reference of a committed file whose bytes still hash to what was committed: a file
        truncated or changed since (a full disk, a crash, a hand) is not reused but made again."""
        path = self.path_of(key)
        recorded = _hash_file(path)
        if not (path.is_file() and path.stat().st_size > 0 and recorded.is_file()):
            return None
        digest = sha256_of(path)
        return MediaRef(key=key, sha256=digest) if recorded.read_text().strip() == digest else None

    def local_path(self, ref: MediaRef) -> Path:
        return self.path_of(ref.key)

    def url(self, ref: MediaRef) -> str:
        return self.path_of(ref.key).as_uri()

    def files(self, prefix: str) -> Iterator[StoredFile]:
        top = self._folder_of(prefix)
        if not top.is_dir():
            return
        for path in sorted(top.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    stat = path.stat()
                    yield StoredFile(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, timezone.utc))

    def remove(self, prefix: str) -> int:
        """Files under a folder prefix go with their hashes and any half-written ones."""
        top = self._folder_of(prefix)
        if prefix.endswith("/") and top != self.root:
            count = sum(1 for _ in self.files(prefix))
            shutil.rmtree(top, ignore_errors=True)
            return count
        count = 0
        for stored in list(self.files(prefix)):
            path = self.path_of(stored.key)
            for leftover in (path, _hash_file(path), _staging(path)):
                leftover.unlink(missing_ok=True)
            count += 1
        return count

    def _folder_of(self, prefix: str) -> Path:
        """The folder every key with this prefix lies under (inside the store)."""
        folder = prefix if prefix.endswith("/") else prefix.rpartition("/")[0]
        return self.path_of(folder) if folder.strip("/") else self.root

    def path_of(self, key: str) -> Path:
        """Where a committed key lives."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"media key escapes the store: {key!r}")
        return path


def _hash_file(path: Path) -> Path:
    """The committed file's sha256, beside it and hidden."""
    return path.with_name(f".{path.name}.sha256")


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f"{path.name}.partial")
    partial.write_text(text)
    os.replace(partial, path)


def _staging(path: Path) -> Path:
    """Beside the file, hidden, with the same extension (writers pick their format by it)."""
    return path.with_name(f".{path.stem}.partial{path.suffix}")
