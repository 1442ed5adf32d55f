"""`dreamreel submit` and `dreamreel status`: a request queued in the store for the sensor, and
how it stands."""

from pathlib import Path
from typing import Annotated

import typer

from dreamreel_assets.cli import (
    Aspect, Genre, Language, Minutes, Out, PreviewSeconds, Seed, Style, Subtitles, Theme, _moderated,
    _validated_request, app,
)


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
