"""Distinct keyphrases: no returned phrase inside another one.

A ranked list often holds a phrase and its pieces: "graph neural networks", "neural networks",
"graph neural". The protocol's gold lists hold such pieces too (dropping them cost 4.8 points
of KDD dev F1@10: docs/unseen-domains.md, run 9), so the models return them; but a user who
wants ten topics, for a tag cloud or an index, wants each once. ``distinct`` walks a ranked
list and keeps a phrase only if its words (stems, case aside) are not a run of a better-ranked
phrase's words and do not hold one: the better-ranked of the two stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .keyphrase import Keyphrase
from .language import ENGLISH, rules

DISTINCT_POOL = 3  # an extractor asked for k distinct phrases ranks 3k, then walks them


def _holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` is a contiguous run of ``longer`` (both stems)."""
    n = len(shorter)
    return n < len(longer) and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def distinct(keyphrases: Sequence[Keyphrase], top_k: int | None = None, lang: str = ENGLISH,
             words: Callable[[str], list[str]] | None = None) -> list[Keyphrase]:
    """``keyphrases`` (best first) less each one whose words a better-ranked one holds as a
    run, or that holds a better-ranked one's words ("neural networks" after "graph neural
    networks", and the other way round), up to stemming and case in ``lang``; at most
    ``top_k``. ``words`` splits a phrase into words (by default kwextract's tokenizer of
    ``lang``, as an extractor's own tokenizer does, made once a process: texts of another
    language than the extractor's, as ``lang="auto"`` reads them, come here one by one)."""
    if words is None:
        from .tokenize import shared_tokenizer  # spaCy: only when no tokenizer is given

        words = shared_tokenizer(lang).words
    stem = rules(lang).stem
    kept: list[Keyphrase] = []
    kept_stems: list[tuple[str, ...]] = []
    for keyphrase in keyphrases:
        if top_k is not None and len(kept) >= top_k:
            break
        stems = tuple(stem(w) for w in words(keyphrase.text))
        if any(stems == other or _holds(other, stems) or _holds(stems, other) for other in kept_stems):
            continue
        kept.append(keyphrase)
        kept_stems.append(stems)
    return kept
