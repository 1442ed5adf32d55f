"""Putting the film together: scenes, cross-fades, the mixed soundtrack, subtitles, poster.

The picture is the clips themselves, copied without re-encoding, with only the cross-fades
between scenes encoded. The soundtrack is mixed in numpy (narration placed on the timeline,
music ducked under speech, integrated loudness normalised with pyloudnorm's ITU-R BS.1770
meter), then FFmpeg muxes picture, AAC sound and subtitles into the MP4.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import cv2
import ffmpeg
import numpy as np
import pyloudnorm
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage, signal
from scipy.io import wavfile

from dreamreel_assets.backends.media_tools import H264Writer, VideoFormat, copy_frames, ffmpeg_exe, read_frames
from dreamreel_assets.models import Cue, SceneTiming, Timeline
from dreamreel_assets.subtitles import MAX_LINE_CHARS
from dreamreel_assets.timeline import shot_frames, transition_bounds

SAMPLE_RATE = 48_000
PEAK_CEILING = 0.79  # about -2 dBFS: AAC encoding overshoots sample peaks by up to about 1 dB


@dataclass(frozen=True)
class SpeechPlacement:
    samples: np.ndarray  # mono float32
    sample_rate: int
    start_s: float


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
    """Gain to the integrated-loudness target, then a soft knee that keeps peaks under -2 dBFS (so
    the encoded film's true peak stays under -1 dBTP)."""
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


def true_peak_dbtp(samples: np.ndarray) -> float:
    """The highest peak between samples too (ITU-R BS.1770-4: four times oversampled), in dBTP."""
    from scipy.signal import resample_poly

    peak = max(float(np.abs(resample_poly(samples, 4, 1, axis=0)).max(initial=0.0)), 1e-9)
    return 20 * math.log10(peak)


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


# --- video ---------------------------------------------------------------------------------


FadeFile = Callable[[SceneTiming, SceneTiming, Callable[[Path], None]], Path]
"""(scene before, scene after, render(path)) -> the cross-fade's file: made by `render`, or one made before."""


def cut_video(
    clip_paths: dict[str, Path], timeline: Timeline, video: VideoFormat, work: Path, out_path: Path,
    fade_file: FadeFile | None = None,
) -> int:
    """The film's picture: each scene's clips as they are, and a cross-fade encoded between scenes.

    Clips carry keyframes where the fades begin and end, so only the fades are encoded here (or
    taken from `fade_file`, which may have them from an earlier cut); the rest is copied frame for
    frame. Returns the number of frames.
    """
    bounds = transition_bounds(timeline)
    pieces: list[tuple[Path, int, int]] = []
    for i, scene in enumerate(timeline.scenes):
        fade_in_end, fade_out_start = bounds[scene.scene_index]
        if i > 0:
            previous = timeline.scenes[i - 1]
            render = partial(_render_fade, clip_paths, previous, scene, bounds, video)
            if fade_file is None:
                fade = work / f"fade-{previous.scene_index}-{scene.scene_index}.mp4"
                render(fade)
            else:
                fade = fade_file(previous, scene, render)
            pieces.append((fade, 0, fade_in_end))
        for shot_id, first, count in shot_frames(scene, timeline.fps):
            start, end = max(first, fade_in_end), min(first + count, fade_out_start)
            if start < end:
                pieces.append((clip_paths[shot_id], start - first, end - start))
    return copy_frames(pieces, out_path)


def _scene_frames(clip_paths, scene, fps: int, first: int, count: int) -> list[np.ndarray]:
    """Frames `first` .. of a scene, read from whichever of its clips hold them."""
    frames: list[np.ndarray] = []
    for shot_id, shot_first, shot_count in shot_frames(scene, fps):
        start, end = max(first, shot_first), min(first + count, shot_first + shot_count)
        if start < end:
            frames += read_frames(clip_paths[shot_id], start - shot_first, end - start)
    return frames


def fade_sources(timeline: Timeline, before: SceneTiming, after: SceneTiming) -> list[tuple[str, int, int]]:
    """(shot id, first frame in its clip, frame count) of every clip frame a cross-fade blends."""
    bounds = transition_bounds(timeline)
    fade_frames = bounds[after.scene_index][0]
    windows = ((before, bounds[before.scene_index][1]), (after, 0))
    sources = []
    for scene, first in windows:
        for shot_id, shot_first, shot_count in shot_frames(scene, timeline.fps):
            start, end = max(first, shot_first), min(first + fade_frames, shot_first + shot_count)
            if start < end:
                sources.append((shot_id, start - shot_first, end - start))
    return sources


def _render_fade(clip_paths, before, after, bounds, video: VideoFormat, out_path: Path) -> None:
    fade_frames = bounds[after.scene_index][0]
    fade_from = _scene_frames(clip_paths, before, video.fps, bounds[before.scene_index][1], fade_frames)
    fade_to = _scene_frames(clip_paths, after, video.fps, 0, fade_frames)
    with H264Writer(out_path, video) as writer:
        for index, (a, b) in enumerate(zip(fade_from, fade_to)):
            alpha = (index + 0.5) / fade_frames
            writer.write(cv2.addWeighted(a, 1 - alpha, b, alpha, 0))


TRUE_PEAK_LIMIT_DBTP = -1.0
TRUE_PEAK_AIM_DBTP = -1.5


def encode_soundtrack(soundtrack: Path, out_path: Path, audio_bitrate: str = "160k", tries: int = 3) -> float:
    """The mixed soundtrack as AAC in `out_path` (an .m4a), its true peak after encoding at or below
    -1 dBTP: AAC's reconstruction overshoots the mix's sample peaks by up to 2 dB or so, by an
    amount no limiter before the encoder can know, so the encoded peak is measured and, when over,
    the mix is lowered by the excess and encoded again. Returns the encoded true peak (dBTP)."""
    from dreamreel_assets.backends.media_tools import read_audio

    gain_db = 0.0
    for _ in range(tries):
        source = ffmpeg.input(str(soundtrack))
        if gain_db:
            source = source.filter("volume", f"{gain_db:.2f}dB")
        try:
            (ffmpeg.output(source, str(out_path), acodec="aac", audio_bitrate=audio_bitrate, ar=SAMPLE_RATE)
             .overwrite_output().global_args("-loglevel", "error", "-nostdin")
             .run(cmd=ffmpeg_exe(), capture_stderr=True))
        except ffmpeg.Error as error:
            raise RuntimeError(f"ffmpeg failed encoding the soundtrack: {error.stderr.decode()[-800:]}") from error
        peak = true_peak_dbtp(read_audio(out_path))
        if peak <= TRUE_PEAK_LIMIT_DBTP:
            return peak
        gain_db += TRUE_PEAK_AIM_DBTP - peak
    return peak


def mux_film(
    video_path: Path, soundtrack: Path, subtitles: Path, out_path: Path, duration_s: float,
    audio_bitrate: str = "160k", *, language: str = "eng", burn_into: VideoFormat | None = None,
) -> None:
    """Picture, soundtrack to AAC and subtitles, index at the front for streaming.

    Soft subtitles (the default) are a track tagged with `language` (ISO 639-2) and the picture is
    copied as it is. With `burn_into`, the subtitles are drawn into the picture instead, which is
    encoded again in that format.
    """
    picture = ffmpeg.input(str(video_path)).video
    streams, options = [], {}
    # An encoded soundtrack (encode_soundtrack's .m4a) is copied as it is; a WAV is encoded here.
    audio = {"acodec": "copy"} if soundtrack.suffix == ".m4a" else {
        "acodec": "aac", "audio_bitrate": audio_bitrate, "ar": SAMPLE_RATE}
    if burn_into is None:
        streams = [picture, ffmpeg.input(str(soundtrack)).audio, ffmpeg.input(str(subtitles))]
        options = {"vcodec": "copy", "scodec": "mov_text", "metadata:s:s:0": f"language={language}"}
    else:
        fonts = out_path.parent / f".{out_path.name}.fonts"
        style = burned_style(burn_into, fonts)
        picture = picture.filter("subtitles", filename=str(subtitles), fontsdir=str(fonts), charenc="UTF-8",
                                 force_style=style)
        streams = [picture, ffmpeg.input(str(soundtrack)).audio]
        options = burn_into.x264_options()
    try:
        (
            ffmpeg.output(*streams, str(out_path), movflags="+faststart", t=f"{duration_s:.6f}", **audio, **options)
            .overwrite_output()
            .global_args("-loglevel", "error", "-nostdin")
            .run(cmd=ffmpeg_exe(), capture_stderr=True)
        )
    except ffmpeg.Error as error:
        raise RuntimeError(f"ffmpeg failed muxing the film: {error.stderr.decode()[-800:]}") from error
    finally:
        if burn_into is not None:
            shutil.rmtree(out_path.parent / f".{out_path.name}.fonts", ignore_errors=True)


SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
"""Fonts with Greek and Cyrillic, used for burned subtitles when the system has them; otherwise
Pillow's own (Latin only), so burning never depends on what is installed."""


def burned_style(video: VideoFormat, fonts: Path) -> str:
    """libass style for subtitles drawn into `video`, its font written into `fonts`: white with a
    dark outline, sized so a cue's 42-character line fits the frame's width, near the bottom
    (higher up in portrait, clear of the controls phone apps lay over a film's foot)."""
    fonts.mkdir(parents=True, exist_ok=True)
    system = next((path for path in SYSTEM_FONTS if path.is_file()), None)
    if system is not None:
        shutil.copyfile(system, fonts / system.name)
        family = ImageFont.truetype(str(system), 12).getname()[0]
    else:
        font = ImageFont.load_default(size=12)
        (fonts / "default.ttf").write_bytes(font.font_bytes)
        family = font.getname()[0]
    # libass scales styles to a 288-line script: sizes below are in those units.
    pixels = min(video.height * 0.055, video.width * 0.92 / (MAX_LINE_CHARS * 0.47))
    size = pixels * 288 / video.height
    margin = 0.14 if video.height > video.width else 0.06
    return (f"FontName={family},FontSize={size:.1f},PrimaryColour=&H00FFFFFF,OutlineColour=&H00101010,"
            f"BorderStyle=1,Outline={max(size / 12, 1):.1f},Shadow=0,Alignment=2,MarginV={round(288 * margin)}")


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
