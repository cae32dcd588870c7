"""TF-IDF evidence: recurrence, rarity and position raise a phrase's score; stop words never count."""

from __future__ import annotations

import pytest

from kwextract.normalize import stems_of
from kwextract.tfidf import phrase_tfidf, tfidf_scores
from kwextract.tokenize import Tokenizer


def test_recurring_early_rare_phrases_score_higher():
    text = ("Graph partitioning of sparse matrices. We study graph partitioning with a heuristic; "
            "the heuristic is simple, and graph partitioning is what the paper is about.")
    tokens = Tokenizer()(text)
    stems, words = stems_of(tokens), list(tokens.words)
    gp, heuristic, the = words.index("Graph"), words.index("heuristic"), words.index("the")
    scores = tfidf_scores(tokens, stems, [(gp, 2, 3), (heuristic, 1, 2), (the, 1, 1)], lambda w: 1.0)
    assert scores[0] > scores[1] > 0 and scores[2] == 0.0  # "the" is a stop word: no content, no score
    rare = tfidf_scores(tokens, stems, [(heuristic, 1, 2)], lambda w: 3.0 if w == "heuristic" else 1.0)
    assert rare[0] == pytest.approx(3 * scores[1])  # IDF multiplies a word's weight
    assert phrase_tfidf([1.0], 1, 0, 100) > phrase_tfidf([1.0], 1, 90, 100)  # earlier is better


def test_stop_words_are_the_texts_language():
    tokens = Tokenizer(lang="fr")("La réforme des retraites. Le gouvernement défend la réforme.")
    stems, words = stems_of(tokens), list(tokens.words)
    scores = tfidf_scores(tokens, stems, [(words.index("La"), 1, 1), (words.index("réforme"), 1, 2)], lambda w: 1.0)
    assert scores[0] == 0.0 and scores[1] > 0  # "la" is a French stop word
