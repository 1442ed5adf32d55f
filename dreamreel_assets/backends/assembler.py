"""Putting the film together with FFmpeg: scenes, cross-fades, the mixed soundtrack, subtitles.

The soundtrack is mixed in numpy (narration placed on the timeline, music ducked under speech,
integrated loudness normalised with pyloudnorm's ITU-R BS.1770 meter), then muxed by the one
FFmpeg pass that also cross-fades the scenes and encodes the film.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
import numpy as np
import pyloudnorm
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage, signal
from scipy.io import wavfile

from dreamreel_assets.backends.media_tools import ffmpeg_exe
from dreamreel_assets.models import Cue, Timeline

SAMPLE_RATE = 48_000
PEAK_CEILING = 0.89  # about -1 dBFS


@dataclass(frozen=True)
class SpeechPlacement:
    samples: np.ndarray  # mono float32
    sample_rate: int
    start_s: float


@dataclass(frozen=True)
class EncodeSettings:
    preset: str = "veryfast"
    crf: int = 20
    audio_bitrate: str = "160k"


# --- audio ---------------------------------------------------------------------------------


def mix_soundtrack(
    speech: list[SpeechPlacement], music: np.ndarray, duration_s: float,
    target_lufs: float = -16.0, duck_db: float = -14.0,
) -> np.ndarray:
    """Stereo float32 at 48 kHz, exactly `duration_s` long, at `target_lufs` integrated."""
    length = round(duration_s * SAMPLE_RATE)
    voice = np.zeros(length, np.float32)
    for part in speech:
        samples = _resample(part.samples, part.sample_rate)
        start = round(part.start_s * SAMPLE_RATE)
        end = min(start + len(samples), length)
        voice[start:end] += samples[: end - start]
    bed = _fit_length(music.astype(np.float32, copy=False), length)
    bed *= _duck_gain(voice, duck_db)[:, None]
    mix = bed
    mix += voice[:, None] * 0.9
    del voice
    return normalise_loudness(mix, target_lufs)


def normalise_loudness(mix: np.ndarray, target_lufs: float) -> np.ndarray:
    """Gain to the integrated-loudness target, then a soft knee that keeps peaks under -1 dBFS."""
    meter = pyloudnorm.Meter(SAMPLE_RATE)
    loudness = meter.integrated_loudness(mix)
    if math.isfinite(loudness):
        mix *= np.float32(10 ** ((target_lufs - loudness) / 20))
    over = np.abs(mix) > PEAK_CEILING * 0.8
    if over.any():
        knee = PEAK_CEILING * 0.8
        headroom = PEAK_CEILING - knee
        excess = np.abs(mix[over]) - knee
        mix[over] = np.sign(mix[over]) * (knee + headroom * np.tanh(excess / headroom))
    return mix


def measure_lufs(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(samples))


def _duck_gain(voice: np.ndarray, duck_db: float, block_s: float = 0.01) -> np.ndarray:
    """Music gain per sample: down by `duck_db` while someone speaks, with soft attack/release."""
    block = int(SAMPLE_RATE * block_s)
    blocks = len(voice) // block + 1
    padded = np.zeros(blocks * block, np.float32)
    padded[: len(voice)] = np.abs(voice)
    level = padded.reshape(blocks, block).max(axis=1)
    speaking = (level > 0.02).astype(np.float32)
    speaking = ndimage.maximum_filter1d(speaking, size=int(0.35 / block_s))  # hold through short gaps
    speaking = ndimage.uniform_filter1d(speaking, size=int(0.25 / block_s))  # smooth attack/release
    gain_blocks = 1 - (1 - 10 ** (duck_db / 20)) * speaking
    positions = (np.arange(len(voice)) + 0.5) / block
    return np.interp(positions, np.arange(blocks) + 0.5, gain_blocks).astype(np.float32)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == SAMPLE_RATE:
        return samples.astype(np.float32, copy=False)
    divisor = math.gcd(SAMPLE_RATE, rate)
    return signal.resample_poly(samples, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)


def _fit_length(audio: np.ndarray, length: int) -> np.ndarray:
    if len(audio) >= length:
        return audio[:length].copy()
    return np.concatenate([audio, np.zeros((length - len(audio), audio.shape[1]), np.float32)])


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    pcm = np.clip(samples, -1, 1)
    wavfile.write(path, sample_rate, (pcm * 32767).astype(np.int16))


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    rate, pcm = wavfile.read(path, mmap=True)
    return pcm.astype(np.float32) / 32767, rate


# --- subtitles -----------------------------------------------------------------------------


def webvtt(cues: list[Cue], speaker_names: dict[str, str]) -> str:
    """A WebVTT document; dialogue cues carry their speaker as a voice span."""
    blocks = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        name = speaker_names.get(cue.speaker)
        text = _vtt_escape(cue.text)
        blocks += [str(number), f"{_vtt_time(cue.start)} --> {_vtt_time(cue.end)}",
                   f"<v {_vtt_escape(name)}>{text}" if name else text, ""]
    return "\n".join(blocks)


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "->")


# --- video ---------------------------------------------------------------------------------


def join_clips(clips: list[Path], out_path: Path) -> None:
    """Cut a scene's clips together without re-encoding (they share codec and settings)."""
    listing = out_path.with_suffix(".txt")
    listing.write_text("".join(f"file '{p.resolve().as_posix()}'\n" for p in clips))
    (
        ffmpeg.input(str(listing), format="concat", safe=0)
        .output(str(out_path), c="copy", movflags="+faststart")
        .overwrite_output()
        .global_args("-loglevel", "error", "-nostdin")
        .run(cmd=ffmpeg_exe(), capture_stderr=True)
    )
    listing.unlink()


def render_film(
    scene_videos: list[Path], timeline: Timeline, soundtrack: Path, subtitles: Path,
    out_path: Path, settings: EncodeSettings = EncodeSettings(),
) -> None:
    """One encode: scenes cross-faded at their timeline starts, soundtrack, soft subtitles."""
    video = ffmpeg.input(str(scene_videos[0])).video
    for scene, path in zip(timeline.scenes[1:], scene_videos[1:]):
        video = ffmpeg.filter(
            [video, ffmpeg.input(str(path)).video], "xfade",
            transition="fade", duration=timeline.transition_s, offset=f"{scene.start:.6f}",
        )
    video = video.filter("format", "yuv420p")
    audio = ffmpeg.input(str(soundtrack)).audio
    subs = ffmpeg.input(str(subtitles))
    try:
        (
            ffmpeg.output(
                video, audio, subs, str(out_path),
                vcodec="libx264", preset=settings.preset, crf=settings.crf, r=timeline.fps,
                acodec="aac", audio_bitrate=settings.audio_bitrate, ar=SAMPLE_RATE,
                scodec="mov_text", movflags="+faststart", t=f"{timeline.duration:.6f}",
                **{"metadata:s:s:0": "language=eng"},
            )
            .overwrite_output()
            .global_args("-loglevel", "error", "-nostdin")
            .run(cmd=ffmpeg_exe(), capture_stderr=True)
        )
    except ffmpeg.Error as error:
        raise RuntimeError(f"ffmpeg failed rendering the film: {error.stderr.decode()[-800:]}") from error


def poster(keyframe: Image.Image, size: tuple[int, int], title: str) -> Image.Image:
    """The film's first picture, cropped to the film's frame, with its title."""
    frame = _cover(keyframe.convert("RGB"), size)
    draw = ImageDraw.Draw(frame, "RGBA")
    width, height = size
    font = ImageFont.load_default(size=max(24, width // 22))
    box = draw.textbbox((0, 0), title, font=font)
    text_w, text_h = box[2] - box[0], box[3] - box[1]
    if text_w > width * 0.9:
        font = ImageFont.load_default(size=max(14, int(font.size * width * 0.9 / text_w)))
        box = draw.textbbox((0, 0), title, font=font)
        text_w, text_h = box[2] - box[0], box[3] - box[1]
    y = int(height * 0.78)
    draw.rectangle((0, y - text_h, width, y + text_h * 2), fill=(0, 0, 0, 140))
    draw.text(((width - text_w) / 2, y - box[1]), title, font=font, fill=(255, 255, 255, 255))
    return frame


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    scale = max(size[0] / image.width, size[1] / image.height)
    resized = image.resize((math.ceil(image.width * scale), math.ceil(image.height * scale)), Image.LANCZOS)
    left, top = (resized.width - size[0]) // 2, (resized.height - size[1]) // 2
    return resized.crop((left, top, left + size[0], top + size[1]))
