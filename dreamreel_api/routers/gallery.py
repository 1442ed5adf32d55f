"""Films their owners chose to share: public, newest first, no user ids."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from dreamreel_api.deps import Cursor, SettingsDep, StoresDep, next_cursor, page_mark
from dreamreel_api.schemas import Gallery, as_json, gallery_film

router = APIRouter(prefix="/api", tags=["gallery"])

FRESH_S = 2.0
"""The gallery is the same for everyone: it is built at most this often (sharing or unsharing
through this API shows at once; a film the pipeline finishes shows within this long)."""


@router.get("/gallery", response_model=Gallery, responses={422: {"description": "Not a cursor this API gave"}})
def gallery(stores: StoresDep, settings: SettingsDep, cursor: Cursor = None) -> Response:
    """Shared films that are finished (a shared film still being made appears once it is done),
    newest first, a page at a time (`next_cursor` leads to the next)."""
    after = page_mark(cursor)

    def build() -> Response:
        records = stores.requests.list_shared(limit=settings.page_size, after=after)
        films = Gallery(films=[gallery_film(r) for r in records if r.status == "done"],
                        next_cursor=next_cursor(records, settings.page_size))
        return as_json(films, headers={"Cache-Control": f"public, max-age={FRESH_S:.0f}"})

    return stores.remembered(f"gallery:{cursor or ''}", FRESH_S, build)
