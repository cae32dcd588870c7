"""Subtitles (SRT, WebVTT) → the words spoken, character for character, so offsets still
point into the ``.srt`` or ``.vtt`` file.

Transcripts of talks, lectures and broadcasts come as subtitles: numbered cues, each with a
time range, separated by blank lines. Read as plain text, the timings are words
("00:01:02,500") and every cue is a paragraph, so a phrase spoken across two cues ("climate"
| "change") could never be found. ``subtitles_as_text`` blanks with spaces the header, the
notes and style blocks, each cue's number or identifier and its timing line, *and* the line
breaks between cues, so that consecutive cues read as one running text (a single line
break); the cue text's markup (``<i>``, ``<v Speaker>``, ``{\\an8}``, inline timestamps) is
blanked too (``markup.markup_as_text``).
"""

from __future__ import annotations

import re

from .markup import blank, markup_as_text

_TIMING = re.compile(r"\d{1,2}:\d{2}[,.]\d{3}[^\S\n]*-->")  # 00:01:02,500 --> (SRT) / 01:02.500 --> (WebVTT)
_HEADER = re.compile(r"\ufeff?(WEBVTT|NOTE|STYLE|REGION)(?:[ \t]|$)")  # blocks that hold no speech
_INLINE = re.compile(r"<\d{1,2}:[\d:.]{4,12}>|\{\\[^{}\n]{0,40}\}")  # <00:00:05.000> karaoke times, {\an8} positions


def subtitles_as_text(source: str) -> str:
    """``source`` (SRT or WebVTT) as the words spoken, the same length (see the module docstring)."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    in_block = False  # inside a header, NOTE, STYLE or REGION block: to the next blank line
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if not body.strip():
            in_block = False
            out.append(" " * len(line))  # the break between cues: no paragraph break
            continue
        if in_block or _HEADER.match(body):
            in_block = True
            out.append(" " * len(line))
            continue
        timing = _TIMING.search(body) is not None
        names_a_cue = i + 1 < len(lines) and _TIMING.search(lines[i + 1]) is not None  # "12", "intro"
        if timing or names_a_cue:
            out.append(" " * len(line))
        else:
            out.append(_INLINE.sub(lambda m: blank(m.group()), line))
    return markup_as_text("".join(out))
