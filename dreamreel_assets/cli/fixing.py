"""`dreamreel fix` and `dreamreel fixes`: redo one part of a finished film from the command line.

The same fix as the web app's: validated the same way, recorded in the same request store, made
by the same run (the fixed stage and what is made from it, tagged with the fix), reported the same
way. It runs in this process with `dreamreel make`'s progress bars, so no daemon is needed; the
request is claimed as the fix is recorded, so a daemon that is running leaves it alone.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError
from rich.table import Table

from dreamreel_assets import cli
from dreamreel_assets.models import FixRequest, Script, describe_validation_error
from dreamreel_assets.stores.requests import FilmBusy, RequestRecord, RequestStore, busy_reason

FilmId = Annotated[str, typer.Argument(help="The film's id (as `dreamreel make` or the web app shows it).")]


def _refuse(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _stores(out: Path):
    from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource

    requests = RequestStoreResource(sqlite_path=str(out / "requests.sqlite")).store()
    return requests, MediaStoreResource(root=str(out)).store()


def _film(requests: RequestStore, film_id: str) -> RequestRecord:
    record = requests.get(film_id)
    if record is None:
        _refuse(f"film: there is no film {film_id!r} in this request store")
    return record


def _script(media, film_id: str) -> Script | None:
    ref = media.existing(f"films/{film_id}/script.json")
    return Script.model_validate_json(media.local_path(ref).read_bytes()) if ref else None


@cli.app.command()
def fix(
    film: FilmId,
    stage: Annotated[str, typer.Option(help="keyframes, clips, narration or music.")],
    scene: Annotated[Optional[str], typer.Option(help="The scene to redo (its number).")] = None,
    shot: Annotated[Optional[str], typer.Option(help="The shot to redo, e.g. s2-sh1 (keyframes, clips).")] = None,
    note: Annotated[str, typer.Option(help="What should be different, joined to the prompt.")] = "",
    out: cli.Out = Path("out"),
    profile: Annotated[str, typer.Option(help="The film job to run it with: embedded, gpu or gpu-fast.")] = "embedded",
) -> None:
    """Redo one part of a finished film, as the web app's fix does, and make the film again from it."""
    from dreamreel_assets.jobs import PROFILE_JOBS

    try:
        wanted = FixRequest.model_validate({"stage": stage, "scene": scene, "shot": shot, "note": note})
    except ValidationError as error:
        _refuse(describe_validation_error(error))
    if profile not in PROFILE_JOBS:
        _refuse(f"profile: unknown value {profile!r}; choose embedded, gpu or gpu-fast")
    requests, media = _stores(out)
    record = _film(requests, film)
    if record.status != "done":
        _refuse(f"not now: {busy_reason(record.status)}")
    script = _script(media, film)
    if script is None:
        _refuse("not now: the film has no script yet")
    problem = wanted.target_problem(script)
    if problem is not None:
        _refuse(f"{problem[0]}: {problem[1]}")
    cli.moderated_text("note", wanted.note)
    try:
        queued = requests.request_fix(film, wanted, claim=True)
    except FilmBusy as busy:
        _refuse(f"not now: {busy}")
    cli.console.print(f"Fixing [bold]{film}[/bold]: {_target(queued)} (fix {queued.id})")
    outcome = run_fix(requests, record, queued, out, profile)
    done = requests.get(film)
    fixed = next((f for f in done.fixes if f.id == queued.id), queued) if done else queued
    if fixed.status != "done":
        typer.echo(f"error: the fix failed: {fixed.error or 'see the run in the Dagster UI'}", err=True)
        raise typer.Exit(1)
    cli.console.print(f"Fixed in {outcome:.1f} s.")
    print(done.result.get("video", ""))


def run_fix(requests: RequestStore, record: RequestRecord, queued, out: Path, profile: str) -> float:
    """Make the fix in this process (the stage and what is made from it) and report the outcome into
    the store as the run-status sensors would; the seconds it took."""
    from dreamreel_assets.assets.common import FIX_TAG
    from dreamreel_assets.definitions import defs
    from dreamreel_assets.jobs import PROFILE_JOBS
    from dreamreel_assets.sensors import REQUEST_TAG, _report, redo_selection

    instance = cli.film_instance()
    selection = redo_selection(queued.stage)
    stages = [stage for stage in cli.STAGES if any(key.path[-1] == stage for key in selection)]
    for stage in stages:  # the bars start again for what is redone
        requests.report_progress(record.id, stage, 0, 0, "waiting")
    job = defs.resolve_job_def(PROFILE_JOBS[profile].name)
    result: dict = {}

    def run() -> None:
        result["run"] = job.execute_in_process(
            instance=instance, partition_key=record.id, asset_selection=selection, raise_on_error=False,
            run_config=cli.film_run_config(out, profile), tags={
                FIX_TAG: queued.id, REQUEST_TAG: record.id, "dreamreel/user": record.user_id,
                "dreamreel/source": "cli",
            },
        )

    worker = threading.Thread(target=run, daemon=True)
    started = time.perf_counter()
    worker.start()
    cli.follow_progress(requests, record.id, worker, stages)
    worker.join()
    made = result["run"]
    _report(requests, made.dagster_run, "done" if made.success else "failed",
            None if made.success else cli.failure_message(made))
    return time.perf_counter() - started


def _target(fix) -> str:
    where = f"shot {fix.shot}" if fix.shot else f"scene {fix.scene}" if fix.scene else "the whole film"
    return f"{fix.stage}, {where}" + (f", “{fix.note}”" if fix.note else "")


@cli.app.command()
def fixes(film: FilmId, out: cli.Out = Path("out")) -> None:
    """List a film's fixes, oldest first, and how each went."""
    requests, _media = _stores(out)
    record = _film(requests, film)
    if not record.fixes:
        cli.console.print(f"{film} has no fixes.")
        return
    table = Table(title=f"fixes of {film}")
    for column in ("fix", "asked", "stage", "target", "note", "status"):
        table.add_column(column)
    for item in record.fixes:
        where = item.shot or (f"scene {item.scene}" if item.scene else "all")
        outcome = item.status if not item.error else f"{item.status}: {item.error}"
        table.add_row(item.id, item.created_at.strftime("%Y-%m-%d %H:%M"), item.stage, where, item.note, outcome)
    cli.Console().print(table)
