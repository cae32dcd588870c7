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
    """Start positions of every occurrence of each key (a phrase's stems) in a document's stems.

    One pass over the stems: where a key's first stem stands, the stems that follow are looked
    up among the keys of each length that start so (not each key tried at each place its first
    stem stands, which grows with the square of a frequent word's count)."""
    found: dict[tuple[str, ...], list[int]] = {k: [] for k in keys}
    by_head: dict[str, dict[int, set[tuple[str, ...]]]] = {}  # first stem → key length → keys
    for k in found:
        by_head.setdefault(k[0], {}).setdefault(len(k), set()).add(k)
    for i, s in enumerate(stems):
        lengths = by_head.get(s)
        if lengths is not None:
            for n, starting_so in lengths.items():
                here = (s,) if n == 1 else tuple(stems[i : i + n])
                if here in starting_so:
                    found[here].append(i)
    return found
