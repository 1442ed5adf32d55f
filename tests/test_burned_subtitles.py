"""Subtitles burned into the picture (for phones) and the soft track's language tag."""

import numpy as np
import pytest
from conftest import ffprobe

from dreamreel_assets import subtitles
from dreamreel_assets.backends import assembler
from dreamreel_assets.backends.media_tools import H264Writer, VideoFormat, frames_at
from dreamreel_assets.models import Cue

SECONDS = 3.0
CUE = Cue(start=0.5, end=2.0, speaker="narrator", text="The lamp burned all night on the cliff.")


def film_parts(tmp_path, video: VideoFormat):
    picture = tmp_path / "picture.mp4"
    with H264Writer(picture, video) as writer:
        for _ in range(round(SECONDS * video.fps)):
            writer.write(np.full((video.height, video.width, 3), (20, 30, 60), np.uint8))
    soundtrack = tmp_path / "soundtrack.wav"
    assembler.write_wav(soundtrack, np.zeros((round(SECONDS * assembler.SAMPLE_RATE), 2), np.float32),
                        assembler.SAMPLE_RATE)
    srt = tmp_path / "film.srt"
    srt.write_text(subtitles.srt([CUE], {}), encoding="utf-8")
    vtt = tmp_path / "film.vtt"
    vtt.write_text(subtitles.webvtt([CUE], {}), encoding="utf-8")
    return picture, soundtrack, srt, vtt


def bright_pixels(frame: np.ndarray) -> tuple[int, int]:
    """Near-white pixels in the bottom quarter and in the rest of a (grey, 0-1) frame."""
    white = frame > 0.8
    bottom = frame.shape[0] * 3 // 4
    return int(white[bottom:].sum()), int(white[:bottom].sum())


@pytest.mark.parametrize("size", [(640, 360), (360, 640)], ids=["landscape", "portrait"])
def test_burned_subtitles_are_drawn_near_the_bottom_while_their_cue_lasts(tmp_path, size):
    video = VideoFormat(*size, fps=12)
    picture, soundtrack, srt, _ = film_parts(tmp_path, video)
    film = tmp_path / "film.mp4"
    assembler.mux_film(picture, soundtrack, srt, film, SECONDS, burn_into=video)

    streams = ffprobe(film)["streams"]
    assert sorted(s["codec_type"] for s in streams) == ["audio", "video"]  # drawn, not a track
    during, after = frames_at(film, [1.2, 2.6], size=size)
    text_bottom, text_elsewhere = bright_pixels(during)
    assert text_bottom > 40 and text_elsewhere == 0
    assert bright_pixels(after) == (0, 0)
    # The text stays inside the frame: nothing white touches the left or right edge.
    white = during > 0.8
    assert not white[:, :2].any() and not white[:, -2:].any()
    assert not list(tmp_path.glob(".*fonts"))  # the font folder is cleaned up


def test_soft_subtitles_are_a_track_tagged_with_the_films_language(tmp_path):
    video = VideoFormat(160, 90, fps=12)
    picture, soundtrack, _, vtt = film_parts(tmp_path, video)
    film = tmp_path / "film.mp4"
    assembler.mux_film(picture, soundtrack, vtt, film, SECONDS, language="ger")

    streams = ffprobe(film)["streams"]
    [track] = [s for s in streams if s["codec_type"] == "subtitle"]
    assert track["tags"]["language"] in ("ger", "deu")
    during, = frames_at(film, [1.2], size=(160, 90))
    assert bright_pixels(during) == (0, 0)  # the picture itself is untouched
