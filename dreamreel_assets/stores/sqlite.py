"""`SqliteRequestStore`: the request store (see `dreamreel_assets.stores.requests`) in one SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta, timezone
from pathlib import Path

from dreamreel_assets.models import FixRequest
from dreamreel_assets.stores.requests import (
    ACTIVE,
    CutVersion,
    DuplicateRequest,
    FilmBusy,
    FixRecord,
    PageMark,
    QueueEstimate,
    RequestRecord,
    StageProgress,
    _now,
    busy_reason,
    new_fix,
    new_request_id,
    with_version,
)


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
        shared INTEGER NOT NULL DEFAULT 0,
        fixes TEXT NOT NULL DEFAULT '[]',
        queue TEXT,
        versions TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX IF NOT EXISTS requests_queue ON requests (status, created_at);
    CREATE TABLE IF NOT EXISTS deletions (id TEXT PRIMARY KEY, deleted_at TEXT NOT NULL);
    """
    _INDEXES = """
    CREATE INDEX IF NOT EXISTS requests_by_user ON requests (user_id, created_at);
    CREATE INDEX IF NOT EXISTS requests_shared ON requests (shared, created_at);
    """
    _COLUMNS = ("id", "user_id", "fields", "status", "progress", "result", "error", "run_id",
                "created_at", "updated_at", "claimed_at", "shared", "fixes", "queue", "versions")
    _ADDED_COLUMNS = {"shared": "INTEGER NOT NULL DEFAULT 0", "fixes": "TEXT NOT NULL DEFAULT '[]'",
                      "queue": "TEXT", "versions": "TEXT NOT NULL DEFAULT '[]'"}
    """Columns added after the first release, added to older files when opened."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(self._SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(requests)")}
            for name, declaration in self._ADDED_COLUMNS.items():
                if name not in columns:
                    try:
                        db.execute(f"ALTER TABLE requests ADD COLUMN {name} {declaration}")
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
                "UPDATE requests SET status=?, error=?, result=COALESCE(?, result), updated_at=?,"
                " queue=CASE WHEN ? IN ('done', 'failed') THEN NULL ELSE queue END WHERE id=?",
                (status, error, json.dumps(result) if result is not None else None,
                 _now().isoformat(), status, request_id),
            )

    def report_progress(self, request_id, stage, done, total, note="") -> None:
        entry = StageProgress(done=done, total=total, note=note).model_dump_json()
        with self._lock, self._connect() as db:
            db.execute(
                "UPDATE requests SET progress=json_set(progress, '$.' || ?, json(?)), updated_at=?"
                " WHERE id=?",
                (json.dumps(stage), entry, _now().isoformat(), request_id),
            )

    def set_queue(self, request_id: str, estimate: QueueEstimate | None) -> None:
        self._update(request_id, "queue = ?", estimate.model_dump_json() if estimate else None)

    def list_for_user(self, user_id: str, limit: int = 50, after: PageMark | None = None) -> list[RequestRecord]:
        return self._newest("user_id = ?", (user_id,), limit, after)

    def count_active(self, user_id: str) -> int:
        with self._connect() as db:
            row = db.execute("SELECT COUNT(*) FROM requests WHERE user_id = ? AND status IN (?, ?)",
                             (user_id, *ACTIVE)).fetchone()
        return int(row[0])

    def set_shared(self, request_id: str, shared: bool) -> None:
        self._update(request_id, "shared = ?", 1 if shared else 0)

    def list_shared(self, limit: int = 50, after: PageMark | None = None) -> list[RequestRecord]:
        return self._newest("shared = 1", (), limit, after)

    def request_fix(self, request_id: str, fix: FixRequest, claim: bool = False) -> FixRecord:
        made = new_fix(fix).model_copy(update={"status": "running" if claim else "queued"})
        now = _now().isoformat()
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT status, fixes FROM requests WHERE id = ?", (request_id,)).fetchone()
            if row is None or row[0] != "done":
                db.execute("ROLLBACK")
                raise FilmBusy(busy_reason(row[0] if row else None))
            fixes = [*json.loads(row[1]), made.model_dump(mode="json")]
            db.execute(
                "UPDATE requests SET status = ?, fixes = ?, error = NULL, run_id = NULL,"
                " claimed_at = ?, updated_at = ? WHERE id = ?",
                ("running" if claim else "queued", json.dumps(fixes), now if claim else None, now, request_id),
            )
            db.execute("COMMIT")
        return made

    def record_fix(self, request_id: str, fix: FixRecord) -> None:
        with self._lock, self._connect() as db:
            db.execute(
                "UPDATE requests SET fixes = json_insert(fixes, '$[#]', json(?)), updated_at = ? WHERE id = ?",
                (fix.model_dump_json(), _now().isoformat(), request_id),
            )

    def set_fix_status(self, request_id, fix_id, status, error=None) -> None:
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT fixes FROM requests WHERE id = ?", (request_id,)).fetchone()
            if row is not None:
                fixes = [{**f, "status": status, "error": error} if f.get("id") == fix_id else f
                         for f in json.loads(row[0])]
                db.execute("UPDATE requests SET fixes = ?, updated_at = ? WHERE id = ?",
                           (json.dumps(fixes), _now().isoformat(), request_id))
            db.execute("COMMIT")

    def running(self) -> list[RequestRecord]:
        with self._connect() as db:
            rows = db.execute(f"SELECT {', '.join(self._COLUMNS)} FROM requests WHERE status = 'running'").fetchall()
        return [self._record(row) for row in rows]

    def delete(self, request_id: str) -> bool:
        return bool(self._delete_where("id = ?", (request_id,)))

    def delete_user(self, user_id: str) -> list[str]:
        return self._delete_where("user_id = ?", (user_id,))

    def deletions(self, limit: int = 100) -> list[str]:
        with self._connect() as db:
            rows = db.execute("SELECT id FROM deletions ORDER BY deleted_at, id LIMIT ?", (limit,)).fetchall()
        return [row[0] for row in rows]

    def forget_deletion(self, request_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM deletions WHERE id = ?", (request_id,))

    def _delete_where(self, condition: str, values: tuple) -> list[str]:
        """The requests go and their deletion marks come in one transaction: a crash leaves both or neither."""
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            ids = [row[0] for row in db.execute(f"SELECT id FROM requests WHERE {condition}", values)]
            now = _now().isoformat()
            db.executemany("INSERT OR REPLACE INTO deletions (id, deleted_at) VALUES (?, ?)",
                           [(request_id, now) for request_id in ids])
            db.execute(f"DELETE FROM requests WHERE {condition}", values)
            db.execute("COMMIT")
        return ids

    def _newest(self, condition: str, values: tuple, limit: int, after: PageMark | None = None) -> list[RequestRecord]:
        if limit <= 0:
            return []
        if after is not None:
            moment = after.created_at.astimezone(timezone.utc).isoformat()
            condition += " AND (created_at < ? OR (created_at = ? AND id < ?))"
            values = (*values, moment, moment, after.id)
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {', '.join(self._COLUMNS)} FROM requests WHERE {condition}"
                " ORDER BY created_at DESC, id DESC LIMIT ?", (*values, limit),
            ).fetchall()
        return [self._record(row) for row in rows]

    def _update(self, request_id: str, assignment: str, value: object) -> None:
        with self._connect() as db:
            db.execute(f"UPDATE requests SET {assignment}, updated_at = ? WHERE id = ?",
                       (value, _now().isoformat(), request_id))

    def _record(self, row: tuple) -> RequestRecord:
        doc = dict(zip(self._COLUMNS, row))
        for field in ("fields", "progress", "result", "fixes", "versions"):
            doc[field] = json.loads(doc[field])
        doc["queue"] = QueueEstimate.model_validate_json(doc["queue"]) if doc["queue"] else None
        return RequestRecord.model_validate(doc)

    def save_version(self, request_id: str, version: CutVersion, result: dict[str, str] | None = None) -> None:
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # checks report failures from parallel steps
            row = db.execute("SELECT versions FROM requests WHERE id = ?", (request_id,)).fetchone()
            if row is not None:
                versions = with_version([CutVersion.model_validate(v) for v in json.loads(row[0])], version)
                db.execute(
                    "UPDATE requests SET versions = ?, result = COALESCE(?, result), updated_at = ? WHERE id = ?",
                    (json.dumps([v.model_dump(mode="json") for v in versions]),
                     json.dumps(result) if result is not None else None, _now().isoformat(), request_id),
                )
            db.execute("COMMIT")

    def all_ids(self) -> list[str]:
        with self._connect() as db:
            return [row[0] for row in db.execute("SELECT id FROM requests")]
