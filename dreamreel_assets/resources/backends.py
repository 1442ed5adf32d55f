"""One resource per capability; `backend` picks the implementation, the rest configures it.

Issue 3 adds the model-backed choices (LLM, Stable Diffusion, CogVideoX, ElevenLabs) next to the
embedded ones, so switching a film to real models is a change of configuration only.
"""

from __future__ import annotations

from typing import Literal

from dagster import ConfigurableResource

from dreamreel_assets.backends.animator import Animator
from dreamreel_assets.backends.composer import Composer
from dreamreel_assets.backends.illustrator import Illustrator
from dreamreel_assets.backends.media_tools import VideoFormat
from dreamreel_assets.backends.narrator import Narrator
from dreamreel_assets.backends.writer import ScriptWriter
from dreamreel_assets.resources.gpu import GPUResource


class WriterResource(ConfigurableResource):
    backend: Literal["template"] = "template"

    def build(self, gpu: GPUResource) -> ScriptWriter:
        from dreamreel_assets.backends.writer.template import TemplateWriter

        return TemplateWriter()


class IllustratorResource(ConfigurableResource):
    backend: Literal["procedural"] = "procedural"
    sheet_width: int = 512
    sheet_height: int = 768
    overscan: float = 1.25
    """Keyframes are drawn this much larger than the film's frame, leaving room for camera moves."""

    def build(self, gpu: GPUResource) -> Illustrator:
        from dreamreel_assets.backends.illustrator.painter import ProceduralPainter

        return ProceduralPainter()

    def keyframe_size(self, film_size: tuple[int, int]) -> tuple[int, int]:
        return round(film_size[0] * self.overscan), round(film_size[1] * self.overscan)


class AnimatorResource(ConfigurableResource):
    backend: Literal["camera-moves"] = "camera-moves"
    workers: int = 2
    """Clips made at once. Two keep both cores of a small machine busy; use 1 for one GPU."""

    def build(self, gpu: GPUResource) -> Animator:
        from dreamreel_assets.backends.animator.camera import CameraMoveAnimator

        return CameraMoveAnimator()


class NarratorResource(ConfigurableResource):
    backend: Literal["espeak-ng"] = "espeak-ng"

    def build(self) -> Narrator:
        from dreamreel_assets.backends.narrator.espeak import EspeakNarrator

        return EspeakNarrator()


class ComposerResource(ConfigurableResource):
    backend: Literal["synth"] = "synth"

    def build(self) -> Composer:
        from dreamreel_assets.backends.composer.synth import SynthComposer

        return SynthComposer()


class AssemblerResource(ConfigurableResource):
    """The film's format: clips are encoded in it once and copied into the final cut."""

    fps: int = 24
    preset: str = "veryfast"
    """x264 preset of every clip and transition."""
    crf: int = 20
    audio_bitrate: str = "160k"
    target_lufs: float = -16.0
    music_duck_db: float = -14.0

    def video_format(self, size: tuple[int, int]) -> VideoFormat:
        return VideoFormat(width=size[0], height=size[1], fps=self.fps, preset=self.preset, crf=self.crf)
