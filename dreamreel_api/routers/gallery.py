"""Films their owners chose to share: public, newest first, no user ids."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from dreamreel_api.deps import SettingsDep, StoresDep
from dreamreel_api.schemas import Gallery, as_json, gallery_film

router = APIRouter(prefix="/api", tags=["gallery"])

FRESH_S = 2.0
"""The gallery is the same for everyone: it is built at most this often (sharing or unsharing
through this API shows at once; a film the pipeline finishes shows within this long)."""


@router.get("/gallery", response_model=Gallery)
def gallery(stores: StoresDep, settings: SettingsDep) -> Response:
    """Shared films that are finished (a shared film still being made appears once it is done)."""

    def build() -> Response:
        records = stores.requests.list_shared(limit=settings.page_size)
        films = Gallery(films=[gallery_film(r) for r in records if r.status == "done"])
        return as_json(films, headers={"Cache-Control": f"public, max-age={FRESH_S:.0f}"})

    return stores.remembered("gallery", FRESH_S, build)
