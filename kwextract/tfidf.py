"""TF-IDF evidence for a phrase: how often its words recur in the text, how rare they are in
general, how often the phrase itself occurs and how early.

It is the score kwextract's TF-IDF baseline ranks by (``unsupervised.TfidfScorer``), and the
evidence a model may add to its own ranking (``ModelConfig.tfidf_weight``, ranking.py): on text
unlike its training data a tagger is less sure, while recurrence carries across domains and
languages.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from .language import rules
from .tokenize import TokenizedText


def phrase_tfidf(weights: list[float], occurrences: int, first: int, n_tokens: int) -> float:
    """A phrase's TF-IDF score: ``weights`` (each content word's log(1 + its stem's frequency)
    × its IDF) summed over the square root of their number, × log(1 + the phrase's occurrences),
    × a factor for an early first occurrence at token ``first`` (titles, leads)."""
    position = 1.0 + 1.0 / (1.0 + 10.0 * first / n_tokens)
    return sum(weights) / math.sqrt(len(weights)) * math.log1p(occurrences) * position


def tfidf_scores(tokens: TokenizedText, stems: Sequence[str], phrases: list[tuple[int, int, int]],
                 word_idf: Callable[[str], float]) -> list[float]:
    """``phrase_tfidf`` of each phrase, given as (first token, length in tokens, occurrences).

    Its content words (those that may bound a keyphrase in the text's language) weigh in, with
    their stems' frequencies over the whole text and ``word_idf``'s IDF; a phrase without one
    scores 0."""
    is_content = rules(tokens.lang).is_content
    words, n = tokens.words, max(len(tokens), 1)
    frequency = Counter(s for s, w in zip(stems, words) if is_content(w))
    scores = []
    for first, length, count in phrases:
        content = [i for i in range(first, first + length) if is_content(words[i])]
        weights = [math.log1p(frequency[stems[i]]) * word_idf(words[i]) for i in content]
        scores.append(phrase_tfidf(weights, count, first, n) if weights else 0.0)
    return scores
