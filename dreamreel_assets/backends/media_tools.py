"""FFmpeg and PyAV plumbing shared by the animator, the assembler and the checks."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import av
import ffmpeg
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
class VideoFormat:
    """One H.264 format for every clip and transition, so the final cut can join them unchanged.

    No B-frames and IDR keyframes at every cut point: any run of frames between two cut points
    is a self-contained piece that stream-copies into the film without decoding.
    """

    width: int
    height: int
    fps: int
    preset: str = "veryfast"
    crf: int = 20

    def x264_options(self) -> dict:
        return {"vcodec": "libx264", "preset": self.preset, "crf": self.crf, "pix_fmt": "yuv420p",
                "profile:v": "high", "bf": 0, "forced-idr": 1, "r": self.fps}


class H264Writer:
    """Streams RGB frames into an H.264 MP4, with IDR keyframes forced at the given frame indices."""

    def __init__(self, path: Path, video: VideoFormat, keyframes: list[int] = ()):
        self.path, self.video, self.frames = path, video, 0
        options = video.x264_options()
        if keyframes:
            options["force_key_frames"] = "expr:" + "+".join(f"eq(n,{k})" for k in sorted(set(keyframes)))
        self._process = (
            ffmpeg.input("pipe:", format="rawvideo", pix_fmt="rgb24", s=f"{video.width}x{video.height}", r=video.fps)
            .output(str(path), movflags="+faststart", **options)
            .overwrite_output()
            .global_args("-loglevel", "error", "-nostdin")
            .run_async(pipe_stdin=True, pipe_stderr=True, cmd=ffmpeg_exe())
        )

    def write(self, frame: np.ndarray) -> None:
        self._process.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).tobytes())
        self.frames += 1

    def close(self) -> int:
        self._process.stdin.close()
        with self._process.stderr:
            error = self._process.stderr.read().decode(errors="replace")
        if self._process.wait() != 0:
            raise RuntimeError(f"ffmpeg failed encoding {self.path.name}: {error[-500:]}")
        return self.frames

    def __enter__(self) -> "H264Writer":
        return self

    def __exit__(self, kind, *_) -> None:
        if kind is None:
            self.close()
        else:
            self._process.kill()
            self._process.wait()
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
            self._process.stderr.close()


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


def read_frames(path: Path, first: int, count: int) -> list[np.ndarray]:
    """RGB frames `first` .. `first + count - 1` of a clip, by frame index."""
    frames = []
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index >= first + count:
                break
            if index >= first:
                frames.append(frame.to_ndarray(format="rgb24"))
    if len(frames) != count:
        raise ValueError(f"{path.name} has no frames {first}..{first + count - 1}")
    return frames


def copy_frames(pieces: list[tuple[Path, int, int]], out_path: Path) -> int:
    """Join frame ranges of H.264 files without decoding them: (path, first frame, count) each.

    Every range must start on a keyframe of a file in the same `VideoFormat` (no B-frames), so
    packets are frames in display order and can be copied with new timestamps.
    """
    written = 0
    with av.open(str(out_path), "w", options={"movflags": "+faststart"}) as output:
        stream = None
        for path, first, count in pieces:
            with av.open(str(path)) as source:
                source_stream = source.streams.video[0]
                if stream is None:
                    stream = output.add_stream_from_template(source_stream)
                    extradata = source_stream.codec_context.extradata
                elif source_stream.codec_context.extradata != extradata:
                    raise ValueError(f"{path.name} is not in the film's H.264 format; it cannot be copied")
                packets = [p for p in source.demux(source_stream) if p.size][first:first + count]
                if len(packets) != count or not packets[0].is_keyframe:
                    raise ValueError(f"{path.name}: frames {first}..{first + count - 1} do not start on a keyframe")
                ticks = packets[0].duration  # one frame, in the source's time base
                for packet in packets:
                    packet.stream = stream
                    packet.time_base = source_stream.time_base
                    packet.pts = packet.dts = written * ticks
                    output.mux(packet)
                    written += 1
    return written
