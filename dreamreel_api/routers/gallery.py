"""Films their owners chose to share: public, newest first, no user ids."""

from __future__ import annotations

from fastapi import APIRouter

from dreamreel_api.deps import SettingsDep, StoresDep
from dreamreel_api.schemas import Gallery, gallery_film

router = APIRouter(prefix="/api", tags=["gallery"])


@router.get("/gallery", response_model=Gallery)
def gallery(stores: StoresDep, settings: SettingsDep) -> Gallery:
    """Shared films that are finished (a shared film still being made appears once it is done)."""
    records = stores.requests.list_shared(limit=settings.page_size)
    return Gallery(films=[gallery_film(r) for r in records if r.status == "done"])
