"""Store resources: where requests are queued and where media is kept.

`backend: auto` reads DREAMREEL_STORE when the store is opened (at run or tick time, never at
import): `firestore` selects Firestore and Firebase Storage, anything else SQLite and a local
directory. The Firebase project and bucket come from config or DREAMREEL_FIREBASE_PROJECT /
DREAMREEL_FIREBASE_BUCKET; credentials from a service-account file, application default
credentials, or none at all against the emulators (FIRESTORE_EMULATOR_HOST, STORAGE_EMULATOR_HOST).
"""

import os
from pathlib import Path
from typing import Literal

from dagster import ConfigurableResource

from dreamreel_assets.stores.media import LocalMediaStore, MediaStore
from dreamreel_assets.stores.requests import RequestStore
from dreamreel_assets.stores.sqlite import SqliteRequestStore


FIRESTORE_IDLE_POLL_S = 60


def data_dir() -> Path:
    """Local data (the SQLite store, local media, the Storage cache): DREAMREEL_DATA_DIR, else `out`.
    The API reads the same variable, so `dreamreel serve` points both sides at one place."""
    return Path(os.environ.get("DREAMREEL_DATA_DIR") or "out")


def _uses_firebase(backend: str) -> bool:
    chosen = os.environ.get("DREAMREEL_STORE", "sqlite") if backend == "auto" else backend
    return chosen in ("firestore", "firebase")


class FirebaseSettings(ConfigurableResource):
    firebase_project: str | None = None
    """Defaults to DREAMREEL_FIREBASE_PROJECT."""
    credentials_file: str | None = None
    """A service-account JSON file; unset: application default credentials (or the emulators)."""

    def project(self) -> str:
        project = self.firebase_project or os.environ.get("DREAMREEL_FIREBASE_PROJECT")
        if not project:
            raise ValueError("Firebase needs a project: set firebase_project or DREAMREEL_FIREBASE_PROJECT")
        return project


class RequestStoreResource(FirebaseSettings):
    backend: Literal["auto", "sqlite", "firestore"] = "auto"
    sqlite_path: str | None = None
    """Default: `requests.sqlite` in the data directory (DREAMREEL_DATA_DIR, else `out`)."""
    firestore_collection: str = "requests"
    idle_poll_seconds: int | None = None
    """How often the request sensor looks at an empty queue (it looks at once when the API on this
    machine queues work). Default: every tick on SQLite (free), every 60 s on Firestore (each look
    is a billed read: about 1,440 reads a day while idle)."""

    def idle_poll_s(self) -> float:
        if self.idle_poll_seconds is not None:
            return max(0, self.idle_poll_seconds)
        return FIRESTORE_IDLE_POLL_S if _uses_firebase(self.backend) else 0

    def store(self) -> RequestStore:
        if not _uses_firebase(self.backend):
            return SqliteRequestStore(Path(self.sqlite_path) if self.sqlite_path else data_dir() / "requests.sqlite")
        from firebase_admin import firestore

        from dreamreel_assets.stores.firebase_app import firebase_app
        from dreamreel_assets.stores.firestore import FirestoreRequestStore

        app = firebase_app(self.project(), credentials_file=self.credentials_file)
        return FirestoreRequestStore(firestore.client(app), collection=self.firestore_collection)


class MediaStoreResource(FirebaseSettings):
    backend: Literal["auto", "local", "firebase"] = "auto"
    root: str | None = None
    """Local store directory, and the cache of the Firebase one; films land in `films/<film_id>/`.
    Default: the data directory (DREAMREEL_DATA_DIR, else `out`)."""
    bucket: str | None = None
    """Firebase Storage bucket; defaults to DREAMREEL_FIREBASE_BUCKET, else `<project>.appspot.com`."""
    signed_url_seconds: int = 7 * 24 * 3600

    def root_dir(self) -> Path:
        return Path(self.root) if self.root else data_dir()

    def store(self) -> MediaStore:
        if not _uses_firebase(self.backend):
            return LocalMediaStore(self.root_dir())
        from firebase_admin import storage

        from dreamreel_assets.stores.firebase_app import firebase_app
        from dreamreel_assets.stores.firebase_storage import FirebaseMediaStore

        name = self.bucket or os.environ.get("DREAMREEL_FIREBASE_BUCKET") or f"{self.project()}.appspot.com"
        app = firebase_app(self.project(), credentials_file=self.credentials_file, bucket=name)
        return FirebaseMediaStore(storage.bucket(name, app=app), self.root_dir(),
                                  signed_url_seconds=self.signed_url_seconds)
