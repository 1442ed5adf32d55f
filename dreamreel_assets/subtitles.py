"""Subtitles as people read them, from the narrators' sentence timings.

A sentence cue becomes one or more cues of at most two lines of 42 characters (the usual broadcast
limits), split at word boundaries and timed by the share of the sentence's characters each part
holds. A cue shows for at least MIN_CUE_S (stretched into the silence after it, never over the next
cue) and at most MAX_CUE_S. Written as WebVTT (the player's track, with speakers as voice spans) and
SRT (for editors and players that want it).
"""

from __future__ import annotations

import textwrap

from dreamreel_assets.models import Cue

MAX_LINE_CHARS = 42
MAX_LINES = 2
MIN_CUE_S = 1.0
MAX_CUE_S = 7.0


def layout(cues: list[Cue], film_end: float | None = None) -> list[Cue]:
    """The cues to show: long sentences split, every text wrapped, durations kept sensible."""
    parts = [part for cue in cues for part in _split(cue)]
    shown = []
    for index, cue in enumerate(parts):
        next_start = parts[index + 1].start if index + 1 < len(parts) else film_end
        end = min(max(cue.end, cue.start + MIN_CUE_S), cue.start + MAX_CUE_S)
        if next_start is not None:
            end = min(end, next_start)
        shown.append(cue.model_copy(update={"end": max(end, cue.start + 0.01), "text": "\n".join(wrap(cue.text))}))
    return shown


def wrap(text: str) -> list[str]:
    """`text` in lines of at most MAX_LINE_CHARS, balanced when it takes two."""
    lines = textwrap.wrap(text, MAX_LINE_CHARS, break_long_words=True, break_on_hyphens=False)
    if len(lines) == 2:  # balance the two lines: the narrowest width that still gives two
        for width in range(len(text) // 2, MAX_LINE_CHARS + 1):
            balanced = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
            if len(balanced) == 2:
                return balanced
    return lines


def _split(cue: Cue) -> list[Cue]:
    """A cue whose text needs more than MAX_LINES lines (or shows longer than MAX_CUE_S), as parts."""
    words = cue.text.split()
    chunks: list[list[str]] = []
    for word in words:
        candidate = " ".join([*chunks[-1], word]) if chunks else word
        if chunks and len(wrap(candidate)) <= MAX_LINES:
            chunks[-1].append(word)
        else:
            chunks.append([word])
    texts = _balanced(words, len(chunks)) or [" ".join(chunk) for chunk in chunks] or [cue.text]
    duration = cue.end - cue.start
    pieces = max(len(texts), int(duration // MAX_CUE_S) + (duration % MAX_CUE_S > 0))
    if pieces > len(texts) and len(words) >= pieces:  # too long on screen: split it evenly by words
        texts = [" ".join(words[i * len(words) // pieces:(i + 1) * len(words) // pieces]) for i in range(pieces)]
    total = sum(len(text) for text in texts)
    parts, start = [], cue.start
    for text in texts:
        end = start + duration * len(text) / total
        parts.append(cue.model_copy(update={"start": start, "end": end, "text": text}))
        start = end
    return parts


def _balanced(words: list[str], pieces: int) -> list[str] | None:
    """`words` in `pieces` parts of about equal length that each fit MAX_LINES, or None."""
    if pieces <= 1:
        return None
    total = sum(len(word) + 1 for word in words)
    parts, current, size = [], [], 0
    for word in words:
        if current and size + len(word) / 2 > total * (len(parts) + 1) / pieces and len(parts) < pieces - 1:
            parts.append(" ".join(current))
            current = []
        current.append(word)
        size += len(word) + 1
    parts.append(" ".join(current))
    return parts if all(len(wrap(part)) <= MAX_LINES for part in parts) else None


def webvtt(cues: list[Cue], speaker_names: dict[str, str]) -> str:
    """A WebVTT document; dialogue cues carry their speaker as a voice span."""
    def text(cue: Cue, name: str | None) -> str:
        return f"<v {_vtt_escape(name)}>{_vtt_escape(cue.text)}" if name else _vtt_escape(cue.text)

    return "\n".join(["WEBVTT", "", *_blocks(cues, speaker_names, ".", text)])


def srt(cues: list[Cue], speaker_names: dict[str, str]) -> str:
    """SubRip: numbered cues, comma milliseconds; a speaker's name leads their first line."""
    def text(cue: Cue, name: str | None) -> str:
        return f"{name}: {_srt_text(cue.text)}" if name else _srt_text(cue.text)

    return "\n".join(_blocks(cues, speaker_names, ",", text))


def _blocks(cues: list[Cue], speaker_names: dict[str, str], decimal: str, text) -> list[str]:
    lines = []
    for number, cue in enumerate(cues, start=1):
        lines += [str(number), f"{_time(cue.start, decimal)} --> {_time(cue.end, decimal)}",
                  text(cue, speaker_names.get(cue.speaker)), ""]
    return lines


def _time(seconds: float, decimal: str) -> str:
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{decimal}{rest % 1000:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "->")


def _srt_text(text: str) -> str:
    # A blank line ends an SRT cue and "-->" would read as timing: neither may appear in the text.
    return "\n".join(line for line in text.replace("-->", "->").splitlines() if line.strip())
