"""HTML or XML → the text a reader sees, character for character, so offsets still point into the file.

A web page read as plain text gives keyphrases glued to tags ("segmentation</a></p>&nbsp;"),
which the clean-candidate rules then drop: little or nothing is left. ``markup_as_text``
blanks what a browser does not show (tags, comments, scripts and styles) with spaces, and
writes each character reference (``&amp;``, ``&#233;``) as its character, so the result has
the length of the markup: a keyphrase's ``start:end`` in it is its place in the file. The
padding before a character is U+2060 WORD JOINER, invisible and read as part of the word (the
tokenizer leaves it out of word forms): "caf&eacute;s" is the word "cafés". Block-level tags
(paragraphs, headings, list items, table cells) begin with a blank line, a paragraph break
that no keyphrase spans (``surface.PARAGRAPH_BREAK``), so that a heading and the paragraph
after it never make one phrase; ``<br>`` begins with a line break.
"""

from __future__ import annotations

import html
import re

# what a browser never shows, with its contents: comments, CDATA, scripts, styles, templates
_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<(script|style|template|noscript)\b[^<>]*>.*?"
                     r"(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
# a tag never holds a "<", even quoted: each attempt ends at the next "<", so text full of "<"
# and quotes without a ">" (a broken page) is read in linear time, not in minutes
_TAG = re.compile(r"</?([a-zA-Z][\w:-]*)\b(?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*>|<![^<>]*>|<\?[^<>]*\?>")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
# block-level elements of HTML, and of the XML that papers come in (JATS, TEI): each starts a paragraph
_BLOCKS = frozenset("""address article aside blockquote br caption dd details div dl dt fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead
title tr ul abstract article-title body back front head kwd label list-item ref sec fig table-wrap""".split())


def blank(text: str) -> str:
    """Spaces for ``text``, keeping its line breaks (what a reader does not see, in every markup)."""
    return "".join("\n" if c == "\n" else " " for c in text)


def _spaces(match: re.Match[str]) -> str:
    """Spaces for what a browser does not show, keeping its line breaks."""
    return blank(match.group())


def _blank(match: re.Match[str]) -> str:
    """Spaces for a tag, keeping its line breaks; a blank line first for a block tag."""
    blank = _spaces(match)
    name = match.group(1)  # None for a declaration (<!DOCTYPE ...>) or a processing instruction
    if name is None or name.lower() not in _BLOCKS:
        return blank
    return "\n" + blank[1:] if name.lower() == "br" else "\n\n" + blank[2:]  # every block tag is 3+ characters


JOINER = "\u2060"  # WORD JOINER: pads a character reference's character inside its word
PARAGRAPH = "\u2029"  # PARAGRAPH SEPARATOR: a paragraph break of one character (surface.PARAGRAPH_BREAK)


def _character(match: re.Match[str]) -> str:
    """A character reference as its character, padded to the reference's length: with spaces
    for a space (``&nbsp;``), else with word joiners before it, so "R&amp;D" stays one word
    and "&eacute;t&eacute;." still ends with its full stop."""
    reference = match.group()
    char = html.unescape(reference)
    if char == reference or len(char) >= len(reference):  # unknown, or nothing shorter: left as written
        return reference
    return " " * len(reference) if char.isspace() else JOINER * (len(reference) - len(char)) + char


def markup_as_text(markup: str) -> str:
    """``markup`` (HTML or XML) as the text a reader sees, the same length: tags, comments,
    scripts and styles blanked with spaces (their line breaks kept, a block tag's first two
    characters a blank line), character references written as word joiners (``JOINER``) and
    their character."""
    text = _HIDDEN.sub(_spaces, markup)
    text = _TAG.sub(_blank, text)
    return _REFERENCE.sub(_character, text)
