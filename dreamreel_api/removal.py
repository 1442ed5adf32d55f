"""Deleting films: the request goes at once; its media go after the answer.

The pipeline's `deleted_films` sensor follows each deletion mark: it stops a film still being made
and removes what its run wrote meanwhile. Removing the media here too means a deleted film's files
are gone within seconds even when the sensor looks late (or the daemon is down)."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import BackgroundTasks

from dreamreel_api.deps import Stores
from dreamreel_assets.stores.nudge import nudge

log = logging.getLogger("dreamreel_api")


def delete_films(stores: Stores, film_ids: list[str], background: BackgroundTasks, data_dir: Path) -> None:
    """After the store deleted them: forget cached answers, wake the clean-up sensor on this machine
    and remove their files after the response."""
    nudge(data_dir)
    stores.forget("gallery")
    for film_id in film_ids:
        stores.forget_film(film_id)
    if film_ids:
        background.add_task(remove_media, stores, film_ids)


def remove_media(stores: Stores, film_ids: list[str]) -> None:
    for film_id in film_ids:
        try:
            stores.media.remove(f"films/{film_id}/")
        except Exception as error:  # noqa: BLE001 (the sensor removes them on its next look)
            log.warning("cannot remove the files of deleted film %s yet: %s", film_id, error)
