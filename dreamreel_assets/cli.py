"""`dreamreel`: make a film from the command line, on a Dagster instance the UI can show later."""

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dreamreel_assets.catalog.genres import genres
from dreamreel_assets.catalog.styles import styles
from dreamreel_assets.languages import PROFILE_WRITERS, unwritable
from dreamreel_assets.models import FilmRequest, describe_validation_error

app = typer.Typer(add_completion=False, no_args_is_help=True, help="DreamReel: a wish in, a short film out.")
console = Console(stderr=True)

STAGES = ("script", "character_sheets", "keyframes", "narration", "music", "clips", "final_cut")


@app.callback()
def main() -> None:
    """DreamReel command line."""


Theme = Annotated[str, typer.Option(help="What the film is about (3-500 characters).")]
Genre = Annotated[str, typer.Option(help=", ".join(genres()))]
Style = Annotated[str, typer.Option(help=", ".join(styles()))]
Minutes = Annotated[str, typer.Option(help="Length in whole minutes, 5-10.")]
Aspect = Annotated[str, typer.Option(help="16:9 or 9:16")]
Seed = Annotated[str, typer.Option(help="Same request and seed, same film.")]
PreviewSeconds = Annotated[
    Optional[str], typer.Option(help="Test-and-preview: a film this many seconds long (20-600) instead.")
]
Out = Annotated[Path, typer.Option(help="Where films and the SQLite request store live.")]
Language = Annotated[str, typer.Option(help="en (default), de, es, fr, ...: other languages need an LLM writer.")]
Subtitles = Annotated[str, typer.Option(help="soft (a track, default) or burned (drawn into the picture, for phones).")]


def _validated_request(**fields: str | None) -> FilmRequest:
    """The request, or a one-line message naming the field and exit code 2: no work starts."""
    try:
        return FilmRequest.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        typer.echo(f"error: {describe_validation_error(error)}", err=True)
        raise typer.Exit(2)


def _moderated(request: FilmRequest, config: dict | None = None) -> None:
    """The theme through the moderator `resources.moderation.config` of the run config names (the
    word list by default), or a one-line refusal and exit code 2: no work starts, also when the
    moderation service cannot decide."""
    moderated_text("theme", request.theme, config)


def moderated_text(field: str, text: str, config: dict | None = None) -> None:
    """`_moderated` for one field (a theme, a fix's note)."""
    from dreamreel_assets.moderation import ModerationUnavailable, refusals, unavailable_message
    from dreamreel_assets.resources.moderation import ModerationResource

    if not text:
        return
    settings = _configured(config or {}, "resources", "moderation", "config") or {}
    try:
        moderator = ModerationResource(**_with_env_values(settings)).moderator()
        refused = refusals(moderator, {field: text})
    except ModerationUnavailable as error:
        typer.echo(f"error: {field}: {unavailable_message(error)}", err=True)
        raise typer.Exit(2)
    except (TypeError, ValueError) as error:
        typer.echo(f"error: config: resources.moderation: {describe_validation_error(error)}", err=True)
        raise typer.Exit(2)
    if refused:
        typer.echo(f"error: {refused[0]}", err=True)
        raise typer.Exit(2)


def _with_env_values(config: dict) -> dict:
    """A resource config with `{env: NAME}` values read from the environment, as Dagster does."""
    return {key: os.environ.get(value["env"]) if isinstance(value, dict) and set(value) == {"env"} else value
            for key, value in config.items()}


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


@app.command()
def submit(
    theme: Theme, genre: Genre = "fantasy", style: Style = "storybook", minutes: Minutes = "5",
    aspect: Aspect = "16:9", seed: Seed = "0", preview_seconds: PreviewSeconds = None, out: Out = Path("out"),
    language: Language = "en", subtitles: Subtitles = "soft",
    user: Annotated[str, typer.Option(help="Who asks for the film.")] = "local",
) -> None:
    """Queue a request in the configured store (DREAMREEL_STORE); the sensor starts its film."""
    from dreamreel_assets.resources.stores import RequestStoreResource

    request = _validated_request(theme=theme, genre=genre, style=style, minutes=minutes, aspect=aspect,
                                 seed=seed, preview_seconds=preview_seconds, language=language, subtitles=subtitles)
    _moderated(request)
    store = RequestStoreResource(sqlite_path=str(out / "requests.sqlite")).store()
    record = store.submit(request.model_dump(mode="json", exclude_none=True), user_id=user)
    print(record.id)


@app.command()
def status(
    request_id: Annotated[str, typer.Argument(help="The id `dreamreel submit` printed.")],
    out: Out = Path("out"),
) -> None:
    """Show a request: its status, its place in the queue and estimated times, each stage's
    progress, its error or its film."""
    from dreamreel_assets.queue_words import describe_queue
    from dreamreel_assets.resources.stores import RequestStoreResource

    record = RequestStoreResource(sqlite_path=str(out / "requests.sqlite")).store().get(request_id)
    if record is None:
        typer.echo(f"error: no request {request_id!r}", err=True)
        raise typer.Exit(1)
    print(f"{record.id}: {record.status} (user {record.user_id}, updated {record.updated_at:%Y-%m-%d %H:%M:%S})")
    if record.queue is not None and record.status in ("queued", "running"):
        print(f"  {describe_queue(record.queue)}")
    for stage, progress in record.progress.items():
        print(f"  {stage:<17} {progress.done}/{progress.total} {progress.note}".rstrip())
    if record.error:
        print(f"  error: {record.error}")
    for name, url in record.result.items():
        print(f"  {name}: {url}")


@app.command()
def prune(
    budget: Annotated[str, typer.Option(help="Bring the films' media down to this size: 20GB, 500MB, 1.5GiB.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would go and the bytes freed.")] = False,
    out: Out = Path("out"),
) -> None:
    """Remove old versions and media no film uses, oldest and least needed first, until the films'
    media fit the budget; never the version a film shows nor what its next run could reuse."""
    from dreamreel_assets import prune as pruning
    from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource

    try:
        limit = pruning.parse_size(budget)
    except ValueError as error:
        typer.echo(f"error: --budget: {error}", err=True)
        raise typer.Exit(2)
    try:
        media = MediaStoreResource(root=str(out)).store()
        plan = pruning.plan_prune(media, RequestStoreResource(sqlite_path=str(out / "requests.sqlite")).store(), limit)
    except ValueError as error:  # a store that cannot be opened as configured
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2)
    verb = "would remove" if dry_run else "removed"
    for removal in plan.removals:
        if not dry_run:
            pruning.carry_out(removal, media)
        print(f"{verb} {removal.prefix} ({pruning.format_size(removal.size)}): {removal.why}")
    size, wanted = pruning.format_size, pruning.format_size(limit)
    if not plan.removals and plan.fits:
        print(f"the films' media take {size(plan.used)}, within {wanted}: nothing to remove")
    elif plan.removals:
        print(f"{'would free' if dry_run else 'freed'} {size(plan.freed)} ({plan.freed} bytes): "
              f"{size(plan.used)} -> {size(plan.left)}, budget {wanted}")
    if not plan.fits:
        typer.echo(f"error: cannot get under {wanted} without touching current films: they need "
                   f"{size(plan.left)}", err=True)
        raise typer.Exit(1)


TunnelDomain = Annotated[
    Optional[str], typer.Option(help="A reserved ngrok domain (e.g. yours.ngrok-free.app), so the URL never changes.")
]


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port of the web app and its API.")] = 8000,
    dagster_port: Annotated[int, typer.Option(help="Port of the Dagster UI.")] = 3000,
    out: Out = Path("out"),
    client: Annotated[Optional[Path], typer.Option(help="The built web client (default client/dist).")] = None,
    tunnel: Annotated[bool, typer.Option(help="Open the API to the web through ngrok (needs Firebase sign-in).")] = False,
    domain: TunnelDomain = None,
) -> None:
    """Run it all on this machine: the web app and API, the Dagster UI and the daemon (sensors)."""
    from dreamreel_assets import serve as stack_runner

    stack = stack_runner.Stack(
        data_dir=out.resolve(), dagster_home=Path(os.environ.get("DAGSTER_HOME") or ".dagster").resolve(),
        client_dir=(client or stack_runner.DEFAULT_CLIENT).resolve(), api_port=port, dagster_port=dagster_port,
    )
    found = stack_runner.problems(stack)
    published = _tunnel_for(stack, domain, found) if tunnel else None
    for problem in found:
        typer.echo(f"error: {problem}", err=True)
    if found:
        raise typer.Exit(2)
    processes = stack_runner.start(stack)
    try:
        stack_runner.wait_until_up(stack, processes)
        if published is not None:
            published.start()
    except Exception as error:
        stack_runner.stop(processes)
        if published is not None:
            published.close()
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1)
    console.print(f"[bold]DreamReel is up.[/] Open the web app: {stack.app_url}")
    console.print(f"Dagster UI (runs, assets, fixes by re-materializing): {stack.dagster_url}")
    console.print("Ctrl-C stops both." if published is None else "Ctrl-C stops both and closes the tunnel.")
    if published is None:
        raise typer.Exit(stack_runner.run_until_stopped(stack, processes))
    stop = threading.Event()
    watcher = threading.Thread(target=published.watch, args=(stop,), name="tunnel", daemon=True)
    watcher.start()
    try:
        code = stack_runner.run_until_stopped(stack, processes)
    finally:
        stop.set()
        watcher.join()
        published.close()
    raise typer.Exit(code)


def _tunnel_for(stack, domain: str | None, problems: list[str]):
    """The tunnel `serve --tunnel` will open, or None with the reason added to `problems`."""
    from dreamreel_api.address_book import address_book
    from dreamreel_api.settings import Settings
    from dreamreel_api.tunnel import LOCAL_AUTH_REFUSAL, PublishedTunnel, TunnelConfig, TunnelError

    try:
        settings = Settings.from_env(stack.environment())
    except ValueError as error:
        problems.append(f"the API's settings: {describe_validation_error(error)}")
        return None
    if settings.auth != "firebase":
        problems.append(f"no tunnel: {LOCAL_AUTH_REFUSAL}")
        return None
    try:
        config = TunnelConfig(api_url=f"http://{stack.host}:{stack.api_port}", domain=domain)
        return PublishedTunnel(config, address_book(settings), say=console.print)
    except (TunnelError, ValueError) as error:
        problems.append(str(error))
        return None


@app.command()
def tunnel(
    api: Annotated[str, typer.Option(help="The running API, as this machine reaches it.")] = "http://127.0.0.1:8000",
    domain: TunnelDomain = None,
) -> None:
    """Open an API already running on this machine to the web through ngrok (NGROK_AUTHTOKEN), publish
    its URL for the hosted web app, and keep the tunnel open until Ctrl-C."""
    from dreamreel_api.address_book import address_book
    from dreamreel_api.settings import Settings
    from dreamreel_api.tunnel import PublishedTunnel, TunnelConfig, TunnelError, check_api, wait_for_stop_signal

    stop = wait_for_stop_signal()
    try:
        config = TunnelConfig(api_url=api.rstrip("/"), domain=domain)
        check_api(config.api_url)
        settings = Settings.from_env(store_and_auth_only(os.environ))
        published = PublishedTunnel(config, address_book(settings), say=console.print)
    except (TunnelError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2)
    try:
        published.start()
    except TunnelError as error:
        published.close()
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1)
    console.print("Ctrl-C closes the tunnel.")
    try:
        published.watch(stop)
    finally:
        published.close()


@app.command()
def voices(
    base_url: Annotated[Optional[str], typer.Option(help="Another ElevenLabs API address.")] = None,
) -> None:
    """List the ElevenLabs voices of your account (ELEVENLABS_API_KEY), to map DreamReel's voice
    presets to them (`voices` of the `narrator` resource)."""
    from dreamreel_assets.backends.narrator.elevenlabs import DEFAULT_VOICES, classify

    key = os.environ.get("ELEVENLABS_API_KEY", "").strip()
    if not key:
        typer.echo("error: set ELEVENLABS_API_KEY (ElevenLabs: Profile, API keys)", err=True)
        raise typer.Exit(2)
    try:
        from elevenlabs import ElevenLabs
        from elevenlabs.core.api_error import ApiError
    except ImportError:
        typer.echo("error: install the voices extra: pip install -e '.[voices]'", err=True)
        raise typer.Exit(2)
    try:
        found = ElevenLabs(api_key=key, base_url=base_url, timeout=30).voices.get_all(
            request_options={"max_retries": 1}).voices
    except ApiError as error:
        typer.echo(f"error: {classify(error, 1)[1]}", err=True)
        raise typer.Exit(1)
    except Exception as error:  # httpx's network errors and the like: said in words, not traced
        typer.echo(f"error: cannot list the voices: {type(error).__name__}: {error}"[:300], err=True)
        raise typer.Exit(1)
    presets = {voice_id: preset for preset, voice_id in DEFAULT_VOICES.items()}
    table = Table("voice id", "name", "category", "labels", "default for preset")
    for voice in found:
        labels = ", ".join(f"{k}: {v}" for k, v in sorted((voice.labels or {}).items()))
        table.add_row(voice.voice_id, voice.name or "", str(voice.category or ""), labels, presets.get(voice.voice_id, ""))
    Console().print(table)


@app.command("hosting-config")
def hosting_config(
    client: Annotated[Path, typer.Option(help="The built web client to deploy.")] = Path("client/dist"),
    api: Annotated[Optional[str], typer.Option(help="A fixed API address (e.g. your reserved ngrok domain) "
                                                    "instead of the one `dreamreel tunnel` publishes.")] = None,
) -> None:
    """Write dreamreel.json into the built web client, telling the hosted app where its API is: the
    fixed --api address, or the address the tunnel publishes in your Firebase project (from
    DREAMREEL_FIREBASE_PROJECT and DREAMREEL_FIREBASE_WEB_API_KEY)."""
    from urllib.parse import urlsplit

    if not (client / "index.html").is_file():
        typer.echo(f"error: no built web client in {client}: run `make client`", err=True)
        raise typer.Exit(2)
    if api is not None:
        parts = urlsplit(api)
        if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/") or parts.query:
            typer.echo(f"error: --api must be an https origin like https://yours.ngrok-free.app, not {api!r}", err=True)
            raise typer.Exit(2)
        config = {"api": f"https://{parts.netloc}"}
    else:
        project = os.environ.get("DREAMREEL_FIREBASE_PROJECT", "").strip()
        key = os.environ.get("DREAMREEL_FIREBASE_WEB_API_KEY", "").strip()
        if not project or not key:
            typer.echo("error: set DREAMREEL_FIREBASE_PROJECT and DREAMREEL_FIREBASE_WEB_API_KEY (Firebase console, "
                       "project settings, your web app), or give --api", err=True)
            raise typer.Exit(2)
        config = {"firebase": {"projectId": project, "apiKey": key}}
    target = client / "dreamreel.json"
    target.write_text(json.dumps(config, indent=2) + "\n")
    print(target)


def store_and_auth_only(environ) -> dict[str, str]:
    """The Firebase settings of the environment, without the API's listening address (the tunnel
    command does not listen)."""
    return {name: value for name, value in environ.items() if name.startswith("DREAMREEL_FIREBASE_")}


def _configured(config: dict, *path: str) -> object:
    """The value at `path` in a run config, or None (wherever it is missing or not a mapping)."""
    for key in path:
        config = config.get(key) if isinstance(config, dict) else None
    return config


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
    from dreamreel_assets.stores.requests import SqliteRequestStore

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


if __name__ == "__main__":
    from dreamreel_assets.cli import app as dreamreel_app  # the module's own copy, with every command added

    dreamreel_app()


from dreamreel_assets import fix_command  # noqa: E402,F401 (adds `fix` and `fixes`)
