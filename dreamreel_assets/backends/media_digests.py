"""Fingerprints of what a decoder needs to show a frame or play the sound, read by demuxing only.

A film's frame at time t is decoded from the packets of its group of pictures: from the last IDR
keyframe at or before t to the frame shown at t (DreamReel's H.264 has no B-frames, and every
keyframe is an IDR that nothing after it looks behind). Two cuts whose packets for that span are
the same show the same frame, so a check measured on one holds for the other; a fix that changes
one shot changes only the spans that hold it, and only those need decoding again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import av
import numpy as np

from dreamreel_assets.backends.media_tools import _grey


def frame_digests(path: Path, times: list[float]) -> list[str]:
    """Per time (seconds), the sha256 of the packets that decode the frame shown then."""
    wanted = sorted((t, i) for i, t in enumerate(times))
    found = [""] * len(times)
    position = 0
    group = hashlib.sha256()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for packet in container.demux(stream):
            if not packet.size or packet.pts is None:
                continue
            shown_at = float(packet.pts * packet.time_base)
            while position < len(wanted) and shown_at > wanted[position][0]:
                found[wanted[position][1]] = group.hexdigest()  # the frame before this one is shown
                position += 1
            if packet.is_keyframe:
                group = hashlib.sha256()
            group.update(bytes(packet))
    for _time, index in wanted[position:]:
        found[index] = group.hexdigest()
    return found


def audio_digest(path: Path) -> str:
    """The sha256 of every audio packet: the same for two files with the same sound, bit for bit."""
    digest = hashlib.sha256()
    with av.open(str(path)) as container:
        for packet in container.demux(container.streams.audio[0]):
            if packet.size:
                digest.update(bytes(packet))
    return digest.hexdigest()


def frames_at_seeking(path: Path, times: list[float], size: tuple[int, int] = (160, 90)) -> list[np.ndarray]:
    """The frames shown at `times`, each decoded from its own keyframe on: for a few frames of a
    long film (`media_tools.frames_at` decodes from the start to the last time asked for)."""
    found = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for time in times:
            container.seek(int(time / stream.time_base), stream=stream, backward=True, any_frame=False)
            shown = None
            for frame in container.decode(stream):
                if frame.time is not None and frame.time > time and shown is not None:
                    break
                shown = frame
            found.append(_grey(shown, size) if shown is not None else np.zeros(size[::-1], np.float32))
    return found
