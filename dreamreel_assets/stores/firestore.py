"""The request queue in Cloud Firestore: one document per film request.

Document `<collection>/<request id>` (written by the API and `dreamreel submit`; browsers never write
it, `firestore.rules` keeps them out; other tools with Admin access may, so this is its contract):

    user_id     string           who asked (missing: read as "unknown")
    request     map              the form fields as sent, validated later by the sensor
    status      string           "queued" | "running" | "done" | "failed"
    progress    map              stage -> {done: int, total: int, note: string}
    created_at  timestamp        queue order
    updated_at  timestamp
    claimed_at  timestamp|null   when a sensor claimed it
    run_id      string|null      the Dagster run making the film
    result      map              name -> media key, once done
    error       string|null      why it failed, in words for the person who asked
    shared      boolean          shown in the public gallery (missing: false)
    fixes       array of maps    parts redone: {id, stage, scene, shot, note, status, error, created_at}
    versions    array of maps    final cuts, oldest first: {number, status ("checking" | "passed" |
                                 "failed"), created_at, duration_s, failed_checks, reason}; the
                                 newest passed one is what people see (missing: none, an older film)

Deleting a request removes its document and, in the same commit, writes `<collection>_deleted/<id>`
({deleted_at}): the mark the pipeline's clean-up sensor follows to cancel the film's run and remove
its media, then deletes.

A new request needs `status: "queued"` and `created_at`; every other field is optional. Reading is
defensive: a document written by anyone never makes the store fail (a bad `request` reads as `{}`
and the sensor refuses it with a reason; an unknown status reads as "failed").

Claims: a claimer sets queued requests running in one commit whose every write has the
precondition "unchanged since I read it as queued" (its update time). A commit is all or nothing,
so when another claimer (or the web app) changed one of them first, nothing is written; the
claimer reads them again and claims the unchanged ones one by one. Each request is claimed once,
however many claimers run, and never from a stale read.

Composite indexes (`firestore.indexes.json`, deployed with `firebase deploy --only firestore`):

    status ASC, created_at ASC     claim_queued
    status ASC, claimed_at ASC     unstarted_claims
    user_id ASC, created_at DESC   list_for_user
    shared ASC, created_at DESC    list_shared

Documents without `created_at` are left out of `list_for_user` and `list_shared` (Firestore leaves
them out of any query ordered by it); the API and `submit` always write it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, get_args

from google.api_core import exceptions
from google.cloud.firestore_v1 import (
    ArrayUnion,
    Client,
    DocumentSnapshot,
    FieldFilter,
    Transaction,
    transactional,
)
from google.cloud.firestore_v1.field_path import FieldPath
from pydantic import ValidationError

from dreamreel_assets.models import FixRequest
from dreamreel_assets.stores.requests import (
    ACTIVE,
    CutVersion,
    DuplicateRequest,
    PageMark,
    FilmBusy,
    FixRecord,
    QueueEstimate,
    RequestRecord,
    StageProgress,
    Status,
    busy_reason,
    new_fix,
    new_request_id,
    with_version,
)

CLAIMS_PER_COMMIT = 500
"""Firestore's limit of writes per commit."""
STATUSES = set(get_args(Status))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _queue_order(snapshot: DocumentSnapshot) -> tuple[int, datetime, str]:
    created = (snapshot.to_dict() or {}).get("created_at")
    if isinstance(created, datetime):
        return (0, created, snapshot.id)
    return (1, datetime.min.replace(tzinfo=timezone.utc), snapshot.id)


class FirestoreRequestStore:
    """Requests as documents of one Firestore collection (see the module docstring for the layout)."""

    def __init__(self, client: Client, collection: str = "requests"):
        self.client = client
        self.collection = client.collection(collection)
        self.deleted = client.collection(f"{collection}_deleted")

    def submit(self, fields, user_id="local", request_id=None, replace=False) -> RequestRecord:
        request_id = request_id or new_request_id()
        if not _is_document_id(request_id):
            raise ValueError(f"not a Firestore document id: {request_id!r}")
        ref = self.collection.document(request_id)
        now = _now()
        document = {
            "user_id": user_id,
            "request": json.loads(json.dumps(fields, default=str)),  # as the SQLite store keeps it
            "status": "queued", "progress": {}, "result": {}, "error": None, "run_id": None,
            "created_at": now, "updated_at": now, "claimed_at": None, "shared": False,
        }
        if replace:
            ref.set(document)
        else:
            try:
                ref.create(document)
            except exceptions.AlreadyExists as error:
                raise DuplicateRequest(f"request {ref.id!r} exists already") from error
        return _record(ref.id, document, now, now)

    def get(self, request_id: str) -> RequestRecord | None:
        if not _is_document_id(request_id):
            return None
        snapshot = self.collection.document(request_id).get()
        return _from_snapshot(snapshot) if snapshot.exists else None

    def claim_queued(self, limit: int) -> list[RequestRecord]:
        if limit <= 0:
            return []
        now = _now()
        snapshots = self._queued(limit)
        won: list[DocumentSnapshot] = []
        for start in range(0, len(snapshots), CLAIMS_PER_COMMIT):
            won += self._claim(snapshots[start:start + CLAIMS_PER_COMMIT], now)
        return [
            _from_snapshot(s).model_copy(update={"status": "running", "claimed_at": now, "updated_at": now})
            for s in won
        ]

    def unstarted_claims(self, older_than_s: float) -> list[RequestRecord]:
        cutoff = _now() - timedelta(seconds=older_than_s)
        query = (self.collection.where(filter=FieldFilter("status", "==", "running"))
                 .where(filter=FieldFilter("claimed_at", "<", cutoff)))
        records = [_from_snapshot(snapshot) for snapshot in query.stream()]
        return [record for record in records if record.run_id is None]

    def mark_started(self, request_id: str, run_id: str) -> None:
        self._update(request_id, {"run_id": run_id})

    def set_status(self, request_id, status, *, error=None, result=None) -> None:
        changes: dict[str, Any] = {"status": status, "error": error}
        if result is not None:
            changes["result"] = result
        if status in ("done", "failed"):
            changes["queue"] = None
        self._update(request_id, changes)

    def set_queue(self, request_id: str, estimate: QueueEstimate | None) -> None:
        self._update(request_id, {"queue": estimate.model_dump() if estimate else None})

    def report_progress(self, request_id, stage, done, total, note="") -> None:
        entry = StageProgress(done=done, total=total, note=note).model_dump()
        # A field path: each stage replaces only its own entry of the progress map.
        self._update(request_id, {FieldPath("progress", stage).to_api_repr(): entry})

    def list_for_user(self, user_id: str, limit: int = 50, after: PageMark | None = None) -> list[RequestRecord]:
        return self._newest(FieldFilter("user_id", "==", user_id), limit, after)

    def count_active(self, user_id: str) -> int:
        query = (self.collection.where(filter=FieldFilter("user_id", "==", user_id))
                 .where(filter=FieldFilter("status", "in", list(ACTIVE))))
        [[counted]] = query.count().get()
        return int(counted.value)

    def set_shared(self, request_id: str, shared: bool) -> None:
        self._update(request_id, {"shared": bool(shared)})

    def list_shared(self, limit: int = 50, after: PageMark | None = None) -> list[RequestRecord]:
        return self._newest(FieldFilter("shared", "==", True), limit, after)

    def request_fix(self, request_id: str, fix: FixRequest, claim: bool = False) -> FixRecord:
        if not _is_document_id(request_id):
            raise FilmBusy(busy_reason(None))
        made = new_fix(fix).model_copy(update={"status": "running" if claim else "queued"})
        ref = self.collection.document(request_id)

        @transactional
        def queue(transaction: Transaction) -> None:
            snapshot = ref.get(transaction=transaction)
            data = (snapshot.to_dict() or {}) if snapshot.exists else {}
            if data.get("status") != "done":
                raise FilmBusy(busy_reason(data.get("status") if snapshot.exists else None))
            fixes = [*_list(data.get("fixes")), made.model_dump()]
            now = _now()
            transaction.update(ref, {"status": "running" if claim else "queued", "fixes": fixes, "error": None,
                                     "run_id": None, "claimed_at": now if claim else None, "updated_at": now})

        queue(self.client.transaction())
        return made

    def record_fix(self, request_id: str, fix: FixRecord) -> None:
        self._update(request_id, {"fixes": ArrayUnion([fix.model_dump()])})

    def set_fix_status(self, request_id, fix_id, status, error=None) -> None:
        if not _is_document_id(request_id):
            return
        ref = self.collection.document(request_id)

        @transactional
        def update(transaction: Transaction) -> None:
            snapshot = ref.get(transaction=transaction)
            if not snapshot.exists:
                return
            fixes = [{**f, "status": status, "error": error} if f.get("id") == fix_id else f
                     for f in _list((snapshot.to_dict() or {}).get("fixes"))]
            transaction.update(ref, {"fixes": fixes, "updated_at": _now()})

        update(self.client.transaction())

    def running(self) -> list[RequestRecord]:
        query = self.collection.where(filter=FieldFilter("status", "==", "running"))
        return [_from_snapshot(snapshot) for snapshot in query.stream()]

    def delete(self, request_id: str) -> bool:
        if not _is_document_id(request_id):
            return False
        return bool(self._delete([self.collection.document(request_id).get()]))

    def delete_user(self, user_id: str) -> list[str]:
        query = self.collection.where(filter=FieldFilter("user_id", "==", user_id))
        return self._delete(list(query.stream()))

    def deletions(self, limit: int = 100) -> list[str]:
        query = self.deleted.order_by("deleted_at").limit(limit)
        return [snapshot.id for snapshot in query.stream()]

    def forget_deletion(self, request_id: str) -> None:
        if _is_document_id(request_id):
            self.deleted.document(request_id).delete()

    def _delete(self, snapshots: list[DocumentSnapshot]) -> list[str]:
        """Each request goes with its deletion mark written in the same commit."""
        found = [snapshot for snapshot in snapshots if snapshot.exists]
        now = _now()
        for start in range(0, len(found), CLAIMS_PER_COMMIT // 2):
            batch = self.client.batch()
            for snapshot in found[start:start + CLAIMS_PER_COMMIT // 2]:
                batch.set(self.deleted.document(snapshot.id), {"deleted_at": now})
                batch.delete(snapshot.reference)
            batch.commit()
        return [snapshot.id for snapshot in found]

    def _newest(self, condition: FieldFilter, limit: int, after: PageMark | None = None) -> list[RequestRecord]:
        if limit <= 0:
            return []
        query = self.collection.where(filter=condition)
        extra = 0
        if after is not None:
            # From the mark on (a filter, not a cursor: served by the same index), skipping the
            # mark itself and any request made in the same microsecond that came before it.
            query = query.where(filter=FieldFilter("created_at", "<=", after.created_at))
            extra = PAGE_TIES
        query = (query.order_by("created_at", direction="DESCENDING")
                 .order_by(FieldPath.document_id(), direction="DESCENDING").limit(limit + extra))
        records = [_from_snapshot(snapshot) for snapshot in query.stream()]
        if after is not None:
            records = [r for r in records if r.created_at < after.created_at or r.id < after.id]
        return records[:limit]

    def _update(self, request_id: str, changes: dict[str, Any]) -> None:
        """Update an existing request; like the SQLite store, an unknown id changes nothing."""
        if not _is_document_id(request_id):
            return
        try:
            self.collection.document(request_id).update({**changes, "updated_at": _now()})
        except exceptions.NotFound:
            pass

    def _queued(self, limit: int) -> list[DocumentSnapshot]:
        """Up to `limit` queued requests, oldest first (any without `created_at` last). One query,
        one billed read while the queue is empty; only a backlog of `limit` or more needs the
        ordered query (which leaves out documents without `created_at`) to find the oldest."""
        queued = self.collection.where(filter=FieldFilter("status", "==", "queued"))
        found = list(queued.limit(limit).stream())
        if len(found) < limit:
            return sorted(found, key=_queue_order)
        return list(queued.order_by("created_at").limit(limit).stream())

    def _claim(self, snapshots: list[DocumentSnapshot], now: datetime) -> list[DocumentSnapshot]:
        """All in one commit. When another claimer changed some first, the commit writes nothing:
        read them again and claim those still unchanged one by one."""
        if self._commit_claims(snapshots, now):
            return snapshots
        current = {s.id: s.update_time for s in self.client.get_all([s.reference for s in snapshots])}
        unchanged = [s for s in snapshots if current.get(s.id) == s.update_time]
        return [snapshot for snapshot in unchanged if self._commit_claims([snapshot], now)]

    def _commit_claims(self, snapshots: list[DocumentSnapshot], now: datetime) -> bool:
        batch = self.client.batch()
        for snapshot in snapshots:
            # Only if unchanged since it was read as queued: this makes each claim happen once.
            unchanged = self.client.write_option(last_update_time=snapshot.update_time)
            batch.update(snapshot.reference, {"status": "running", "claimed_at": now, "updated_at": now},
                         option=unchanged)
        try:
            batch.commit()
            return True
        except (exceptions.FailedPrecondition, exceptions.NotFound, exceptions.Conflict):
            return False

    def save_version(self, request_id: str, version: CutVersion, result: dict[str, str] | None = None) -> None:
        if not _is_document_id(request_id):
            return
        ref = self.collection.document(request_id)

        @transactional
        def save(transaction: Transaction) -> None:  # checks report failures from parallel steps
            snapshot = ref.get(transaction=transaction)
            if not snapshot.exists:
                return
            versions = with_version(_versions((snapshot.to_dict() or {}).get("versions")), version)
            changes: dict[str, Any] = {"versions": [v.model_dump() for v in versions], "updated_at": _now()}
            if result is not None:
                changes["result"] = result
            transaction.update(ref, changes)

        save(self.client.transaction())

    def all_ids(self) -> list[str]:
        names_only = self.collection.select([FieldPath.document_id()])  # no fields read, only ids
        return [snapshot.id for snapshot in names_only.stream()]


def _is_document_id(request_id: str) -> bool:
    reserved = request_id.startswith("__") and request_id.endswith("__")
    return bool(request_id) and "/" not in request_id and request_id not in (".", "..") and not reserved


PAGE_TIES = 8
"""Requests read beyond a page after a mark: those of the mark's own instant, seen already."""


def _from_snapshot(snapshot: DocumentSnapshot) -> RequestRecord:
    return _record(snapshot.id, snapshot.to_dict() or {}, snapshot.create_time, snapshot.update_time)


def _record(request_id: str, data: dict[str, Any], created: datetime, updated: datetime) -> RequestRecord:
    """A record from whatever the document holds: never fails on a malformed document."""
    status = data.get("status")
    error = _text(data.get("error"))
    if status not in STATUSES:
        status, error = "failed", error or f"unknown status {status!r}"
    return RequestRecord(
        id=request_id,
        user_id=_text(data.get("user_id")) or "unknown",
        fields=_map(data.get("request")),
        status=status,
        progress=_progress(data.get("progress")),
        created_at=_time(data.get("created_at")) or created,
        updated_at=_time(data.get("updated_at")) or updated,
        claimed_at=_time(data.get("claimed_at")),
        run_id=_text(data.get("run_id")),
        result={key: str(value) for key, value in _map(data.get("result")).items()},
        error=error,
        shared=data.get("shared") is True,
        fixes=_fixes(data.get("fixes")),
        queue=_queue(data.get("queue")),
        versions=_versions(data.get("versions")),
    )


def _map(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _fixes(value: object) -> list[FixRecord]:
    fixes = []
    for entry in _list(value):
        try:
            fixes.append(FixRecord.model_validate(entry))
        except ValidationError:
            continue
    return fixes


def _versions(value: object) -> list[CutVersion]:
    versions = []
    for entry in _list(value):
        try:
            versions.append(CutVersion.model_validate(entry))
        except ValidationError:
            continue
    return sorted(versions, key=lambda v: v.number)


def _queue(value: object) -> QueueEstimate | None:
    try:
        return QueueEstimate.model_validate(value) if isinstance(value, dict) else None
    except ValidationError:
        return None


def _time(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _progress(value: object) -> dict[str, StageProgress]:
    progress = {}
    for stage, entry in _map(value).items():
        try:
            progress[stage] = StageProgress.model_validate(entry)
        except ValidationError:
            continue
    return progress
