"""`dreamreel`: make a film from the command line, on a Dagster instance the UI can show later.

The typer `app`, the options and checks its commands share; each command lives in the module of
what it does (`making`, `queueing`, `pruning`, `serving`, `fixing`), all registered on `app` when
this package is imported.
"""

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError
from rich.console import Console

from dreamreel_assets.catalog.genres import genres
from dreamreel_assets.catalog.styles import styles
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


def _configured(config: dict, *path: str) -> object:
    """The value at `path` in a run config, or None (wherever it is missing or not a mapping)."""
    for key in path:
        config = config.get(key) if isinstance(config, dict) else None
    return config


# The commands, added to `app` as their modules load (in the order `--help` lists them), and the
# names other code imports from here.
from dreamreel_assets.cli.making import (  # noqa: E402
    Made, failure_message, film_instance, film_run_config, follow_progress, make, produce,
)
from dreamreel_assets.cli.queueing import status, submit  # noqa: E402
from dreamreel_assets.cli.pruning import prune  # noqa: E402
from dreamreel_assets.cli.serving import (  # noqa: E402
    TunnelDomain, hosting_config, serve, store_and_auth_only, tunnel, voices,
)
from dreamreel_assets.cli.fixing import fix, fixes, run_fix  # noqa: E402

__all__ = [
    "Aspect", "Console", "Genre", "Language", "Made", "Minutes", "Out", "PreviewSeconds", "STAGES", "Seed",
    "Style", "Subtitles", "Theme", "TunnelDomain", "app", "console", "failure_message", "film_instance",
    "film_run_config", "fix", "fixes", "follow_progress", "hosting_config", "main", "make", "moderated_text",
    "produce", "prune", "run_fix", "serve", "status", "store_and_auth_only", "submit", "tunnel", "voices",
]
