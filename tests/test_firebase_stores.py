"""What only the Firebase stores have to get right: documents written by others, claiming in bulk,
objects in a bucket and signed URLs. The shared contract is in test_request_store/test_media_store."""

import json
import threading
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlparse

import firebase_admin
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from firebase_admin import storage
from google.cloud.firestore_v1 import FieldFilter
from pydantic import ValidationError

from dreamreel_assets.models import MediaRef
from dreamreel_assets.stores.firebase_app import firebase_app
from dreamreel_assets.stores.firebase_storage import FirebaseMediaStore

GOOD = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def now() -> datetime:
    return datetime.now(timezone.utc)


def write(store, request_id: str, document: dict) -> None:
    """As the web app (or anyone with write access) would: straight into the collection."""
    store.collection.document(request_id).set(document)


def queue(store, count: int) -> set[str]:
    ids = [f"bulk-{n:04d}" for n in range(count)]
    for start in range(0, count, 500):
        batch = store.client.batch()
        for request_id in ids[start:start + 500]:
            batch.set(store.collection.document(request_id),
                      {"user_id": "bulk", "request": GOOD, "status": "queued", "created_at": now()})
        batch.commit()
    return set(ids)


def test_hostile_documents_are_read_and_claimed(firestore_request_store):
    store = firestore_request_store
    write(store, "no-request", {"status": "queued", "created_at": now(), "user_id": "eve"})
    write(store, "string-request", {
        "status": "queued", "created_at": "yesterday", "request": "genre=mystery", "progress": "lots",
        "result": ["x"], "user_id": 42, "claimed_at": "soon",
    })
    write(store, "huge-theme", {
        "status": "queued", "created_at": now(), "request": {**GOOD, "theme": "x" * 900_000},
        "progress": {"keyframes": {"done": "many"}, "clips": {"done": 1, "total": 2}},
    })
    write(store, "no-created-at", {"status": "queued", "request": GOOD})
    write(store, "odd-status", {"status": "cancelled", "created_at": "yesterday"})

    assert store.get("no-request").fields == {} and store.get("no-request").user_id == "eve"
    odd = store.get("string-request")
    assert odd.fields == {} and odd.user_id == "unknown" and odd.progress == {} and odd.result == {}
    assert odd.claimed_at is None
    assert set(store.get("huge-theme").progress) == {"clips"}
    assert store.get("no-created-at").created_at is not None
    assert store.get("odd-status").status == "failed" and "cancelled" in store.get("odd-status").error

    claimed = store.claim_queued(limit=10)
    by_id = {record.id: record for record in claimed}
    assert len(claimed) == 4 and set(by_id) == {"no-request", "string-request", "huge-theme", "no-created-at"}
    assert list(by_id).index("no-request") < list(by_id).index("huge-theme")  # both dated: oldest first
    for request_id in ("no-request", "string-request", "huge-theme"):
        with pytest.raises(ValidationError):
            _ = by_id[request_id].request  # the sensor turns this into a reason the person can read
    assert by_id["no-created-at"].request.genre == "mystery"
    assert store.claim_queued(limit=10) == []


def test_a_thousand_queued_requests_are_claimed_once(firestore_request_store):
    store = firestore_request_store
    ids = queue(store, 1000)
    started = time.perf_counter()
    claimed = store.claim_queued(limit=1000)
    seconds = time.perf_counter() - started
    print(f"\nclaimed {len(claimed)} queued requests in {seconds:.2f} s")
    assert sorted(r.id for r in claimed) == sorted(ids)
    assert store.claim_queued(limit=1000) == []
    running = store.collection.where(filter=FieldFilter("status", "==", "running")).count().get()[0][0].value
    assert running == 1000


def test_bulk_claimers_share_a_thousand_requests_exactly_once(firestore_request_store):
    store = firestore_request_store
    ids = queue(store, 1000)
    results: list[list[str]] = []

    def claimer():
        mine = []
        while batch := store.claim_queued(limit=300):
            mine += [r.id for r in batch]
        results.append(mine)

    threads = [threading.Thread(target=claimer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for mine in results for i in mine]
    assert len(everything) == len(set(everything)) and set(everything) == ids


def test_a_claimer_that_lost_some_requests_claims_the_rest(firestore_request_store):
    """Its commit fails as a whole on the request claimed by another; the others are claimed one by one."""
    store = firestore_request_store
    ids = [store.submit(GOOD).id for _ in range(4)]
    seen = store._queued(limit=4)
    assert [s.id for s in store._claim([seen[2]], now())] == [ids[2]]
    won = store._claim(seen, now())
    assert [s.id for s in won] == [ids[0], ids[1], ids[3]]
    assert store.claim_queued(limit=4) == []


def test_a_request_changed_since_it_was_read_is_not_claimed_from_the_stale_read(firestore_request_store):
    store = firestore_request_store
    record = store.submit(GOOD)
    seen = store._queued(limit=1)
    store.collection.document(record.id).update({"request.minutes": 7})  # the person edits it
    assert store._claim(seen, now()) == []
    assert [r.fields["minutes"] for r in store.claim_queued(limit=1)] == [7]


def test_requeued_request_is_claimed_again(firestore_request_store):
    store = firestore_request_store
    store.submit(GOOD, request_id="again")
    assert [r.id for r in store.claim_queued(limit=5)] == ["again"]
    store.submit(GOOD, request_id="again", replace=True)
    assert [r.id for r in store.claim_queued(limit=5)] == ["again"]


def test_running_without_a_claim_is_not_an_orphan(firestore_request_store):
    """`dreamreel make` sets its request running directly: there is no claim to recover."""
    store = firestore_request_store
    record = store.submit(GOOD)
    store.set_status(record.id, "running")
    assert store.unstarted_claims(older_than_s=0) == []


def test_progress_stages_with_odd_names_stay_apart(firestore_request_store):
    store = firestore_request_store
    record = store.submit(GOOD)
    store.report_progress(record.id, "keyframes.v2", 1, 2)
    store.report_progress(record.id, "clips", 3, 4)
    progress = store.get(record.id).progress
    assert {stage: entry.done for stage, entry in progress.items()} == {"keyframes.v2": 1, "clips": 3}


def test_unknown_ids_change_nothing(firestore_request_store):
    store = firestore_request_store
    store.set_status("no-such-request", "done")
    store.report_progress("no-such-request", "clips", 1, 2)
    assert store.get("no-such-request") is None and store.get("a/b") is None
    with pytest.raises(ValueError):
        store.submit(GOOD, request_id="a/b")


def test_objects_carry_their_hash_and_content_type(firebase_media_store):
    store = firebase_media_store
    store.writable_path("films/f3/film.mp4").write_bytes(b"film")
    ref = store.commit("films/f3/film.mp4")
    blob = store.bucket.get_blob(f"{store.prefix}/films/f3/film.mp4")
    assert blob.metadata == {"sha256": ref.sha256} and blob.content_type == "video/mp4"


def test_local_path_downloads_missing_or_stale_copies(firebase_media_store, tmp_path):
    store = firebase_media_store
    store.writable_path("films/f4/voice.wav").write_bytes(b"voice")
    ref = store.commit("films/f4/voice.wav")
    fresh = FirebaseMediaStore(store.bucket, tmp_path / "other-cache", prefix=store.prefix)
    assert fresh.local_path(ref).read_bytes() == b"voice"
    store.local_path(ref).write_bytes(b"stale")
    assert store.local_path(ref).read_bytes() == b"voice"
    with pytest.raises(FileNotFoundError):
        store.local_path(MediaRef(key="films/f4/none.wav", sha256="0" * 64))


def test_objects_not_committed_by_the_store_are_not_reused(firebase_media_store):
    store = firebase_media_store
    store.bucket.blob(f"{store.prefix}/films/f5/clip.mp4").upload_from_string(b"from elsewhere")
    assert store.existing("films/f5/clip.mp4") is None


@pytest.fixture
def service_account_file(tmp_path):
    """A service-account key made here: enough to sign URLs, which needs no server."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    info = {
        "type": "service_account", "project_id": "demo-signing", "private_key_id": "local-test-key",
        "private_key": pem, "client_email": "media@demo-signing.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info))
    return path


def test_urls_are_v4_signed_with_a_service_account(service_account_file, tmp_path, monkeypatch):
    for variable in ("FIRESTORE_EMULATOR_HOST", "STORAGE_EMULATOR_HOST"):
        monkeypatch.delenv(variable, raising=False)
    app = firebase_app("demo-signing", credentials_file=str(service_account_file),
                       bucket="demo-signing.appspot.com", name=f"signing-{uuid.uuid4().hex}")
    try:
        store = FirebaseMediaStore(storage.bucket(app=app), tmp_path / "cache", signed_url_seconds=600)
        url = urlparse(store.url(MediaRef(key="films/f1/film.mp4", sha256="0" * 64)))
    finally:
        firebase_admin.delete_app(app)
    query = parse_qs(url.query)
    assert url.path == "/demo-signing.appspot.com/films/f1/film.mp4"
    assert query["X-Goog-Algorithm"] == ["GOOG4-RSA-SHA256"] and query["X-Goog-Expires"] == ["600"]
    assert query["X-Goog-Credential"][0].startswith("media@demo-signing.iam.gserviceaccount.com/")
    assert len(query["X-Goog-Signature"][0]) == 512  # hex of a 2048-bit RSA signature


def test_the_app_is_shared_by_name_and_project(firestore_emulator):
    app = firebase_app("demo-shared", name="shared-test")
    try:
        assert firebase_app("demo-shared", name="shared-test") is app
        with pytest.raises(ValueError):
            firebase_app("demo-other", name="shared-test")
    finally:
        firebase_admin.delete_app(app)


def test_versions_written_by_anyone_are_read_defensively(firestore_request_store):
    store = firestore_request_store
    write(store, "odd-versions", {"status": "done", "created_at": now(), "versions": [
        {"number": 2, "status": "passed", "created_at": now()}, {"number": "two"}, "v3",
        {"number": 1, "status": "failed", "created_at": now(), "failed_checks": ["no_clipping"]},
        {"number": 4, "status": "lost", "created_at": now()},
    ]})
    write(store, "versions-not-a-list", {"status": "done", "created_at": now(), "versions": {"1": "passed"}})
    record = store.get("odd-versions")
    assert [(v.number, v.status) for v in record.versions] == [(1, "failed"), (2, "passed")]
    assert record.playing_version.number == 2
    assert store.get("versions-not-a-list").versions == []
