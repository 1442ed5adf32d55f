"""`dreamreel make`: one film made in this process, with progress bars and a summary."""

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dreamreel_assets.cli import (
    STAGES, Aspect, Genre, Language, Minutes, Out, PreviewSeconds, Seed, Style, Subtitles, Theme, _configured,
    _moderated, _validated_request, app, console,
)
from dreamreel_assets.languages import PROFILE_WRITERS, unwritable
from dreamreel_assets.models import FilmRequest


@app.command()
def make(
    theme: Theme, genre: Genre = "fantasy", style: Style = "storybook", minutes: Minutes = "5",
    aspect: Aspect = "16:9", seed: Seed = "0", preview_seconds: PreviewSeconds = None, out: Out = Path("out"),
    language: Language = "en", subtitles: Subtitles = "soft",
    profile: Annotated[str, typer.Option(help="embedded (no GPU, no weights), gpu (the real models) or gpu-fast (LTX-Video clips).")] = "embedded",
    config: Annotated[Optional[Path], typer.Option(help="YAML run config merged over the profile's, e.g. model paths.")] = None,
) -> None:
    """Make one film on the configured backends and print where it is."""
    request = _validated_request(theme=theme, genre=genre, style=style, minutes=minutes, aspect=aspect,
                                 seed=seed, preview_seconds=preview_seconds, language=language, subtitles=subtitles)
    try:
        overrides = _read_run_config(config)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2)
    if profile not in PROFILE_WRITERS:
        typer.echo(f"error: profile: unknown value {profile!r}; choose embedded, gpu or gpu-fast", err=True)
        raise typer.Exit(2)
    _moderated(request, overrides)
    cannot = unwritable(request.language, _configured(overrides, "resources", "writer", "config", "backend")
                        or PROFILE_WRITERS[profile])
    if cannot:
        typer.echo(f"error: language: {cannot}", err=True)
        raise typer.Exit(2)
    made = produce(request, out, profile=profile, overrides=overrides)
    if made.success:
        _print_summary(made)
        print(made.video.resolve())
    raise typer.Exit(0 if made.success else 1)


@dataclass
class Made:
    film_id: str
    result: object
    elapsed_s: float
    video: Path | None = None

    @property
    def success(self) -> bool:
        return self.result.success

    @property
    def cut(self):
        return self.result.output_for_node("final_cut")

    def stage_seconds(self) -> dict[str, float]:
        return {e.step_key: e.event_specific_data.duration_ms / 1000 for e in self.result.get_step_success_events()}



def _read_run_config(path: Path | None) -> dict:
    if path is None:
        return {}
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"config: cannot read {path}: {' '.join(str(error).split())}") from error
    if not isinstance(loaded, dict):
        raise ValueError(f"config: {path} is not a YAML mapping")
    return loaded


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def produce(
    request: FilmRequest, out: Path, show_progress: bool = True, profile: str = "embedded",
    overrides: dict | None = None,
) -> Made:
    """Store the request, add its partition and run the film job of `profile` in this process."""
    from dagster import DagsterInstance

    from dreamreel_assets.definitions import defs
    from dreamreel_assets.jobs import PROFILE_JOBS
    from dreamreel_assets.partitions import films
    from dreamreel_assets.stores.sqlite import SqliteRequestStore

    instance = film_instance()
    film_id = request.film_id()
    store = SqliteRequestStore(out / "requests.sqlite")
    store.submit(request.model_dump(), request_id=film_id, replace=True)
    instance.add_dynamic_partitions(films.name, [film_id])
    console.print(f"Making [bold]{film_id}[/bold] ({request.genre}, {request.style}, {request.target_seconds:.0f} s)")

    job = defs.resolve_job_def(PROFILE_JOBS[profile].name)
    run_config = film_run_config(out, profile, overrides)
    outcome: dict = {}

    def run() -> None:
        outcome["result"] = job.execute_in_process(
            instance=instance, partition_key=film_id, run_config=run_config, raise_on_error=False,
            tags={"dreamreel/source": "cli"},
        )

    store.set_status(film_id, "running")
    worker = threading.Thread(target=run, daemon=True)
    started = time.perf_counter()
    worker.start()
    if show_progress:
        follow_progress(store, film_id, worker)
    worker.join()
    made = Made(film_id, outcome["result"], time.perf_counter() - started)
    if not made.success:
        message = failure_message(made.result)
        store.set_status(film_id, "failed", error=message)
        console.print(f"[red]Film failed:[/red] {message}", highlight=False)
        console.print(f"Run {made.result.run_id} is in the Dagster UI (`dagster dev`) with its logs.")
        return made
    cut = made.cut
    made.video = out / cut.video.key
    store.set_status(film_id, "done")
    return made


def film_run_config(out: Path, profile: str, overrides: dict | None = None) -> dict:
    """The run config of a film made here: stores under `out`, the profile's backends, quiet logs."""
    from dreamreel_assets.jobs import PROFILE_CONFIGS

    run_config = {
        "resources": {
            "media": {"config": {"root": str(out)}},
            "requests": {"config": {"sqlite_path": str(out / "requests.sqlite")}},
        },
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},  # the bars show progress
    }
    # A run config given at launch replaces the job's own, so the profile is merged in here.
    return _merge(_merge(PROFILE_CONFIGS[profile], run_config), overrides or {})


def film_instance():
    """The Dagster instance of DAGSTER_HOME, else `.dagster` here (made if missing, and used from
    then on): the UI started later shows the run, and fixes find the film's earlier outputs."""
    from dagster import DagsterInstance

    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()

    home = Path(".dagster").resolve()
    home.mkdir(exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def follow_progress(store, film_id: str, worker: threading.Thread, stages: tuple[str, ...] | list[str] = STAGES) -> None:
    columns = (TextColumn("{task.description:<17}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[note]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bars:
        tasks = {stage: bars.add_task(stage, total=None, note="", start=False) for stage in stages}
        while True:
            record = store.get(film_id)
            for stage, progress in (record.progress if record else {}).items():
                if stage in tasks and progress.total:
                    bars.start_task(tasks[stage])
                    bars.update(tasks[stage], completed=progress.done, total=progress.total,
                                note=progress.note[:40])
            if not worker.is_alive():
                break
            time.sleep(0.25)


def failure_message(result) -> str:
    from dreamreel_assets.sensors import checks_in_words

    blocked = checks_in_words(result.get_asset_check_evaluations())
    if blocked:  # the cut was made but failed a check: it is kept as a failed version, never shown
        return blocked
    for event in result.get_step_failure_events():
        error = event.event_specific_data.error
        return f"{event.step_key}: {error.message.strip()}" if error else event.step_key
    return "the run failed (see its logs in the Dagster UI)"


def _print_summary(made: Made) -> None:
    cut, result = made.cut, made.result
    console.print(f"{cut.film_id}: {cut.duration_s / 60:.1f} min, {cut.width}x{cut.height} at {cut.fps} fps",
                  highlight=False)
    table = Table(title="scenes")
    for column in ("scene", "shots", "starts at", "seconds"):
        table.add_column(column, justify="right")
    for scene in cut.timeline.scenes:
        table.add_row(str(scene.scene_index), str(len(scene.shots)), f"{scene.start:.1f}", f"{scene.duration:.1f}")
    console.print(table)
    timing = Table(title="time per stage")
    timing.add_column("stage")
    timing.add_column("seconds", justify="right")
    for stage, seconds in made.stage_seconds().items():
        timing.add_row(stage, f"{seconds:.1f}")
    timing.add_row("total (wall)", f"{made.elapsed_s:.1f}")
    console.print(timing)
    for evaluation in result.get_asset_check_evaluations():
        mark = "[green]passed[/green]" if evaluation.passed else "[red]FAILED[/red]"
        console.print(f"check {evaluation.check_name}: {mark} {evaluation.description or ''}",
                      highlight=False, soft_wrap=True)
