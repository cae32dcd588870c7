"""Span lists and candidates: what ranking reads."""

from __future__ import annotations

import pytest

import numpy as np

from kwextract.normalize import stems_of
from kwextract.phrase_scorer import Candidate, Candidates
from kwextract.ranking import ScoredSpan, SpanList, candidates, candidates_from_parts
from kwextract.tokenize import Tokenizer

SPANS = [ScoredSpan(0, 2, 0.9), ScoredSpan(5, 6, 0.01), ScoredSpan(8, 10, 0.4), ScoredSpan(0, 1, 0.2)]


def test_a_span_list_keeps_its_spans_and_their_order():
    spans = SpanList.of(SPANS)
    assert len(spans) == 4 and list(spans) == SPANS and spans[2] == SPANS[2]
    assert list(spans.rows()) == [(s.start, s.end, s.prob) for s in SPANS]
    assert list(spans[1:3]) == SPANS[1:3]
    assert list(spans.above(0.2)) == [SPANS[0], SPANS[2], SPANS[3]]
    assert list(SpanList.concatenate([spans[:1], SpanList(), spans[3:]])) == [SPANS[0], SPANS[3]]
    assert len(SpanList.concatenate([])) == 0
    assert list(SpanList.of([])) == []


def test_a_span_list_stores_16_bytes_a_span():
    spans = SpanList(range(1000), range(1, 1001), [0.5] * 1000)
    assert spans.starts.nbytes + spans.ends.nbytes + spans.probs.nbytes == 16 * 1000


def test_a_span_list_refuses_columns_of_different_lengths():
    with pytest.raises(ValueError, match="as many"):
        SpanList([0, 1], [1], [0.5, 0.5])


def test_candidates_are_the_same_from_a_span_list_or_a_list():
    tokens = Tokenizer()("Neural networks learn. A neural network, or neural networks, is a model of the brain.")
    spans = [ScoredSpan(0, 2, 0.7), ScoredSpan(5, 7, 0.5), ScoredSpan(9, 11, 0.2), ScoredSpan(14, 15, 0.3),
             ScoredSpan(15, 17, 0.3)]  # the last starts with a stop word: never a candidate
    stems = stems_of(tokens)
    from_list = candidates(tokens, stems, spans, {(0, 2)})
    from_arrays = candidates(tokens, stems, SpanList.of(spans), {(0, 2)})
    assert from_list == from_arrays
    assert [c.key for c in from_list] == [("neural", "network"), ("model",)]
    assert from_list[0].occurrences == 3 and from_list[0].viterbi and from_list[0].first == 0


def test_candidates_of_spans_in_parts_are_those_of_the_whole(monkeypatch):
    """Parts are read one at a time, new phrases growing the sums as they appear: the same
    candidates, numbers and floats as from one list (chunked finer than SPANS_AT_ONCE too)."""
    import kwextract.ranking as ranking

    text = " ".join(f"Neural network {i % 7} learns graph model {i % 5}. The brain model again." for i in range(60))
    tokens = Tokenizer()(text)
    stems = stems_of(tokens)
    rng = np.random.default_rng(3)
    starts = rng.integers(0, len(tokens) - 3, 3000)
    spans = SpanList(starts, starts + rng.integers(1, 4, 3000), rng.random(3000))
    decoded = {(int(s), int(e)) for s, e in zip(spans.starts[::7], spans.ends[::7])}
    whole = candidates(tokens, stems, spans, decoded)
    cuts = [0, 1, 2, 500, 501, 1900, 3000]
    parts = (spans[a:b] for a, b in zip(cuts, cuts[1:]))  # read once, as extract reads them
    assert candidates_from_parts(tokens, stems, parts, decoded) == whole and len(whole) > 50
    monkeypatch.setattr(ranking, "SPANS_AT_ONCE", 64)
    assert candidates(tokens, stems, spans, decoded) == whole
    assert len(candidates_from_parts(tokens, stems, [], set())) == 0


def test_tfidf_evidence_reranks_the_top_k_and_keeps_scores_probabilities():
    from kwextract.ranking import rank

    text = ("Graph partitioning with a genetic algorithm. We study graph partitioning of sparse graphs; "
            "graph partitioning matters, and balanced graph partitioning is hard.")
    tokens = Tokenizer()(text)
    words = list(tokens.words)
    ga, gp = words.index("genetic"), words.index("Graph")
    spans = SpanList.of([ScoredSpan(ga, ga + 2, 0.8), ScoredSpan(gp, gp + 2, 0.5)])
    plain = rank(tokens, spans, set(), top_k=10)
    assert [k.text for k in plain] == ["genetic algorithm", "Graph partitioning"]
    assert rank(tokens, spans, set(), top_k=10, tfidf_weight=0.0) == plain
    fused = rank(tokens, spans, set(), top_k=10, tfidf_weight=5.0)
    # "graph partitioning" recurs four times: its TF-IDF is the best, so with weight 5 its score
    # is (0.5 + 5 * 1) / 6, above (0.8 + 5 * tfidf(genetic algorithm) / best) / 6
    assert [k.text for k in fused] == ["Graph partitioning", "genetic algorithm"]
    assert fused[0].score == pytest.approx(5.5 / 6, abs=1e-6) and 0 <= fused[1].score <= 1
    assert (fused[0].start, fused[0].end, fused[0].count) == (plain[1].start, plain[1].end, plain[1].count) == (0, 18, 4)
    # the model's own selection (top_k=None) is not re-ranked
    assert rank(tokens, spans, set(), top_k=None, tfidf_weight=5.0) == rank(tokens, spans, set(), top_k=None)


def test_candidates_are_rows_of_arrays():
    rows = [Candidate(("neural", "network"), 3, np.log(0.25), 0.5, 1.0, 2, True),
            Candidate(("model",), 7, np.log(0.9), 0.1, 0.1, 1, False)]
    found = Candidates.of(rows)
    assert len(found) == 2 and list(found) == rows and found[1] == rows[1] and found[:1] == Candidates.of(rows[:1])
    assert found.keys == [("neural", "network"), ("model",)] and found.first.tolist() == [3, 7]
    assert found.noisy_or.tolist() == pytest.approx([0.75, 0.1]) and rows[0].noisy_or == pytest.approx(0.75)
    with pytest.raises(ValueError, match="one value of each statistic per key"):
        Candidates([("model",)], [1, 2], [0.0], [0.0], [0.0], [1], [False])


def test_candidates_sum_each_phrase_in_the_order_its_spans_come():
    """Spans in any order: a phrase is numbered by its first span, ``first`` is its earliest
    token, and a span that cannot bound a phrase (a stop word at an end) counts for nothing."""
    tokens = Tokenizer()("Neural networks learn. A neural network, or neural networks, is a model of the brain.")
    stems = stems_of(tokens)
    spans = [ScoredSpan(14, 15, 0.3), ScoredSpan(9, 11, 0.2), ScoredSpan(15, 17, 0.9), ScoredSpan(0, 2, 0.7),
             ScoredSpan(5, 7, 1.0)]
    found = candidates(tokens, stems, spans, {(9, 11)})
    assert found.keys == [("model",), ("neural", "network")]
    network = found[1]
    assert network.first == 0 and network.occurrences == 3 and network.viterbi
    assert network.best == pytest.approx(1.0 - 1e-12) and network.total == pytest.approx(1.9)
    assert network.noisy_or == pytest.approx(1.0) and found[0].noisy_or == pytest.approx(0.3)
    assert not found[0].viterbi
    assert len(candidates(tokens, stems, [], set())) == 0
