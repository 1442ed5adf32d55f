"""The domain model: what a person asks for and what each stage of the film produces.

Everything that crosses a boundary (CLI, API, store, asset to asset) is one of these pydantic
models. Media never travels in them: manifests carry paths relative to the media store, hashes,
seeds, durations and backend names.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from dreamreel_assets.languages import ENGLISH, LanguageCode

Mood = Literal["heroic", "playful", "tender", "wondrous", "dread", "suspense", "warm", "ethereal"]
Aspect = Literal["16:9", "9:16"]
SubtitleStyle = Literal["soft", "burned"]
ShotType = Literal["establishing", "wide", "medium", "close-up", "over-the-shoulder"]
CameraMove = Literal["static", "push-in", "pull-out", "pan-left", "pan-right", "tilt-up", "tilt-down"]
Age = Literal["child", "young", "adult", "elder"]

MOODS: tuple[str, ...] = get_args(Mood)
CAMERA_MOVES: tuple[str, ...] = get_args(CameraMove)


def _catalog_names(kind: str) -> tuple[str, ...]:
    """The names of the catalog's genres, styles or voices (dreamreel_assets/catalog), as they are now."""
    from dreamreel_assets.catalog import genres, styles, voices  # the catalog's models use this module

    return tuple({"genres": genres.genres, "styles": styles.styles, "voices": voices.voices}[kind]())


def _in_catalog(kind: str):
    def check(value: str) -> str:
        names = _catalog_names(kind)
        if value not in names:
            expected = " or ".join(filter(None, [", ".join(map(repr, names[:-1])), *map(repr, names[-1:])]))
            if not names:
                raise PydanticCustomError("literal_error", "the catalog has no {kind}", {"kind": kind})
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value
    return check


Genre = Annotated[str, AfterValidator(_in_catalog("genres"))]
"""A genre of the catalog (data/genres)."""
Style = Annotated[str, AfterValidator(_in_catalog("styles"))]
"""A visual style of the catalog."""
VoicePreset = Annotated[str, AfterValidator(_in_catalog("voices"))]
"""A voice preset of the catalog (data/voices)."""


def __getattr__(name: str):
    # GENRES, STYLES, VOICE_PRESETS and GENRE_MOOD come from the catalog when asked for, so they
    # follow DREAMREEL_DATA_PATHS; new code can ask the catalog itself.
    if name in ("GENRES", "STYLES", "VOICE_PRESETS"):
        return _catalog_names({"GENRES": "genres", "STYLES": "styles", "VOICE_PRESETS": "voices"}[name])
    if name == "GENRE_MOOD":
        from dreamreel_assets.catalog.genres import genres

        return {genre.name: genre.mood for genre in genres().values()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


NARRATOR = "narrator"
"""Speaker id of the narrator in `Line.speaker`; every other speaker is a `Character.id`."""

THEME_MIN, THEME_MAX = 3, 500
MINUTES_MIN, MINUTES_MAX = 5, 10
PREVIEW_MIN_SECONDS = 20


class DreamReelModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilmRequest(DreamReelModel):
    """What a person asks for in the form. Validation here is the single source of truth."""

    genre: Genre
    theme: str = Field(description="Free text, 3-500 printable characters after trimming.")
    style: Style
    minutes: int = Field(5, ge=MINUTES_MIN, le=MINUTES_MAX)
    aspect: Aspect = "16:9"
    seed: int = Field(0, ge=0, lt=2**31)
    preview_seconds: int | None = Field(
        None,
        ge=PREVIEW_MIN_SECONDS,
        le=MINUTES_MAX * 60,
        description="Test-and-preview setting: make a film this long instead of `minutes`.",
    )
    language: LanguageCode = Field(ENGLISH, description="What the film is written, spoken and subtitled in.")
    subtitles: SubtitleStyle = Field(
        "soft",
        description="soft: a subtitle track players can switch on and off; burned: drawn into the "
                    "picture, for phones and feeds that play films muted.",
    )

    @field_validator("theme", mode="before")
    @classmethod
    def _theme_is_printable(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        value = _printable(value.strip())
        if len(value) < THEME_MIN:
            raise ValueError(f"must be at least {THEME_MIN} characters after trimming")
        if len(value) > THEME_MAX:
            raise ValueError(f"must be at most {THEME_MAX} characters")
        _enough_visible(value)
        return value

    @property
    def mood(self) -> Mood:
        from dreamreel_assets.catalog.genres import genres

        return genres()[self.genre].mood

    @property
    def target_seconds(self) -> float:
        return float(self.preview_seconds or self.minutes * 60)

    @property
    def resolution(self) -> tuple[int, int]:
        return (1280, 720) if self.aspect == "16:9" else (720, 1280)

    def film_id(self) -> str:
        """A readable, content-derived id: `<slug-of-theme>-<hash>`; a valid partition key."""
        # Fields added since the first films count only when set, so earlier films keep their ids.
        later = {name for name in ("language", "subtitles") if getattr(self, name) == type(self).model_fields[name].default}
        digest = hashlib.sha256(self.model_dump_json(exclude=later).encode()).hexdigest()[:8]
        ascii_theme = unicodedata.normalize("NFKD", self.theme).encode("ascii", "ignore").decode()
        words = re.findall(r"[a-z0-9]+", ascii_theme.lower())[:5]
        slug = "-".join(words)[:40].strip("-") or "film"
        return f"{slug}-{digest}"


FixStage = Literal["keyframes", "clips", "narration", "music"]
FIX_STAGES: tuple[str, ...] = get_args(FixStage)
FIX_NOTE_MAX = 300
SHOT_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that reorder the text shown around them (a theme could show one thing and say another)."""
REFUSED_CATEGORIES = {
    "Cc": "control characters", "Cs": "unpaired surrogates", "Co": "private-use characters",
    "Cn": "unassigned code points",
}
VISIBLE_MIN = 3


def _printable(value: str) -> str:
    """`value` if every character may be shown; ValueError naming the first that may not."""
    for ch in value:
        if ch in BIDI_CONTROLS:
            raise ValueError(f"must not contain bidirectional control characters (U+{ord(ch):04X})")
        category = unicodedata.category(ch)
        if category in REFUSED_CATEGORIES:
            raise ValueError(f"must not contain {REFUSED_CATEGORIES[category]} (U+{ord(ch):04X})")
    return value


def _enough_visible(value: str) -> None:
    """At least VISIBLE_MIN characters that show: not spaces, format characters or lone marks."""
    visible = sum(1 for ch in value if unicodedata.category(ch)[0] not in "ZCM")
    if visible < VISIBLE_MIN:
        raise ValueError(f"must have at least {VISIBLE_MIN} visible characters (spaces and invisible "
                         f"characters do not count)")


class FixRequest(DreamReelModel):
    """One part of a finished film to make again: a stage, for a scene or a shot, with a note.

    keyframes and clips take a shot or a scene (all of its shots); narration takes a scene;
    music is one piece for the whole film and takes neither. The note joins the prompt of what
    is redone; every redo is a new take (a new seed), so asking twice gives two new versions.
    """

    stage: FixStage
    scene: int | None = Field(None, ge=1, le=5)
    shot: str | None = Field(None, pattern=SHOT_ID)
    note: str = Field("", max_length=FIX_NOTE_MAX)

    @field_validator("note", mode="before")
    @classmethod
    def _note_is_printable(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        value = _printable(value.strip())
        if value:
            _enough_visible(value)
        return value

    @model_validator(mode="after")
    def _target_fits_stage(self) -> FixRequest:
        if self.scene is not None and self.shot is not None:
            raise ValueError("name a scene or a shot, not both")
        if self.stage in ("keyframes", "clips") and self.scene is None and self.shot is None:
            raise ValueError(f"{self.stage}: name the shot or the scene to redo")
        if self.stage == "narration" and (self.scene is None or self.shot is not None):
            raise ValueError("narration: name the scene to speak again")
        if self.stage == "music" and (self.scene is not None or self.shot is not None):
            raise ValueError("music: the score is one piece; name no scene or shot")
        return self

    def target_problem(self, script: Script) -> tuple[str, str] | None:
        """(field, message) when the scene or shot is not one of the film's own."""
        if self.scene is not None and self.scene not in {scene.index for scene in script.scenes}:
            return "scene", f"this film has scenes 1-{len(script.scenes)}"
        if self.shot is not None and self.shot not in {shot.id for shot in script.shots}:
            return "shot", "is not a shot of this film"
        return None

    def covers(self, scene_index: int, shot_id: str | None = None) -> bool:
        """Whether this fix redoes the given scene (or one shot of it)."""
        if self.shot is not None:
            return shot_id == self.shot
        return self.scene is None or self.scene == scene_index


def describe_validation_error(error: Exception) -> str:
    """One line naming the field and what is wrong, for people rather than programmers."""
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        return str(error)
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "request"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "literal_error":
        message = f"unknown value {first.get('input')!r}; {message.lower()}"
    return f"{field}: {message}"


# --- the script ---------------------------------------------------------------------------


class Character(DreamReelModel):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    role: str = Field(description="Their part in the story, e.g. 'the keeper', 'the rival'.")
    age: Age = "adult"
    look: str = Field(description="Visual description used for character sheets and keyframes.")
    voice: VoicePreset


class Line(DreamReelModel):
    speaker: str = Field(description="'narrator' or a Character.id")
    text: Annotated[str, Field(min_length=1)]


class Shot(DreamReelModel):
    id: str = Field(description="Stable id, e.g. 's2-sh3' (scene 2, shot 3).")
    description: str = Field(description="What the picture shows; the image prompt.")
    shot_type: ShotType
    camera: CameraMove
    characters: list[str] = Field(default_factory=list, description="Character ids in frame.")
    weight: float = Field(1.0, gt=0, description="Relative share of the scene's running time.")
    motion: str = Field("", max_length=600, description=(
        "What moves in the shot and how (people, animals, weather, light), one to three sentences for "
        "the video model, in English."))


class Scene(DreamReelModel):
    index: int = Field(ge=1)
    title: str
    setting: str = Field(description="Where and when; shared by the scene's shots.")
    lines: list[Line] = Field(min_length=1)
    shots: list[Shot] = Field(min_length=3)

    @property
    def narration(self) -> str:
        return " ".join(line.text for line in self.lines)


class Script(DreamReelModel):
    title: str
    logline: str
    genre: Genre
    style: Style
    mood: Mood
    language: LanguageCode = Field(ENGLISH, description="What its titles and lines are written in.")
    characters: list[Character] = Field(min_length=2, max_length=4)
    scenes: list[Scene] = Field(min_length=3, max_length=5)

    @model_validator(mode="after")
    def _references_resolve(self) -> Script:
        ids = {c.id for c in self.characters}
        if len(ids) != len(self.characters):
            raise ValueError("character ids must be unique")
        for scene_number, scene in enumerate(self.scenes, start=1):
            if scene.index != scene_number:
                raise ValueError(f"scene {scene_number} has index {scene.index}")
            for line in scene.lines:
                if line.speaker != NARRATOR and line.speaker not in ids:
                    raise ValueError(f"scene {scene.index}: unknown speaker {line.speaker!r}")
            for shot in scene.shots:
                unknown = set(shot.characters) - ids
                if unknown:
                    raise ValueError(f"shot {shot.id}: unknown characters {sorted(unknown)}")
        return self

    @property
    def shots(self) -> list[Shot]:
        return [shot for scene in self.scenes for shot in scene.shots]

    @property
    def word_count(self) -> int:
        return sum(len(scene.narration.split()) for scene in self.scenes)

    def character(self, character_id: str) -> Character:
        return next(c for c in self.characters if c.id == character_id)

    def to_markdown(self) -> str:
        out = [f"# {self.title}", "", f"*{self.logline}*", "", "## Characters", ""]
        out += [f"- **{c.name}** ({c.role}, {c.age}, voice {c.voice}): {c.look}" for c in self.characters]
        for scene in self.scenes:
            out += ["", f"## Scene {scene.index}: {scene.title}", "", f"_{scene.setting}_", ""]
            for line in scene.lines:
                who = "Narrator" if line.speaker == NARRATOR else self.character(line.speaker).name
                out.append(f"> **{who}:** {line.text}")
            out.append("")
            out += [f"{i}. `{s.shot_type}` / `{s.camera}`: {s.description}" for i, s in enumerate(scene.shots, 1)]
        return "\n".join(out)


# --- manifests passed between assets --------------------------------------------------------


class MediaRef(DreamReelModel):
    """A file in the media store: key relative to the store root, plus its content hash."""

    key: str
    sha256: str


class CharacterSheet(DreamReelModel):
    character_id: str
    image: MediaRef
    seed: int


class CharacterSheets(DreamReelModel):
    backend: str
    sheets: list[CharacterSheet]


class Keyframe(DreamReelModel):
    shot_id: str
    scene_index: int
    image: MediaRef
    seed: int
    width: int
    height: int


class Keyframes(DreamReelModel):
    backend: str
    keyframes: list[Keyframe]

    def for_shot(self, shot_id: str) -> Keyframe:
        return next(k for k in self.keyframes if k.shot_id == shot_id)


class Cue(DreamReelModel):
    """A subtitle cue: seconds from the start of its scene's narration."""

    start: float
    end: float
    speaker: str
    text: str


class SceneNarration(DreamReelModel):
    scene_index: int
    audio: MediaRef
    duration_s: float
    sample_rate: int
    cues: list[Cue]


class Narration(DreamReelModel):
    backend: str
    scenes: list[SceneNarration]


class ShotTiming(DreamReelModel):
    shot_id: str
    scene_index: int
    start: float
    duration: float


class SceneTiming(DreamReelModel):
    scene_index: int
    start: float = Field(description="Film time the scene starts (its cross-fade in begins).")
    duration: float
    narration_start: float = Field(description="Film time its narration starts.")
    shots: list[ShotTiming]


class Timeline(DreamReelModel):
    fps: int
    transition_s: float
    duration: float
    scenes: list[SceneTiming]


class Clip(DreamReelModel):
    shot_id: str
    scene_index: int
    video: MediaRef
    duration_s: float
    frames: int
    camera: CameraMove


class Clips(DreamReelModel):
    backend: str
    width: int
    height: int
    fps: int
    clips: list[Clip]


class Music(DreamReelModel):
    backend: str
    audio: MediaRef
    duration_s: float
    mood: Mood
    tempo_bpm: float
    key: str


class FinalCut(DreamReelModel):
    film_id: str
    video: MediaRef
    subtitles: MediaRef
    """WebVTT, also muxed into the film."""
    srt: MediaRef | None = None
    """The same cues as SubRip."""
    poster: MediaRef
    duration_s: float
    width: int
    height: int
    fps: int
    timeline: Timeline
    target_lufs: float
    version: int | None = None
    """Its number among the film's cuts (`films/<id>/cuts/<n>/`); None: made before versions."""
    editable_timeline: MediaRef | None = None
    """The film as an OpenTimelineIO bundle (`.otioz`): clips, cross-fades, audio, markers, media."""
