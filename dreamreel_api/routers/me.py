"""What the API keeps about the person signed in, and deleting all of it."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from dreamreel_api.deps import SettingsDep, StoresDep, UserDep
from dreamreel_api.removal import delete_films
from dreamreel_api.schemas import DataDeleted

router = APIRouter(prefix="/api/me", tags=["me"])


@router.delete("", response_model=DataDeleted)
def delete_my_data(user: UserDep, stores: StoresDep, settings: SettingsDep, background: BackgroundTasks) -> DataDeleted:
    """Delete every film I asked for (requests, media, gallery entries); films being made are
    stopped first by the pipeline. The sign-in account itself is Firebase's: the web app deletes it."""
    deleted = stores.requests.delete_user(user.uid)
    delete_films(stores, deleted, background, settings.data_dir)
    return DataDeleted(films_deleted=len(deleted))
