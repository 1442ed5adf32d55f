"""Media in Firebase Storage (a Cloud Storage bucket), with a local cache for reading and writing.

Files are written into the cache, uploaded on `commit` with their sha256 in the object's custom
metadata, and downloaded again when a cached copy is missing or differs. Browsers get a v4 signed
URL; against the emulator (STORAGE_EMULATOR_HOST) the emulator's own download URL.
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import google.auth.credentials
import google.auth.transport.requests
from google.api_core import exceptions
from google.cloud.storage import Blob, Bucket

from dreamreel_assets.models import MediaRef
from dreamreel_assets.stores.media import LocalMediaStore, StoredFile, sha256_of


class FirebaseMediaStore:
    """Keys are object names in `bucket` (under `prefix/` when given); `cache_dir` holds local copies."""

    def __init__(self, bucket: Bucket, cache_dir: Path, signed_url_seconds: int = 3600, prefix: str = ""):
        self.bucket = bucket
        self.cache = LocalMediaStore(Path(cache_dir))
        self.signed_url_seconds = signed_url_seconds
        self.prefix = prefix.strip("/")

    def writable_path(self, key: str) -> Path:
        return self.cache.writable_path(key)

    def commit(self, key: str) -> MediaRef:
        ref = self.cache.commit(key)
        blob = self._blob(key)
        blob.metadata = {"sha256": ref.sha256}
        blob.upload_from_filename(self.cache.local_path(ref), content_type=_content_type(key))
        return ref

    def existing(self, key: str) -> MediaRef | None:
        """The committed object's reference; objects not uploaded by `commit` (no sha256) do not count."""
        blob = self.bucket.get_blob(self._name(key))
        sha256 = (blob.metadata or {}).get("sha256") if blob is not None else None
        return MediaRef(key=key, sha256=sha256) if sha256 and blob.size else None

    def local_path(self, ref: MediaRef) -> Path:
        path = self.cache.path_of(ref.key)
        if not (path.is_file() and sha256_of(path) == ref.sha256):
            path.parent.mkdir(parents=True, exist_ok=True)
            self._download(ref.key, path)
        return path

    def url(self, ref: MediaRef) -> str:
        blob = self._blob(ref.key)
        emulator = os.environ.get("STORAGE_EMULATOR_HOST")
        if emulator:
            base = emulator if "://" in emulator else f"http://{emulator}"
            objects = f"{base.rstrip('/')}/download/storage/v1/b/{self.bucket.name}/o"
            return f"{objects}/{quote(blob.name, safe='')}?alt=media"
        return self._signed_url(blob)

    def files(self, prefix: str) -> Iterator[StoredFile]:
        skip = len(self.prefix) + 1 if self.prefix else 0
        for blob in self.bucket.list_blobs(prefix=self._name_prefix(prefix)):
            if (blob.metadata or {}).get("sha256"):  # committed, not half-uploaded by hand
                moment = blob.updated or datetime.now(timezone.utc)
                yield StoredFile(blob.name[skip:], int(blob.size or 0), moment)

    def remove(self, prefix: str) -> int:
        """Every object under the prefix (committed or not), then the local copies."""
        blobs = list(self.bucket.list_blobs(prefix=self._name_prefix(prefix)))
        for blob in blobs:
            try:
                blob.delete()
            except exceptions.NotFound:  # removed meanwhile by another worker
                pass
        self.cache.remove(prefix)
        return len(blobs)

    def _name_prefix(self, prefix: str) -> str:
        self.cache.path_of(prefix.rstrip("/") or ".")  # refuses keys that escape the store
        return f"{self.prefix}/{prefix}" if self.prefix else prefix

    def _name(self, key: str) -> str:
        relative = self.cache.path_of(key).relative_to(self.cache.root).as_posix()
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def _blob(self, key: str) -> Blob:
        return self.bucket.blob(self._name(key))

    def _download(self, key: str, path: Path) -> None:
        # Into a temporary file first: a reader never sees half a file, and concurrent downloads are safe.
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        try:
            self._blob(key).download_to_filename(str(partial))
            os.replace(partial, path)
        except exceptions.NotFound as error:
            raise FileNotFoundError(f"media {key!r} is not in bucket {self.bucket.name!r}") from error
        finally:
            partial.unlink(missing_ok=True)

    def _signed_url(self, blob: Blob) -> str:
        expiration = timedelta(seconds=self.signed_url_seconds)
        credentials = self.bucket.client._credentials  # the storage client has no public accessor
        if isinstance(credentials, google.auth.credentials.Signing):
            return blob.generate_signed_url(version="v4", expiration=expiration, method="GET")
        # Application default credentials on Google Cloud hold no private key: sign through IAM.
        credentials.refresh(google.auth.transport.requests.Request())  # also learns the account's email
        email = getattr(credentials, "service_account_email", None)
        if not email:
            raise ValueError("signed media URLs need a service account: set credentials_file")
        return blob.generate_signed_url(
            version="v4", expiration=expiration, method="GET",
            service_account_email=email, access_token=credentials.token,
        )


CONTENT_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}
"""Set here, as the API serves them: what mimetypes guesses for these depends on the machine."""


def _content_type(key: str) -> str:
    return CONTENT_TYPES.get(Path(key).suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
