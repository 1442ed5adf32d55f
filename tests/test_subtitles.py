"""Subtitles as people read them: at most two lines of 42 characters, shown long enough to read
and not too long, never overlapping; WebVTT and SRT."""

import re

from dreamreel_assets.models import Cue
from dreamreel_assets.subtitles import MAX_CUE_S, MIN_CUE_S, layout, srt, webvtt, wrap

LONG = ("The keeper climbed the hundred and twelve steps of the tower every evening, counting each "
        "one aloud, because the night his father vanished he had lost count at ninety-nine.")


def test_every_cue_is_at_most_two_lines_of_42_characters_and_keeps_every_word():
    cues = layout([Cue(start=0.0, end=9.0, speaker="narrator", text=LONG)])
    assert len(cues) >= 2
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), lines
    assert " ".join(c.text.replace("\n", " ") for c in cues) == LONG
    assert cues[0].start == 0.0 and abs(cues[-1].end - 9.0) < 1e-6
    assert all(a.end <= b.start + 1e-9 for a, b in zip(cues, cues[1:]))


def test_two_lines_are_balanced():
    assert wrap("Did you hear that? Someone is ringing the old bell down by the harbour.") == [
        "Did you hear that? Someone is ringing", "the old bell down by the harbour."]
    assert wrap("Short line.") == ["Short line."]


def test_a_short_cue_stays_up_long_enough_to_read_but_never_over_the_next():
    quick = Cue(start=1.0, end=1.3, speaker="mara", text="Run!")
    cues = layout([quick, Cue(start=3.0, end=4.0, speaker="narrator", text="She ran.")])
    assert cues[0].end == 1.0 + MIN_CUE_S
    tight = layout([quick, Cue(start=1.5, end=2.5, speaker="narrator", text="She ran.")])
    assert tight[0].end == 1.5
    last = layout([Cue(start=9.6, end=9.8, speaker="narrator", text="The end.")], film_end=10.0)
    assert last[0].end == 10.0


def test_a_slow_sentence_is_not_left_on_screen_past_the_maximum():
    slow = Cue(start=0.0, end=20.0, speaker="narrator", text="Wait for it, wait for it, and then the bell rang once.")
    cues = layout([slow])
    assert all(c.end - c.start <= MAX_CUE_S + 1e-9 for c in cues) and len(cues) >= 3


def test_webvtt_and_srt_carry_the_same_cues():
    cues = layout([Cue(start=0.5, end=2.0, speaker="mara", text="Who rings <that> bell --> now?"),
                   Cue(start=62.25, end=64.0, speaker="narrator", text="Nobody answered.")])
    vtt, sub = webvtt(cues, {"mara": "Mara"}), srt(cues, {"mara": "Mara"})
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\n<v Mara>Who rings &lt;that&gt; bell --&gt; now?")
    assert "00:01:02.250 --> 00:01:04.000\nNobody answered." in vtt
    assert sub.startswith("1\n00:00:00,500 --> 00:00:02,000\nMara: Who rings <that> bell -> now?\n\n2\n00:01:02,250")
    assert len(re.findall(r" --> ", sub)) == 2
