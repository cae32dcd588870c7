"""Scored span occurrences → ranked, deduplicated keyphrases.

Score of a phrase. Each occurrence of a span gets its CRF marginal: the probability,
over all tag sequences, that exactly those tokens form one keyphrase. Occurrences whose
words share Porter stems ("neural network", "Neural Networks") are one phrase, and its
score is by default the noisy-or of its occurrences, 1 - prod(1 - p): the probability
that the model tags at least one occurrence, treating occurrences as independent. With
``aggregation="max"`` it is the best single occurrence instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from .keyphrase import Keyphrase
from .normalize import stem
from .tokenize import TokenizedText


@dataclass(frozen=True)
class ScoredSpan:
    """Tokens ``start:end`` of a document with their span marginal."""

    start: int
    end: int
    prob: float


def _can_bound(word: str) -> bool:
    """Whether a keyphrase may start or end with this token: not a stop word or a symbol."""
    return any(c.isalnum() for c in word) and word.lower() not in STOP_WORDS


def rank(
    tokens: TokenizedText,
    spans: list[ScoredSpan],
    decoded: set[tuple[int, int]],
    top_k: int | None,
    min_score: float = 0.0,
    aggregation: str = "noisy_or",
    select_threshold: float | None = None,
) -> list[Keyphrase]:
    """Merge span occurrences into phrases and rank them by score.

    With ``top_k=None`` the model decides how many keyphrases the document has: the
    phrases scored at least ``select_threshold`` (calibrated on dev data at training time),
    or, without a threshold, the phrases of the best (Viterbi) tag sequence.
    """
    stems = [stem(w) for w in tokens.words]
    can_bound = {w: _can_bound(w) for w in set(tokens.words)}  # once per distinct word
    log_miss: dict[tuple[str, ...], float] = {}
    best: dict[tuple[str, ...], float] = {}
    chosen: set[tuple[str, ...]] = set()
    for span in spans:
        if not (can_bound[tokens.words[span.start]] and can_bound[tokens.words[span.end - 1]]):
            continue
        key = tuple(stems[span.start : span.end])
        p = min(max(span.prob, 0.0), 1.0)
        log_miss[key] = log_miss.get(key, 0.0) + math.log1p(-min(p, 1.0 - 1e-12))
        best[key] = max(best.get(key, 0.0), p)
        if (span.start, span.end) in decoded:
            chosen.add(key)
    if aggregation == "max":
        scores = best
    else:
        scores = {k: -math.expm1(v) for k, v in log_miss.items()}
    if top_k is not None:
        keys = [k for k in scores if scores[k] >= min_score]
    elif select_threshold is not None:
        keys = [k for k in scores if scores[k] >= max(min_score, select_threshold)]
    else:
        keys = [k for k in scores if k in chosen and scores[k] >= min_score]
    occurrences = _occurrences(stems, keys)
    keys.sort(key=lambda k: (-scores[k], occurrences[k][0]))
    if top_k is not None:
        keys = keys[:top_k]
    result = []
    for k in keys:
        first = occurrences[k][0]
        start, end = tokens.starts[first], tokens.ends[first + len(k) - 1]
        result.append(Keyphrase(tokens.text[start:end], round(scores[k], 6), start, end, len(occurrences[k])))
    return result


def _occurrences(stems: list[str], keys: list[tuple[str, ...]]) -> dict[tuple[str, ...], list[int]]:
    """Start positions of every occurrence of each key in the document's stem sequence."""
    wanted_heads = {k[0] for k in keys}
    heads: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        if s in wanted_heads:
            heads.setdefault(s, []).append(i)
    return {
        k: [i for i in heads[k[0]] if tuple(stems[i : i + len(k)]) == k] for k in keys
    }
