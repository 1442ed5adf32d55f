"""`dreamreel prune`: the films' media brought down to a budget."""

from pathlib import Path
from typing import Annotated

import typer

from dreamreel_assets.cli import Out, app


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
