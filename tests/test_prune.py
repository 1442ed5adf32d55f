"""`dreamreel prune`: media down to a budget, orphans and half-written files first, then failed and
superseded versions; never the version a film shows nor what its next run reuses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest
from dagster import AssetSelection, materialize

from conftest import ffprobe, make_film
from dreamreel_assets.assets import film_assets
from dreamreel_assets.checks import final_cut_checks
from dreamreel_assets.models import FilmRequest
from dreamreel_assets.prune import parse_size
from dreamreel_assets.stores.media import LocalMediaStore
from dreamreel_assets.stores.requests import CutVersion

REQUEST = FilmRequest(genre="fantasy", theme="A lantern that remembers every street it lit", style="watercolor",
                      preview_seconds=20, seed=31)


def dreamreel(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "DREAMREEL_STORE": "sqlite"})


def sizes(store: LocalMediaStore) -> dict[str, int]:
    return {f.key: f.size for f in store.files("films/")}


def folder_size(store: LocalMediaStore, prefix: str) -> int:
    return sum(f.size for f in store.files(prefix))


def put(store: LocalMediaStore, key: str, data: bytes) -> None:
    store.writable_path(key).write_bytes(data)
    store.commit(key)


def test_sizes_are_read_in_words_or_refused():
    assert parse_size("20GB") == 20 * 10**9 and parse_size("1.5 GiB") == int(1.5 * 2**30)
    assert parse_size("500mb") == 500 * 10**6 and parse_size("1024") == 1024
    for bad in ("", "twenty", "20 parsecs", "-5GB", "1e9"):
        with pytest.raises(ValueError, match="is not a size"):
            parse_size(bad)


def test_prune_to_a_budget_keeps_what_current_films_need(tmp_path, instance):
    made = make_film(REQUEST, tmp_path, instance)
    fix = materialize([*film_assets, *final_cut_checks], selection=AssetSelection.assets("music").downstream(),
                      partition_key=made.film_id, instance=instance, resources=made.resources)
    assert fix.success  # version 2 plays; version 1 is superseded
    media, requests = LocalMediaStore(tmp_path), made.resources["requests"].store()
    requests.set_status(made.film_id, "done")  # as the run-status sensor marks it
    film = f"films/{made.film_id}/"
    for name in ("film.mp4", "poster.jpg"):  # version 3 failed its checks (its files copied from version 2)
        put(media, f"{film}cuts/3/{name}", (tmp_path / film / "cuts/2" / name).read_bytes())
    requests.save_version(made.film_id, CutVersion(number=3, status="failed", created_at=datetime.now(timezone.utc),
                                                   failed_checks=["no_clipping"], reason="no_clipping: -0.3 dBTP"))
    put(media, "films/gone-film/film.mp4", b"o" * 300_000)  # its request was deleted
    partial = tmp_path / film / "clips" / ".s1-sh1-abc.partial.mp4"  # a write a crash left behind
    partial.write_bytes(b"p" * 1000)
    an_hour_ago = time.time() - 7200
    os.utime(partial, (an_hour_ago, an_hour_ago))

    before = sizes(media)
    needed_by_film = {k: v for k, v in before.items() if k.startswith(film) and ("/cuts/" not in k or "/cuts/2/" in k)}
    budget = sum(needed_by_film.values()) + folder_size(media, f"{film}cuts/1/") - 1  # v1 must go too, then fits
    dry = dreamreel("prune", "--budget", str(budget), "--dry-run", "--out", str(tmp_path))
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert [line.split()[2] for line in lines[:-1]] == [
        "films/gone-film/", f"{film}clips/.s1-sh1-abc.partial.mp4", f"{film}cuts/3/", f"{film}cuts/1/"]
    assert "version 3 failed its checks (no_clipping)" in lines[2] and "replaced by version 2" in lines[3]
    going = 300_000 + 1000 + folder_size(media, f"{film}cuts/3/") + folder_size(media, f"{film}cuts/1/")
    assert lines[-1].startswith("would free ") and f"({going} bytes)" in lines[-1]
    assert sizes(media) == before and partial.is_file()  # a dry run changes nothing

    done = dreamreel("prune", "--budget", str(budget), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("freed ")
    assert sizes(media) == needed_by_film and not partial.exists()
    assert 18 <= float(ffprobe(tmp_path / film / "cuts/2/film.mp4")["format"]["duration"]) <= 22  # still plays
    assert [(v.number, v.status) for v in requests.get(made.film_id).versions][-1] == (3, "failed")

    short = dreamreel("prune", "--budget", "1MB", "--out", str(tmp_path))
    assert short.returncode == 1 and sizes(media) == needed_by_film  # nothing of the current film goes
    assert short.stderr.strip().startswith("error: cannot get under 1.0 MB without touching current films")

    again = materialize([*film_assets, *final_cut_checks], selection=AssetSelection.assets("clips").downstream(),
                        partition_key=made.film_id, instance=instance, resources=made.resources)
    assert again.success  # a fix after pruning: every clip reused, a new version made
    clips = again.output_for_node("clips").clips
    assert again.asset_materializations_for_node("clips")[0].metadata["reused"].value == len(clips)
    assert again.output_for_node("final_cut").version == 4


def test_a_bad_budget_is_refused_in_one_line(tmp_path):
    refused = dreamreel("prune", "--budget", "lots", "--out", str(tmp_path))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "error: --budget: 'lots' is not a size: give a number and a unit, e.g. 20GB, 500MB or 1.5GiB"]


def test_the_plan_on_every_store_keeps_the_film_shown_and_what_it_reuses(media_store, request_store):
    from dreamreel_assets.prune import carry_out, plan_prune

    film = request_store.submit({"theme": "x"}).id
    request_store.set_status(film, "done")
    for number, status in ((1, "passed"), (2, "passed"), (3, "failed")):
        request_store.save_version(film, CutVersion(number=number, status=status,
                                                    created_at=datetime.now(timezone.utc)))
    needed = {f"films/{film}/script.json": 100, f"films/{film}/clips/s1-sh1-ab.mp4": 1000,
              f"films/{film}/cuts/2/film.mp4": 600}
    spare = {f"films/{film}/cuts/1/film.mp4": 500, f"films/{film}/cuts/3/film.mp4": 700,
             f"films/orphan-{film}/film.mp4": 800}
    for key, size in {**needed, **spare}.items():
        put(media_store, key, b"x" * size)

    mine = lambda: {f.key: f.size for f in media_store.files("films/") if film in f.key}  # noqa: E731
    plan = plan_prune(media_store, request_store, budget=0)
    assert [r.prefix for r in plan.removals if film in r.prefix] == [
        f"films/orphan-{film}/", f"films/{film}/cuts/3/", f"films/{film}/cuts/1/"]
    assert not plan.fits  # what is left the film needs
    for removal in plan.removals:
        if film in removal.prefix:
            carry_out(removal, media_store)
    assert mine() == needed
    assert plan_prune(media_store, request_store, budget=10**12).removals == []
