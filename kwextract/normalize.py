"""Phrase normalisation shared by ranking, phrase features and evaluation: lowercase + stems
(Porter for English, Snowball for other languages: language.py)."""

from __future__ import annotations

from .language import ENGLISH, rules
from .tokenize import TokenizedText


def stem(word: str, lang: str = ENGLISH) -> str:
    """The stem of a word in ``lang``, lowercased first (cached: documents repeat words)."""
    return rules(lang).stem(word)


def stems_of(tokens: TokenizedText) -> list[str]:
    """The stems of a tokenized text's words, in its own language."""
    stemmer = rules(tokens.lang).stem
    return [stemmer(w) for w in tokens.words]


def phrase_key(words: list[str] | tuple[str, ...], lang: str = ENGLISH) -> str:
    """The normalised form of a phrase given as tokens: stems joined by single spaces."""
    stemmer = rules(lang).stem
    return " ".join(stemmer(w) for w in words)


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
