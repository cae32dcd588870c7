"""The result type handed to users: one ranked keyphrase with its offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Keyphrase:
    """One keyphrase of a document.

    ``start:end`` is its first occurrence in the source text, and ``text`` that occurrence with
    whitespace runs (line breaks of hard-wrapped text) collapsed, control characters and
    invisible word breaks (U+200B, U+FEFF) read as spaces and a lone surrogate as U+FFFD:
    ``text == " ".join(readable(source[start:end]).split())`` (``readable`` from
    ``kwextract.tokenize``), except that a word broken across lines by a hyphen reads whole
    ("extrac-\ntion" → "extraction"; ``tokenize.phrase_text``), a ligature of PDF text is
    spelled out ("classiﬁcation" → "classification"; ``tokenize.LIGATURES``), and the word
    joiners that pad a markup's references (``markup.JOINER``) are left out.
    ``score`` is the model's confidence in [0, 1] (see ``ranking.py``), and ``count`` the
    number of times the phrase (up to stemming and case) occurs in the document.
    """

    text: str
    score: float
    start: int
    end: int
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
