"""Markdown → the text a reader of the rendered page sees, character for character, so offsets
still point into the ``.md`` file.

Notes, READMEs and documentation are written in Markdown. Read as plain text, their code blocks
are prose to the tagger ("python pool", "pool.connection" ranked among a page's keyphrases),
a heading runs into the paragraph under it, and link targets and emphasis marks cling to words.
``markdown_as_text`` blanks with spaces (keeping line breaks) what a rendered page does not show
as prose: fenced code blocks, a YAML front matter (but its title and description), heading and
list markers, emphasis marks, block quote marks, table rule rows, link targets and reference
definitions; then reads the HTML a Markdown file may hold (``markup.markup_as_text``). Inline
code keeps its text: in documentation it is often the very term. A heading, a list item and
a front-matter value are paragraphs of their own (U+2029 PARAGRAPH SEPARATOR, which no
keyphrase spans: ``surface.PARAGRAPH_BREAK``). An escaped character (``\\*``) becomes the
character, padded in front with U+2060 WORD JOINER (``markup.JOINER``).
"""

from __future__ import annotations

import re

from .markup import JOINER, PARAGRAPH, markup_as_text

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_FRONT_MATTER_KEPT = re.compile(r"((?:title|subtitle|description|summary)\s*:\s*)(.*)", re.IGNORECASE)
_HEADING = re.compile(r" {0,3}(#{1,6})(?=\s|$)")
_CLOSING_HASHES = re.compile(r"\s#+\s*$")
_RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")  # and setext underlines
# each run of spaces has one way to match: a line of spaces that fails is read once, not once per split
_TABLE_RULE = re.compile(r"[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?$")
_REFERENCE_DEFINITION = re.compile(r" {0,3}\[[^\]\n]+\]:\s*\S")
_QUOTE = re.compile(r"(?:[ \t]*>)+")
_LIST_ITEM = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)(\[[ xX]\][ \t]+)?")
# inline: a link or image (text kept, target blanked), a reference link's label, a footnote
# reference, emphasis marks at a word's edge, strikethrough marks, inline code marks, escapes
_LINK = re.compile(r"(!?\[)([^\[\]\n]*)(\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\))")
_REFERENCE_LABEL = re.compile(r"(?<=\])\[[^\[\]\n]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]+\]")
_EMPHASIS = re.compile(r"(?<![\w*_\\])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_\\])[*_]{1,3}(?![\w*_])|~~|`+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _paragraph(text: str) -> str:
    """A paragraph break, then spaces, for ``text`` (a marker that starts a block)."""
    return PARAGRAPH + " " * (len(text) - 1) if text else ""


def _inline(line: str) -> str:
    """One line of prose with its inline marks blanked."""
    line = _LINK.sub(lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(3)), line)
    line = _REFERENCE_LABEL.sub(lambda m: " " * len(m.group()), line)
    line = _FOOTNOTE.sub(lambda m: " " * len(m.group()), line)
    line = _EMPHASIS.sub(lambda m: " " * len(m.group()), line)  # an escaped mark is not one
    return _ESCAPE.sub(lambda m: JOINER + m.group(1), line)


def _front_matter_end(lines: list[str]) -> int:
    """How many lines a YAML front matter ("---" ... "---" at the start) takes, or 0."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def _line(body: str) -> str:
    """One line outside code (its text, without its line break) as a reader sees it."""
    if _RULE.match(body) or _TABLE_RULE.match(body) or _REFERENCE_DEFINITION.match(body):
        return " " * len(body)
    quote = _QUOTE.match(body)
    prefix = " " * quote.end() if quote else ""
    body = body[len(prefix):]
    heading = _HEADING.match(body)
    if heading:
        closing = _CLOSING_HASHES.search(body, heading.end())
        end = closing.start() if closing else len(body)
        return prefix + _paragraph(heading.group()) + _inline(body[heading.end():end]) + " " * (len(body) - end)
    item = _LIST_ITEM.match(body)
    if item:
        marker = item.group()
        indent = item.group(1)
        return prefix + indent + _paragraph(marker[len(indent):]) + _inline(body[len(marker):])
    return prefix + _inline(body)


def markdown_as_text(source: str) -> str:
    """``source`` (Markdown) as the text a reader sees, the same length (see the module docstring)."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    front = _front_matter_end(lines)
    fence: str | None = None
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        if number < front:
            kept = _FRONT_MATTER_KEPT.match(body)
            if kept and 0 < number < front - 1:  # a title: a paragraph of its own
                out.append(_paragraph(kept.group(1)) + kept.group(2) + PARAGRAPH * bool(ending) + ending[1:])
            else:
                out.append(" " * len(body) + ending)
            continue
        opening = _FENCE.match(body)
        if fence is not None:  # inside a code block: blank to its closing fence
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not body[opening.end():].strip():
                fence = None
            out.append(" " * len(body) + ending)
        elif opening and not (opening.group(1)[0] == "`" and "`" in body[opening.end():]):
            fence = opening.group(1)
            out.append(" " * len(body) + ending)
        elif _HEADING.match(body.lstrip(" >")) and ending:  # a heading ends its paragraph
            out.append(_line(body) + PARAGRAPH + ending[1:])
        else:
            out.append(_line(body) + ending)
    return markup_as_text("".join(out))
