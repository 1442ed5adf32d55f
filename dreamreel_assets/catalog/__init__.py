"""The catalog: genres, voices and styles as data files, validated when they load.

Each kind of entry is a folder of TOML files, one entry a file, named by the file:
`dreamreel_assets/data/<kind>/<name>.toml`, then `<folder>/<kind>/<name>.toml` for every folder in
the setting DREAMREEL_DATA_PATHS (os.pathsep-separated). A later folder's file replaces an
earlier one of the same name, so a deployment can add entries or change the built-in ones
without touching the package. The setting is read on each call (never at import), and what it
names is loaded once per value.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

DATA_PATHS_SETTING = "DREAMREEL_DATA_PATHS"
BUILT_IN = Path(__file__).resolve().parent.parent / "data"

Entry = TypeVar("Entry", bound=BaseModel)


class CatalogError(ValueError):
    """A data file that cannot be read or does not fit its model; the message names the file and field."""


class CatalogModel(BaseModel):
    """Base of catalog entries: unknown fields are mistakes, and entries never change once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def data_folders(setting: str | None = None) -> tuple[Path, ...]:
    """The built-in data folder, then each folder DREAMREEL_DATA_PATHS names, in order."""
    value = os.environ.get(DATA_PATHS_SETTING, "") if setting is None else setting
    return (BUILT_IN, *(Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()))


def load_entries(kind: str, model: type[Entry]) -> dict[str, Entry]:
    """Every entry of `kind` by name, validated by `model`, in name order; CatalogError when one is bad."""
    return dict(_load_entries(kind, model, os.environ.get(DATA_PATHS_SETTING, "")))


@lru_cache(maxsize=64)
def _load_entries(kind: str, model: type[Entry], setting: str) -> tuple[tuple[str, Entry], ...]:
    files: dict[str, tuple[Path, Path]] = {}
    for folder in data_folders(setting):
        for path in sorted((folder / kind).glob("*.toml")):
            files[path.stem] = (folder, path)
    return tuple((name, load_file(path, model, shown_as(folder, path))) for name, (folder, path) in sorted(files.items()))


def shown_as(folder: Path, path: Path) -> str:
    """How errors name a file: relative to the built-in data folder, or in full for one of yours."""
    return str(path.relative_to(folder)) if folder == BUILT_IN else str(path)


def load_file(path: Path, model: type[Entry], shown: str | None = None) -> Entry:
    """One TOML file validated by `model`; an entry's `name` field, if it has one, is the file's name."""
    shown = shown or path.name
    try:
        fields = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CatalogError(f"{shown}: {error}") from None
    if "name" in model.model_fields:
        if fields.setdefault("name", path.stem) != path.stem:
            raise CatalogError(f"{shown}: name: must be the file's name, {path.stem!r} (or left out)")
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise CatalogError(f"{shown}: {describe_errors(error)}") from None


def describe_errors(error: ValidationError) -> str:
    """'beats.setup.0: Input should be a valid string; mood: ...', each field with what is wrong."""
    return "; ".join(f"{'.'.join(str(part) for part in detail['loc']) or 'file'}: "
                     f"{detail['msg'].removeprefix('Value error, ')}" for detail in error.errors())
