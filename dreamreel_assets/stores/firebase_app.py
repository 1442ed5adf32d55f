"""One firebase-admin app per process, shared by the Firestore and Storage stores.

Against the emulators (FIRESTORE_EMULATOR_HOST or STORAGE_EMULATOR_HOST set) no credentials are
needed; otherwise a service-account JSON file when given, else application default credentials.
"""

from __future__ import annotations

import os

import firebase_admin
from firebase_admin import credentials
from google.auth.credentials import AnonymousCredentials

EMULATOR_VARIABLES = ("FIRESTORE_EMULATOR_HOST", "STORAGE_EMULATOR_HOST")


class EmulatorCredentials(credentials.Base):
    """No credentials at all: the emulators accept anonymous calls."""

    def get_credential(self):
        return AnonymousCredentials()


def using_emulators() -> bool:
    return any(os.environ.get(variable) for variable in EMULATOR_VARIABLES)


def firebase_app(
    project_id: str, *, credentials_file: str | None = None, bucket: str | None = None,
    name: str = "dreamreel",
) -> firebase_admin.App:
    """The app called `name`, initialised on first use for `project_id` (and `bucket`). Against the
    emulators it is another app than without them: an app keeps the credentials it was made with."""
    if using_emulators():
        name = f"{name}-emulators"
    try:
        app = firebase_admin.get_app(name)
    except ValueError:
        options = _options(project_id, bucket)
        return firebase_admin.initialize_app(_credential(credentials_file), options, name)
    if app.project_id != project_id:
        raise ValueError(f"Firebase app {name!r} is for project {app.project_id!r}, not {project_id!r}")
    return app


def _credential(credentials_file: str | None) -> credentials.Base:
    if using_emulators():
        return EmulatorCredentials()
    if credentials_file:
        return credentials.Certificate(credentials_file)
    return credentials.ApplicationDefault()


def _options(project_id: str, bucket: str | None) -> dict[str, str]:
    options = {"projectId": project_id}
    if bucket:
        options["storageBucket"] = bucket
    return options
