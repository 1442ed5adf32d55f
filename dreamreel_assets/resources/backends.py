"""One resource per capability; `backend` picks the implementation, the rest configures it.

Embedded backends need no GPU, weights or network; the model-backed ones load their model once
per process through the `gpu` resource. Switching is configuration only: set `backend` (and the
model) in a run's config, or launch the `make_film_gpu` job, whose config selects the seed's stack.
"""

from typing import Literal

from dagster import ConfigurableResource, Failure


class BackendResource(ConfigurableResource):
    """A capability's backend choice and settings; `settings()` keys the media it makes."""

    def settings(self) -> dict:
        """Everything that shapes this backend's output (work made with equal settings is reused)."""
        return self.model_dump(exclude={"workers"})

from dreamreel_assets.backends.animator import Animator
from dreamreel_assets.backends.composer import Composer
from dreamreel_assets.backends.illustrator import Illustrator
from dreamreel_assets.backends.media_tools import VideoFormat
from dreamreel_assets.backends.narrator import Narrator
from dreamreel_assets.backends.writer import ScriptWriter
from dreamreel_assets.resources.gpu import GPUResource


class WriterResource(BackendResource):
    backend: Literal["template", "transformers", "openai"] = "template"
    model: str = "mistralai/Mistral-7B-Instruct-v0.3"
    """transformers: a local directory or hub id of a causal LM; openai: the served model's name."""
    base_url: str | None = None
    """openai: the OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1."""
    api_key: str | None = None
    """openai: the key; give it as {env: DREAMREEL_LLM_API_KEY} in run config, never inline."""
    max_new_tokens: int = 8192
    """A 10-minute script is about 10k characters of JSON; leave room for it."""
    temperature: float = 0.7
    max_attempts: int = 3
    """Invalid scripts are sent back for repair this many times in all before the step fails."""

    def build(self, gpu: GPUResource) -> ScriptWriter:
        if self.backend == "transformers":
            from dreamreel_assets.backends.writer.transformers_lm import load_transformers_writer

            return load_transformers_writer(self.model, gpu.accelerator(), max_new_tokens=self.max_new_tokens,
                                            temperature=self.temperature, max_attempts=self.max_attempts)
        if self.backend == "openai":
            from dreamreel_assets.backends.writer.openai_http import make_openai_writer

            # Local OpenAI-compatible servers often need no key, but the client insists on one.
            return make_openai_writer(self.base_url, self.api_key or "no-key", self.model,
                                      temperature=self.temperature, max_attempts=self.max_attempts)
        from dreamreel_assets.backends.writer.template import TemplateWriter

        return TemplateWriter()


class IllustratorResource(BackendResource):
    backend: Literal["procedural", "diffusers"] = "procedural"
    model: str = "stabilityai/stable-diffusion-xl-base-1.0"
    """diffusers: a local directory or hub id of an SD 1.5 or SDXL text-to-image pipeline."""
    steps: int | None = None
    """Denoising steps; unset: the model family's (30)."""
    guidance: float | None = None
    """Classifier-free guidance; unset: the family's (SD 1.5 7.5, SDXL 6.0)."""
    generation_pixels: int | None = None
    """Area generated at (the film's aspect), then resized to the keyframe size; unset: the family's
    (SD 1.5 512x512, SDXL 1024x1024: other sizes duplicate figures or lose detail)."""
    consistency_strength: float = 0.6
    """img2img strength from the character sheets for shots with characters (lower: closer to them)."""
    sheet_width: int = 512
    sheet_height: int = 768
    overscan: float = 1.25
    """Keyframes are drawn this much larger than the film's frame, leaving room for camera moves."""
    batch_size: int = 4
    """diffusers: keyframes of a scene drawn per pipeline call (fewer calls, fuller GPU; lower it if memory is short)."""
    safety_checker: bool = True
    """diffusers: load the model's own safety checker where it has one (SD 1.x; SDXL has none). A
    flagged picture is drawn again with the next seeds; flagged three times, the step fails saying so.
    Part of the pictures' key, so a picture drawn without the checker is never reused with it."""

    def build(self, gpu: GPUResource) -> Illustrator:
        if self.backend == "diffusers":
            from dreamreel_assets.backends.illustrator.diffusion import load_diffusion_illustrator

            return load_diffusion_illustrator(
                self.model, gpu.accelerator(), steps=self.steps, guidance=self.guidance,
                generation_pixels=self.generation_pixels, consistency_strength=self.consistency_strength,
                batch_size=self.batch_size, safety_checker=self.safety_checker,
            )
        from dreamreel_assets.backends.illustrator.painter import ProceduralPainter

        return ProceduralPainter()

    def keyframe_size(self, film_size: tuple[int, int]) -> tuple[int, int]:
        return round(film_size[0] * self.overscan), round(film_size[1] * self.overscan)


ANIMATOR_DEFAULTS: dict[str, dict] = {
    "cogvideox": {"model": "THUDM/CogVideoX-5b-I2V", "steps": 50, "guidance": 6.0, "num_frames": 49,
                  "native_fps": 8, "generation_width": 720, "generation_height": 480},
    "ltx-video": {"model": "Lightricks/LTX-Video-0.9.7-distilled", "steps": 8, "guidance": 1.0,
                  "num_frames": 121, "native_fps": 24, "generation_width": 768, "generation_height": 512},
}
"""Each video model's own settings, for whatever the config leaves unset."""


class AnimatorResource(BackendResource):
    backend: Literal["camera-moves", "cogvideox", "ltx-video"] = "camera-moves"
    model: str | None = None
    """A local directory or hub id of the image-to-video pipeline; unset: THUDM/CogVideoX-5b-I2V
    (cogvideox) or Lightricks/LTX-Video-0.9.7-distilled (ltx-video)."""
    steps: int | None = None
    """Denoising steps per clip; unset: the model's (cogvideox 50, ltx-video 8)."""
    guidance: float | None = None
    """Classifier-free guidance; unset: the model's (cogvideox 6.0, ltx-video 1.0: distilled, none)."""
    num_frames: int | None = None
    """Frames per generated clip; unset: the model's (cogvideox 49, its only count; ltx-video 121)."""
    native_fps: int | None = None
    """The model's frame rate; unset: cogvideox 8, ltx-video 24."""
    generation_width: int | None = None
    generation_height: int | None = None
    """Landscape generation size, portrait films swap the two; unset: cogvideox 720x480, ltx-video 768x512."""
    scheduler: Literal["dpm", "ddim"] = "dpm"
    """cogvideox: dpm (CogVideoXDPMScheduler, trailing timesteps, as the model card) or the saved DDIM."""
    dynamic_cfg: bool = True
    """cogvideox: raise guidance along the schedule (needs scheduler dpm)."""
    step_cache: Literal["none", "first-block", "pyramid-attention"] = "none"
    """cogvideox: reuse transformer work between similar steps (faster, a little less detail)."""
    workers: int = 2
    """Clips made at once by the embedded animator (two keep both cores of a small machine busy).
    Model backends make one clip at a time whatever this says: one GPU gains nothing from two."""

    def effective_workers(self) -> int:
        return self.workers if self.backend == "camera-moves" else 1

    def model_settings(self) -> dict:
        """The video model's settings: what the config gives, the model's own for the rest."""
        given = {name: getattr(self, name) for name in ANIMATOR_DEFAULTS["cogvideox"]}
        return {name: value if value is not None else ANIMATOR_DEFAULTS[self.backend][name]
                for name, value in given.items()}

    def build(self, gpu: GPUResource) -> Animator:
        if self.backend == "camera-moves":
            from dreamreel_assets.backends.animator.camera import CameraMoveAnimator

            return CameraMoveAnimator()
        chosen = self.model_settings()
        settings = {"steps": chosen["steps"], "guidance": chosen["guidance"], "num_frames": chosen["num_frames"],
                    "native_fps": chosen["native_fps"],
                    "generation_size": (chosen["generation_width"], chosen["generation_height"])}
        try:
            if self.backend == "ltx-video":
                from dreamreel_assets.backends.animator.ltx_video import load_ltx_video_animator

                return load_ltx_video_animator(chosen["model"], gpu.accelerator(), **settings)
            from dreamreel_assets.backends.animator.cogvideox import load_cogvideox_animator

            return load_cogvideox_animator(chosen["model"], gpu.accelerator(), scheduler=self.scheduler,
                                           step_cache=self.step_cache, use_dynamic_cfg=self.dynamic_cfg, **settings)
        except ValueError as error:
            raise Failure(description=f"animator: {error}", allow_retries=False) from None


class NarratorResource(BackendResource):
    backend: Literal["espeak-ng", "elevenlabs"] = "espeak-ng"
    elevenlabs_model: str = "eleven_multilingual_v2"
    """elevenlabs: the speech model (multilingual v2 speaks 29 languages)."""
    voices: dict[str, str] = {}
    """elevenlabs: voice preset -> voice id, over the defaults (premade voices; `dreamreel voices`
    lists your account's). Presets: narrator-warm, narrator-deep, female-bright, female-soft,
    male-deep, male-gravelly, child-light, elder-creaky."""
    max_concurrency: int = 2
    """elevenlabs: requests at once; your plan's limit (free: 2, up to 15)."""
    max_tries: int = 4
    """elevenlabs: tries of a line through 429s, 5xx and timeouts before the stage fails."""
    timeout_s: float = 60.0
    base_url: str | None = None
    """elevenlabs: another API address (e.g. a data-residency one); default ElevenLabs' own."""

    def build(self) -> Narrator:
        if self.backend == "elevenlabs":
            return self._elevenlabs()
        from dreamreel_assets.backends.narrator.espeak import EspeakNarrator

        return EspeakNarrator()

    def _elevenlabs(self) -> Narrator:
        import os

        from elevenlabs import ElevenLabs

        from dreamreel_assets.backends.narrator.elevenlabs import ElevenLabsNarrator
        from dreamreel_assets.resources.stores import data_dir

        key = os.environ.get("ELEVENLABS_API_KEY", "").strip()
        if not key:
            raise Failure("ElevenLabs narration needs an API key: set ELEVENLABS_API_KEY where the runs start")
        client = ElevenLabs(api_key=key, base_url=self.base_url, timeout=self.timeout_s)
        return ElevenLabsNarrator(client, model_id=self.elevenlabs_model, voice_ids=self.voices,
                                  max_concurrency=self.max_concurrency, max_tries=self.max_tries,
                                  cache_dir=data_dir() / "cache" / "elevenlabs")


class ComposerResource(BackendResource):
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
