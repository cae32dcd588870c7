"""Paginated text: the running heads and feet that stand on most pages.

Text taken from a PDF holds, on every page, the journal's name, the paper's short title, a
page number: a phrase repeated on every page weighs as the document's most frequent one.
``running_lines`` finds them: among the first and last EDGE_LINES lines of each page, a line
that stands there on at least half the pages (three at least), numbers aside ("Journal of
Coral Studies 12 (2024) 345"), and a page number alone. ``without_running_lines`` leaves them
out of a PDF's pages (``pdf.py``); ``blank_running_lines`` blanks them, the same length, in a
text whose pages form feeds part (what ``pdftotext`` writes), so offsets still point into it.
"""

from __future__ import annotations

import re
from collections import Counter

EDGE_LINES = 3  # lines at the top and at the bottom of a page where running heads and page numbers stand
_DIGITS = re.compile(r"\d+")


def _key(line: str) -> str:
    """A line as running heads are compared: numbers as #, case and spacing aside."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _edges(count: int) -> set[int]:
    return set(range(min(EDGE_LINES, count))) | set(range(max(count - EDGE_LINES, 0), count))


def running_lines(pages: list[list[str]]) -> list[set[int]]:
    """For each page (its lines), the numbers of its running heads and feet and of a lone page
    number (see the module docstring)."""
    keys = [{i: _key(lines[i]) for i in _edges(len(lines))} for lines in pages]  # each page's edge lines
    seen = Counter(k for edge in keys for k in set(edge.values()) if k.strip("# "))
    running = {k for k, count in seen.items() if len(pages) >= 3 and count >= max(3, len(pages) / 2)}
    return [{i for i, k in edge.items() if k in running or (lines[i].strip() and not k.strip("# ().-"))}
            for lines, edge in zip(pages, keys)]


def without_running_lines(pages: list[str]) -> list[str]:
    """``pages`` (each page's text) less their running heads and feet and page numbers."""
    split = [page.split("\n") for page in pages]
    return ["\n".join(line for i, line in enumerate(lines) if i not in drop)
            for lines, drop in zip(split, running_lines(split))]


def blank_running_lines(text: str) -> str:
    """``text``, whose pages form feeds part, with its running heads and feet and page numbers
    blanked with spaces: the same length, the same line breaks."""
    pages = [page.split("\n") for page in text.split("\f")]
    out = []
    for lines, drop in zip(pages, running_lines(pages)):
        out.append("\n".join(" " * len(line) if i in drop else line for i, line in enumerate(lines)))
    return "\f".join(out)
