"""Phrase normalisation shared by ranking, phrase features and evaluation: lowercase + Porter stems."""

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


def occurrences(stems: list[str], keys: list[tuple[str, ...]]) -> dict[tuple[str, ...], list[int]]:
    """Start positions of every occurrence of each key (a phrase's stems) in a document's stems."""
    wanted_heads = {k[0] for k in keys}
    heads: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        if s in wanted_heads:
            heads.setdefault(s, []).append(i)
    return {
        k: [i for i in heads[k[0]] if tuple(stems[i : i + len(k)]) == k] for k in keys
    }
