"""Voice presets: one file each in data/voices/, saying how each narrator backend speaks it."""

from __future__ import annotations

from pydantic import Field

from dreamreel_assets.catalog import CatalogModel, load_entries

NARRATOR_VOICE = "narrator-warm"
"""The narrator's voice, and any speaker's whose preset is missing or unknown."""


class EspeakVoice(CatalogModel):
    language: str = Field(min_length=1, description="An eSpeak voice, e.g. 'en-us'.")
    variant: str = Field(min_length=1, description="A file in espeak-ng-data/voices/!v.")
    pitch: int = Field(ge=0, le=100)
    pitch_range: int = Field(ge=0, le=100)
    rate: int = Field(ge=80, le=450, description="eSpeak's words per minute.")


class ElevenLabsVoice(CatalogModel):
    voice_id: str = Field(min_length=1)
    about: str = ""


class Voice(CatalogModel):
    name: str
    label: str = Field(min_length=1)
    description: str = ""
    espeak: EspeakVoice
    elevenlabs: ElevenLabsVoice


def voices() -> dict[str, Voice]:
    """Every voice preset by name: the built-in ones and those DREAMREEL_DATA_PATHS adds."""
    return load_entries("voices", Voice)
