"""`dreamreel serve`, `tunnel`, `hosting-config` and `voices`: the stack run on this machine, opened
to the web, and the settings the hosted app and the narrator need."""

import json
import os
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from dreamreel_assets.cli import Out, app, console
from dreamreel_assets.models import describe_validation_error


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
