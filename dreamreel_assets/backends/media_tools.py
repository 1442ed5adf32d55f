"""FFmpeg and PyAV plumbing shared by the animator, the assembler and the checks."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import av
import numpy as np


@cache
def ffmpeg_exe() -> str:
    """FFmpeg on PATH, else the static build that imageio-ffmpeg ships in its wheel."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class MediaInfo:
    video_codec: str | None
    audio_codec: str | None
    width: int
    height: int
    fps: float
    video_duration: float
    audio_duration: float
    audio_rate: int


def probe(path: Path) -> MediaInfo:
    """Stream facts of a media file, read from its container."""
    with av.open(str(path)) as container:
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        return MediaInfo(
            video_codec=video.codec_context.name if video else None,
            audio_codec=audio.codec_context.name if audio else None,
            width=video.codec_context.width if video else 0,
            height=video.codec_context.height if video else 0,
            fps=float(video.average_rate) if video and video.average_rate else 0.0,
            video_duration=_stream_seconds(video),
            audio_duration=_stream_seconds(audio),
            audio_rate=audio.codec_context.sample_rate if audio else 0,
        )


def _stream_seconds(stream) -> float:
    if stream is None or stream.duration is None:
        return 0.0
    return float(stream.duration * stream.time_base)


def frames_at(path: Path, times: list[float], size: tuple[int, int] = (160, 90)) -> list[np.ndarray]:
    """Decode the frames shown at `times` (seconds), as small grey float arrays in [0, 1].

    One pass through the file, decoding and converting only the frames asked for.
    """
    wanted = sorted((t, i) for i, t in enumerate(times))
    found: list[np.ndarray | None] = [None] * len(times)
    position = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        previous = None
        for frame in container.decode(stream):
            while position < len(wanted) and frame.time is not None and frame.time > wanted[position][0]:
                source = previous or frame
                found[wanted[position][1]] = _grey(source, size)
                position += 1
            if position == len(wanted):
                break
            previous = frame
        last = previous
        while position < len(wanted) and last is not None:
            found[wanted[position][1]] = _grey(last, size)
            position += 1
    return [f if f is not None else np.zeros(size[::-1], np.float32) for f in found]


def _grey(frame, size: tuple[int, int]) -> np.ndarray:
    small = frame.reformat(width=size[0], height=size[1], format="gray")
    return small.to_ndarray().astype(np.float32) / 255.0


def read_audio(path: Path, sample_rate: int = 48_000) -> np.ndarray:
    """Decode a file's first audio stream to float32 (n, channels) at `sample_rate`."""
    chunks = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", rate=sample_rate)
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    return np.concatenate(chunks, axis=1).T.astype(np.float32)
