"""Phrase normalisation shared by ranking, phrase features and evaluation: lowercase + stems
(Porter for English, Snowball for other languages: language.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .language import ENGLISH, rules
from .tokenize import TokenizedText


def stem(word: str, lang: str = ENGLISH) -> str:
    """The stem of a word in ``lang``, lowercased first (cached: documents repeat words)."""
    return rules(lang).stem(word)


class Stems(Sequence[str]):
    """The stems of a tokenized text's words, looked up per distinct word when read instead of
    stored per token: a 10 MB text has two million tokens, and a list of their stems takes 16 MB."""

    def __init__(self, tokens: TokenizedText) -> None:
        stemmer = rules(tokens.lang).stem
        self._words = tokens.words
        self._stem = {w: stemmer(w) for w in set(tokens.words)}

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return [self._stem[w] for w in self._words[index]]
        return self._stem[self._words[index]]

    def __iter__(self) -> Iterator[str]:
        return map(self._stem.__getitem__, self._words)


def stems_of(tokens: TokenizedText) -> Stems:
    """The stems of a tokenized text's words, in its own language."""
    return Stems(tokens)


def phrase_key(words: list[str] | tuple[str, ...], lang: str = ENGLISH) -> str:
    """The normalised form of a phrase given as tokens: stems joined by single spaces."""
    stemmer = rules(lang).stem
    return " ".join(stemmer(w) for w in words)


def occurrences(stems: Sequence[str], keys: list[tuple[str, ...]]) -> dict[tuple[str, ...], list[int]]:
    """Start positions of every occurrence of each key (a phrase's stems) in a document's stems."""
    wanted_heads = {k[0] for k in keys}
    heads: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        if s in wanted_heads:
            heads.setdefault(s, []).append(i)
    return {
        k: [i for i in heads[k[0]] if tuple(stems[i : i + len(k)]) == k] for k in keys
    }
