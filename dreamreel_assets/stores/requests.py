"""The queue between the web side and the pipeline: one document per film request.

The web app (or `dreamreel submit`) writes a document with the form as submitted; the sensor
claims queued documents exactly once and starts a run per claim; assets report progress into
the document; run-status sensors write the outcome back. The form is kept as it was sent, since
it may be bad: the sensor validates it and fails the request with a readable reason.

The store on SQLite, the embedded default, is `SqliteRequestStore` in `dreamreel_assets.stores.sqlite`
(also importable from here).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from dreamreel_assets.models import FilmRequest, FixRequest

Status = Literal["queued", "running", "done", "failed"]


class DuplicateRequest(ValueError):
    """A request with this id exists already."""


class StageProgress(BaseModel):
    done: int = 0
    total: int = 0
    note: str = ""


class FilmBusy(ValueError):
    """The film is not finished (or does not exist), so no part of it can be redone yet."""


class FixRecord(FixRequest):
    """A fix as the store keeps it: what was asked, and how it went."""

    id: str
    status: Status = "queued"
    error: str | None = None
    created_at: datetime


class QueueEstimate(BaseModel):
    """Where a film stands in the run queue and when it should start and be ready: an estimate
    from the stage times this server measured, refreshed as runs start and stages finish."""

    position: int = Field(ge=0)
    """0: being made; 1: the next film to start; 2: the one after; ..."""
    estimated_start: datetime | None = None
    estimated_finish: datetime | None = None
    measured_films: int = Field(default=0, ge=0)
    """How many finished films of this profile the estimate comes from (0: a first guess)."""
    updated_at: datetime


VersionStatus = Literal["checking", "passed", "failed"]


class CutVersion(BaseModel):
    """One final cut of a film, in its own folder (`cut_folder`): made, then checked. People see
    the newest version that passed; a failed one never replaces it."""

    number: int = Field(ge=1)
    status: VersionStatus = "checking"
    created_at: datetime
    duration_s: float | None = None
    failed_checks: list[str] = Field(default_factory=list)
    """The checks this cut failed (status failed), by name."""
    reason: str | None = None
    """Why it failed, in words: each failed check's finding, or the run's error."""

    def merged_over(self, before: CutVersion | None) -> CutVersion:
        """This update of a version over what the store holds: checks failing one after another
        (each in its own step) add up rather than replace one another."""
        if before is None or not (self.status == before.status == "failed"):
            return self
        checks = [*before.failed_checks, *(c for c in self.failed_checks if c not in before.failed_checks)]
        reasons = [r for r in (before.reason, self.reason) if r]
        return self.model_copy(update={"failed_checks": checks, "reason": "; ".join(dict.fromkeys(reasons)) or None})


def cuts_prefix(film_id: str) -> str:
    """Where the versions of a film's final cut live in the media store, a folder each."""
    return f"films/{film_id}/cuts/"


def cut_folder(film_id: str, number: int) -> str:
    """Where version `number` of a film's final cut lives in the media store."""
    return f"{cuts_prefix(film_id)}{number}/"


def with_version(versions: list[CutVersion], version: CutVersion) -> list[CutVersion]:
    """The versions with `version` added or updated (see `CutVersion.merged_over`), by number."""
    before = next((v for v in versions if v.number == version.number), None)
    kept = [v for v in versions if v.number != version.number]
    return sorted([*kept, version.merged_over(before)], key=lambda v: v.number)


def update_version(store: RequestStore, film_id: str, number: int, result: dict[str, str] | None = None,
                   **changes: Any) -> None:
    """Change fields of one version of a film's cut (made anew when the request has none by that
    number), keeping the rest as the store holds it."""
    record = store.get(film_id)
    before = next((v for v in record.versions if v.number == number), None) if record else None
    version = before or CutVersion(number=number, created_at=_now())
    store.save_version(film_id, version.model_copy(update=changes), result=result)


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
    fixes: list[FixRecord] = Field(default_factory=list)
    """Parts redone after the film was made, oldest first; applied ones shape every later run."""
    queue: QueueEstimate | None = None
    """While its run waits or runs: its place in the queue and the estimated times."""
    versions: list[CutVersion] = Field(default_factory=list)
    """Every final cut made, oldest first (films made before versions have none: their files lie
    directly under `films/<id>/`)."""

    @property
    def request(self) -> FilmRequest:
        return FilmRequest.model_validate(self.fields)

    @property
    def playing_version(self) -> CutVersion | None:
        """The newest version that passed its checks: the one people see."""
        return next((v for v in reversed(self.versions) if v.status == "passed"), None)

    @property
    def active_fix(self) -> FixRecord | None:
        """The fix waiting for (or in) its run, if any: at most one at a time."""
        last = self.fixes[-1] if self.fixes else None
        return last if last is not None and last.status in ("queued", "running") else None


ACTIVE: tuple[Status, ...] = ("queued", "running")
"""A film waiting for its run or being made (a fix queues a finished film again)."""


@dataclass(frozen=True)
class PageMark:
    """Where a page of a newest-first list ended: the next page starts after this request."""

    created_at: datetime
    id: str

    @classmethod
    def after(cls, record: RequestRecord) -> PageMark:
        return cls(record.created_at, record.id)

    def encode(self) -> str:
        """An opaque cursor for the API."""
        text = f"{self.created_at.isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> PageMark:
        """The mark a cursor from `encode` carries; ValueError for anything else."""
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            moment, request_id = text.split("|", 1)
            created_at = datetime.fromisoformat(moment)
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise ValueError("is not a cursor this API gave") from error
        if created_at.tzinfo is None or not request_id:
            raise ValueError("is not a cursor this API gave")
        return cls(created_at, request_id)


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

    def set_queue(self, request_id: str, estimate: QueueEstimate | None) -> None:
        """The film's place in the run queue and its estimated times (None: not waiting any more).
        Setting a request's status to done or failed clears it too."""
        ...

    def list_for_user(self, user_id: str, limit: int = 50, after: PageMark | None = None) -> list[RequestRecord]:
        """Up to `limit` requests of one user, newest first (older than `after`, when given)."""
        ...

    def count_active(self, user_id: str) -> int:
        """How many of the user's requests are waiting or being made."""
        ...

    def set_shared(self, request_id: str, shared: bool) -> None:
        """Show the request in (or take it out of) the public gallery; an unknown id changes nothing."""
        ...

    def list_shared(self, limit: int = 50, after: PageMark | None = None) -> list[RequestRecord]:
        """Up to `limit` shared requests of any user, newest first (older than `after`, when given)."""
        ...

    def request_fix(self, request_id: str, fix: FixRequest, claim: bool = False) -> FixRecord:
        """Queue the request again to redo one part of its finished film (the sensor starts the run);
        FilmBusy unless the film is done. `claim`: the caller runs the fix itself (`dreamreel fix`),
        so the request goes straight to `running` and no sensor claims it."""
        ...

    def set_fix_status(self, request_id: str, fix_id: str, status: Status, error: str | None = None) -> None: ...

    def record_fix(self, request_id: str, fix: FixRecord) -> None:
        """Add a fix already made (a redo asked from the Dagster UI) without queueing anything."""
        ...

    def running(self) -> list[RequestRecord]:
        """Every request marked `running` (the stale-run sensor checks each against its run)."""
        ...

    def delete(self, request_id: str) -> bool:
        """Remove a request (gone from every list at once) and leave a deletion mark until the
        pipeline has cancelled its run and removed its media; False if there was no such request."""
        ...

    def delete_user(self, user_id: str) -> list[str]:
        """`delete` every request of one user; the ids deleted."""
        ...

    def deletions(self, limit: int = 100) -> list[str]:
        """Deleted requests whose run and media are still to be cleaned up, oldest first."""
        ...

    def forget_deletion(self, request_id: str) -> None:
        """The clean-up is done: remove the deletion mark."""
        ...

    def save_version(self, request_id: str, version: CutVersion, result: dict[str, str] | None = None) -> None:
        """Add or update a version of the film's final cut (by number, see `with_version`), and set
        the request's `result` in the same write when given (a version that passed is published)."""
        ...

    def all_ids(self) -> list[str]:
        """The id of every request there is (`dreamreel prune` keeps their media)."""
        ...


def new_fix(fix: FixRequest) -> FixRecord:
    return FixRecord(**fix.model_dump(), id=uuid.uuid4().hex[:12], created_at=_now())


def busy_reason(status: str | None) -> str:
    if status is None:
        return "no such film"
    return f"the film is {status}: parts can be redone once it is done"


def new_request_id() -> str:
    return uuid.uuid4().hex[:20]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def __getattr__(name: str) -> object:
    """`SqliteRequestStore`, still importable from here: loaded on first use, as its module imports this one."""
    if name == "SqliteRequestStore":
        from dreamreel_assets.stores.sqlite import SqliteRequestStore

        return SqliteRequestStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
