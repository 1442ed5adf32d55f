"""The queue between the web side and the pipeline: one document per film request.

The web app (or `dreamreel submit`) writes a document with the form as submitted; the sensor
claims queued documents exactly once and starts a run per claim; assets report progress into
the document; run-status sensors write the outcome back. The form is kept as it was sent, since
it may be bad: the sensor validates it and fails the request with a readable reason.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from dreamreel_assets.models import FilmRequest

Status = Literal["queued", "running", "done", "failed"]


class DuplicateRequest(ValueError):
    """A request with this id exists already."""


class StageProgress(BaseModel):
    done: int = 0
    total: int = 0
    note: str = ""


class RequestRecord(BaseModel):
    id: str
    user_id: str
    fields: dict[str, Any]
    """The form as submitted; `request` validates it."""
    status: Status
    progress: dict[str, StageProgress] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None = None
    run_id: str | None = None
    result: dict[str, str] = Field(default_factory=dict)
    error: str | None = None
    shared: bool = False
    """Shown in the public gallery (the owner chose to share it)."""

    @property
    def request(self) -> FilmRequest:
        return FilmRequest.model_validate(self.fields)


class RequestStore(Protocol):
    def submit(
        self, fields: dict[str, Any], user_id: str = "local", request_id: str | None = None,
        replace: bool = False,
    ) -> RequestRecord:
        """Queue a request (a new id unless given); DuplicateRequest if the id exists and not `replace`."""
        ...

    def get(self, request_id: str) -> RequestRecord | None: ...

    def claim_queued(self, limit: int) -> list[RequestRecord]:
        """Move up to `limit` queued requests, oldest first, to `running`: each is claimed once only,
        however many claimers run at once."""
        ...

    def unstarted_claims(self, older_than_s: float) -> list[RequestRecord]:
        """Requests claimed more than `older_than_s` ago whose run never started (a claimer died)."""
        ...

    def mark_started(self, request_id: str, run_id: str) -> None: ...

    def set_status(
        self, request_id: str, status: Status, *, error: str | None = None,
        result: dict[str, str] | None = None,
    ) -> None: ...

    def report_progress(self, request_id: str, stage: str, done: int, total: int, note: str = "") -> None: ...

    def list_for_user(self, user_id: str, limit: int = 50) -> list[RequestRecord]:
        """Up to `limit` requests of one user, newest first."""
        ...

    def set_shared(self, request_id: str, shared: bool) -> None:
        """Show the request in (or take it out of) the public gallery; an unknown id changes nothing."""
        ...

    def list_shared(self, limit: int = 50) -> list[RequestRecord]:
        """Up to `limit` shared requests of any user, newest first."""
        ...


def new_request_id() -> str:
    return uuid.uuid4().hex[:20]


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SqliteRequestStore:
    """Requests in one SQLite file: the embedded default, safe across threads and processes."""

    _SCHEMA = """
    CREATE TABLE IF NOT EXISTS requests (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        fields TEXT NOT NULL,
        status TEXT NOT NULL,
        progress TEXT NOT NULL DEFAULT '{}',
        result TEXT NOT NULL DEFAULT '{}',
        error TEXT,
        run_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        claimed_at TEXT,
        shared INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS requests_queue ON requests (status, created_at);
    """
    _INDEXES = """
    CREATE INDEX IF NOT EXISTS requests_by_user ON requests (user_id, created_at);
    CREATE INDEX IF NOT EXISTS requests_shared ON requests (shared, created_at);
    """
    _COLUMNS = ("id", "user_id", "fields", "status", "progress", "result", "error", "run_id",
                "created_at", "updated_at", "claimed_at", "shared")

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(self._SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(requests)")}
            if "shared" not in columns:  # a file from before sharing existed
                try:
                    db.execute("ALTER TABLE requests ADD COLUMN shared INTEGER NOT NULL DEFAULT 0")
                except sqlite3.OperationalError:  # another process added it first
                    pass
            db.executescript(self._INDEXES)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def submit(self, fields, user_id="local", request_id=None, replace=False) -> RequestRecord:
        request_id = request_id or new_request_id()
        now = _now().isoformat()
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        try:
            with self._connect() as db:
                db.execute(
                    f"{verb} INTO requests (id, user_id, fields, status, created_at, updated_at)"
                    " VALUES (?, ?, ?, 'queued', ?, ?)",
                    (request_id, user_id, json.dumps(fields, default=str), now, now),
                )
        except sqlite3.IntegrityError as error:
            raise DuplicateRequest(f"request {request_id!r} exists already") from error
        record = self.get(request_id)
        assert record is not None
        return record

    def get(self, request_id: str) -> RequestRecord | None:
        with self._connect() as db:
            row = db.execute(
                f"SELECT {', '.join(self._COLUMNS)} FROM requests WHERE id = ?", (request_id,)
            ).fetchone()
        return self._record(row) if row else None

    def claim_queued(self, limit: int) -> list[RequestRecord]:
        now = _now().isoformat()
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # one claimer at a time, across processes too
            rows = db.execute(
                f"SELECT {', '.join(self._COLUMNS)} FROM requests WHERE status = 'queued'"
                " ORDER BY created_at, id LIMIT ?", (limit,),
            ).fetchall()
            db.executemany(
                "UPDATE requests SET status = 'running', claimed_at = ?, updated_at = ? WHERE id = ?",
                [(now, now, row[0]) for row in rows],
            )
            db.execute("COMMIT")
        return [self._record(row).model_copy(update={"status": "running"}) for row in rows]

    def unstarted_claims(self, older_than_s: float) -> list[RequestRecord]:
        cutoff = (_now() - timedelta(seconds=older_than_s)).isoformat()
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {', '.join(self._COLUMNS)} FROM requests"
                " WHERE status = 'running' AND run_id IS NULL AND claimed_at < ?", (cutoff,),
            ).fetchall()
        return [self._record(row) for row in rows]

    def mark_started(self, request_id: str, run_id: str) -> None:
        self._update(request_id, "run_id = ?", run_id)

    def set_status(self, request_id, status, *, error=None, result=None) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE requests SET status=?, error=?, result=COALESCE(?, result), updated_at=?"
                " WHERE id=?",
                (status, error, json.dumps(result) if result is not None else None,
                 _now().isoformat(), request_id),
            )

    def report_progress(self, request_id, stage, done, total, note="") -> None:
        entry = StageProgress(done=done, total=total, note=note).model_dump_json()
        with self._lock, self._connect() as db:
            db.execute(
                "UPDATE requests SET progress=json_set(progress, '$.' || ?, json(?)), updated_at=?"
                " WHERE id=?",
                (json.dumps(stage), entry, _now().isoformat(), request_id),
            )

    def list_for_user(self, user_id: str, limit: int = 50) -> list[RequestRecord]:
        return self._newest("user_id = ?", (user_id,), limit)

    def set_shared(self, request_id: str, shared: bool) -> None:
        self._update(request_id, "shared = ?", 1 if shared else 0)

    def list_shared(self, limit: int = 50) -> list[RequestRecord]:
        return self._newest("shared = 1", (), limit)

    def _newest(self, condition: str, values: tuple, limit: int) -> list[RequestRecord]:
        if limit <= 0:
            return []
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {', '.join(self._COLUMNS)} FROM requests WHERE {condition}"
                " ORDER BY created_at DESC, rowid DESC LIMIT ?", (*values, limit),
            ).fetchall()
        return [self._record(row) for row in rows]

    def _update(self, request_id: str, assignment: str, value: object) -> None:
        with self._connect() as db:
            db.execute(f"UPDATE requests SET {assignment}, updated_at = ? WHERE id = ?",
                       (value, _now().isoformat(), request_id))

    def _record(self, row: tuple) -> RequestRecord:
        doc = dict(zip(self._COLUMNS, row))
        for field in ("fields", "progress", "result"):
            doc[field] = json.loads(doc[field])
        return RequestRecord.model_validate(doc)
