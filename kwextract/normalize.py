"""Phrase normalisation shared by ranking and evaluation: lowercase + Porter stems."""

from __future__ import annotations

from functools import lru_cache

from .porter import porter_stem


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Porter stem of a word, lowercased first (cached: documents repeat words)."""
    return porter_stem(word.lower())


def phrase_key(words: list[str] | tuple[str, ...]) -> str:
    """The normalised form of a phrase given as tokens: stems joined by single spaces."""
    return " ".join(stem(w) for w in words)
