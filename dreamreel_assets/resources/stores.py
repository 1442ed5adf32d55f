"""Store resources: where requests are queued and where media is kept."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from dreamreel_assets.stores.media import LocalMediaStore, MediaStore
from dreamreel_assets.stores.requests import RequestStore, SqliteRequestStore


class MediaStoreResource(ConfigurableResource):
    root: str = "out"
    """Directory of the local media store; films land in `<root>/films/<film_id>/`."""

    def store(self) -> MediaStore:
        return LocalMediaStore(Path(self.root))


class RequestStoreResource(ConfigurableResource):
    sqlite_path: str = "out/requests.sqlite"

    def store(self) -> RequestStore:
        return SqliteRequestStore(Path(self.sqlite_path))
