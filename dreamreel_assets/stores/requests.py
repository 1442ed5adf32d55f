"""The queue between the web side and the pipeline: one document per film request."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from dreamreel_assets.models import FilmRequest

Status = Literal["queued", "running", "done", "failed"]


class StageProgress(BaseModel):
    done: int = 0
    total: int = 0
    note: str = ""


class RequestRecord(BaseModel):
    id: str
    user_id: str
    request: FilmRequest
    status: Status
    progress: dict[str, StageProgress] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
    result: dict[str, str] = Field(default_factory=dict)
    error: str | None = None


class RequestStore(Protocol):
    def create(self, film_id: str, request: FilmRequest, user_id: str = "local") -> RequestRecord: ...

    def get(self, film_id: str) -> RequestRecord | None: ...

    def set_status(
        self, film_id: str, status: Status, *, error: str | None = None,
        result: dict[str, str] | None = None,
    ) -> None: ...

    def report_progress(self, film_id: str, stage: str, done: int, total: int, note: str = "") -> None: ...


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SqliteRequestStore:
    """Requests in one SQLite file: the embedded default, safe across threads and processes."""

    _SCHEMA = """
    CREATE TABLE IF NOT EXISTS requests (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        request TEXT NOT NULL,
        status TEXT NOT NULL,
        progress TEXT NOT NULL DEFAULT '{}',
        result TEXT NOT NULL DEFAULT '{}',
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )"""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(self._SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def create(self, film_id: str, request: FilmRequest, user_id: str = "local") -> RequestRecord:
        now = _now().isoformat()
        with self._connect() as db:
            db.execute(
                "INSERT INTO requests (id, user_id, request, status, created_at, updated_at)"
                " VALUES (?, ?, ?, 'queued', ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET status='queued', progress='{}', error=NULL,"
                " updated_at=excluded.updated_at",
                (film_id, user_id, request.model_dump_json(), now, now),
            )
        record = self.get(film_id)
        assert record is not None
        return record

    def get(self, film_id: str) -> RequestRecord | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT id, user_id, request, status, progress, result, error, created_at, updated_at"
                " FROM requests WHERE id = ?",
                (film_id,),
            ).fetchone()
        if row is None:
            return None
        keys = ("id", "user_id", "request", "status", "progress", "result", "error", "created_at", "updated_at")
        doc = dict(zip(keys, row))
        for field in ("request", "progress", "result"):
            doc[field] = json.loads(doc[field])
        return RequestRecord.model_validate(doc)

    def set_status(self, film_id, status, *, error=None, result=None) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE requests SET status=?, error=?, result=COALESCE(?, result), updated_at=?"
                " WHERE id=?",
                (status, error, json.dumps(result) if result is not None else None,
                 _now().isoformat(), film_id),
            )

    def report_progress(self, film_id, stage, done, total, note="") -> None:
        entry = StageProgress(done=done, total=total, note=note).model_dump_json()
        with self._lock, self._connect() as db:
            db.execute(
                "UPDATE requests SET progress=json_set(progress, '$.' || ?, json(?)), updated_at=?"
                " WHERE id=?",
                (json.dumps(stage), entry, _now().isoformat(), film_id),
            )
