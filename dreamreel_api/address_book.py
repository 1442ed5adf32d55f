"""Where the hosted web app finds the API: one public, read-only Firestore document.

The API's public address changes whenever an ngrok tunnel without a reserved domain reopens. The
web app hosted on Firebase Hosting reads this document at start (through Firestore's REST API, with
the project's public web API key), so a new address needs no rebuild and no redeploy. The document:

    public/api   url         string|null  the API's public base URL (null while it is offline)
                 online      boolean
                 updated_at  timestamp

`firestore.rules` lets anyone read it and nobody write it: only this server, with the Admin SDK,
writes it.
"""

from __future__ import annotations

from typing import Protocol

PUBLIC_API_DOCUMENT = ("public", "api")


class AddressBook(Protocol):
    where: str
    """Where the address goes, in words."""

    def publish(self, url: str) -> None: ...

    def withdraw(self) -> None: ...


class FirestoreAddressBook:
    """The `public/api` document of the configured Firebase project."""

    def __init__(self, client):
        self.document = client.collection(PUBLIC_API_DOCUMENT[0]).document(PUBLIC_API_DOCUMENT[1])
        self.where = f"Firestore document {'/'.join(PUBLIC_API_DOCUMENT)} of project {client.project}"

    def publish(self, url: str) -> None:
        from google.cloud.firestore_v1 import SERVER_TIMESTAMP

        self.document.set({"url": url, "online": True, "updated_at": SERVER_TIMESTAMP})

    def withdraw(self) -> None:
        from google.cloud.firestore_v1 import SERVER_TIMESTAMP

        self.document.set({"url": None, "online": False, "updated_at": SERVER_TIMESTAMP})


class NoAddressBook:
    """Nothing to publish to (no Firebase project): the address is only printed."""

    where = "nowhere (no DREAMREEL_FIREBASE_PROJECT): give the web app the URL yourself"

    def publish(self, url: str) -> None:
        pass

    def withdraw(self) -> None:
        pass


def address_book(settings) -> AddressBook:
    """The Firestore document when the settings name a Firebase project, else nothing."""
    if not settings.firebase_project:
        return NoAddressBook()
    try:
        from firebase_admin import firestore
    except ImportError:
        raise ValueError("publishing the address needs firebase-admin: pip install -e '.[firebase]'") from None

    from dreamreel_assets.stores.firebase_app import firebase_app

    app = firebase_app(settings.firebase_project, credentials_file=settings.firebase_credentials, name="dreamreel-tunnel")
    return FirestoreAddressBook(firestore.client(app))
