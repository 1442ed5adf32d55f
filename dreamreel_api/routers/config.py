"""How the web client signs people in: read first, before anything else."""

from __future__ import annotations

from fastapi import APIRouter

from dreamreel_api.deps import SettingsDep
from dreamreel_api.schemas import Config

router = APIRouter(prefix="/api", tags=["config"])


@router.get("/config", response_model=Config)
def config(settings: SettingsDep) -> Config:
    """`local`: one user, no sign-in. `firebase`: the Firebase web config the client signs in with."""
    if settings.auth == "local":
        return Config(auth="local")
    return Config(auth="firebase", firebase={
        "apiKey": settings.firebase_web_api_key or "",
        "authDomain": settings.firebase_auth_domain or f"{settings.firebase_project}.firebaseapp.com",
        "projectId": settings.firebase_project or "",
    })
