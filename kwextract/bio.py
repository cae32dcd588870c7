"""Keyphrase spans ↔ BIO tags, and gold keyphrases → token spans.

Spans are half-open token ranges ``(start, end)``. Every function here is pure: inputs
are never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tokenize import TokenizedText

O, B, I = 0, 1, 2
TAGS = ("O", "B", "I")


def spans_to_bio(spans: list[tuple[int, int]], length: int) -> list[int]:
    """Tag ids (O=0, B=1, I=2) for ``length`` tokens; spans must not overlap."""
    tags = [O] * length
    for start, end in sorted(spans):
        if not 0 <= start < end <= length:
            raise ValueError(f"span {(start, end)} is outside 0..{length} or empty")
        if any(t != O for t in tags[start:end]):
            raise ValueError(f"span {(start, end)} overlaps another span")
        tags[start] = B
        for i in range(start + 1, end):
            tags[i] = I
    return tags


def bio_to_spans(tags: list[int]) -> list[tuple[int, int]]:
    """Spans of a tag sequence. An I after an O starts a new span (as CoNLL's lenient
    reading does); the constrained CRF never produces one anyway."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, tag in enumerate(tags):
        if tag == B or (tag == I and start is None):
            if start is not None:
                spans.append((start, i))
            start = i
        elif tag == O and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(tags)))
    return spans


def batch_spans(tags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``bio_to_spans`` for a whole (rows, time) tag array at once: (rows, starts, ends).

    Vectorised (no loop over tokens): a span starts at a B, or at an I after an O, and
    runs until the next tag that is not I.
    """
    rows, time = tags.shape
    previous = np.concatenate([np.full((rows, 1), O), tags[:, :-1]], axis=1)
    starts = (tags == B) | ((tags == I) & (previous == O))
    positions = np.where(tags != I, np.arange(time), time)
    following = np.concatenate([positions[:, 1:], np.full((rows, 1), time)], axis=1)
    ends = np.minimum.accumulate(following[:, ::-1], axis=1)[:, ::-1]
    row_index, start_index = np.nonzero(starts)
    return row_index, start_index, ends[row_index, start_index]


@dataclass(frozen=True)
class Alignment:
    """Token spans of a document's gold keyphrases, and what could not be aligned."""

    spans: tuple[tuple[int, int], ...]
    absent: tuple[str, ...]  # not in the text at all (case-insensitively)
    misaligned: tuple[str, ...]  # in the text, but cut by token boundaries

    @property
    def unaligned(self) -> int:
        return len(self.absent) + len(self.misaligned)


def align_phrases(
    tokens: TokenizedText, phrases: list[list[str]], raw_phrases: list[str] | None = None
) -> Alignment:
    """Find every case-insensitive occurrence of each phrase (given as token lists).

    Longer phrases claim tokens first; an occurrence that overlaps an already claimed
    token is skipped, so the spans never overlap.
    """
    raw = raw_phrases if raw_phrases is not None else [" ".join(p) for p in phrases]
    lowered = [w.lower() for w in tokens.words]
    first_positions: dict[str, list[int]] = {}
    for i, w in enumerate(lowered):
        first_positions.setdefault(w, []).append(i)
    taken = [False] * len(lowered)
    spans: list[tuple[int, int]] = []
    absent: list[str] = []
    misaligned: list[str] = []
    text_lower = tokens.text.lower()
    order = sorted(range(len(phrases)), key=lambda k: -len(phrases[k]))
    for k in order:
        words = [w.lower() for w in phrases[k]]
        if not words:
            continue
        n = len(words)
        found = False
        for i in first_positions.get(words[0], []):
            if lowered[i : i + n] == words:
                found = True
                if not any(taken[i : i + n]):
                    spans.append((i, i + n))
                    for j in range(i, i + n):
                        taken[j] = True
        if not found:
            (misaligned if raw[k].lower() in text_lower else absent).append(raw[k])
    return Alignment(tuple(sorted(spans)), tuple(absent), tuple(misaligned))


def align_char_spans(tokens: TokenizedText, char_spans: list[tuple[int, int]]) -> Alignment:
    """Token spans for explicit character spans that start and end on token boundaries."""
    start_at = {s: i for i, s in enumerate(tokens.starts)}
    end_at = {e: i for i, e in enumerate(tokens.ends)}
    spans: list[tuple[int, int]] = []
    misaligned: list[str] = []
    taken = [False] * len(tokens)
    for cs, ce in sorted(char_spans, key=lambda s: s[0] - s[1]):
        i, j = start_at.get(cs), end_at.get(ce)
        if i is None or j is None or j < i:
            misaligned.append(tokens.text[cs:ce])
        elif not any(taken[i : j + 1]):
            spans.append((i, j + 1))
            for t in range(i, j + 1):
                taken[t] = True
    return Alignment(tuple(sorted(spans)), (), tuple(misaligned))
