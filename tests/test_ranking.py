"""Span lists and candidates: what ranking reads."""

from __future__ import annotations

import pytest

from kwextract.normalize import stems_of
from kwextract.ranking import ScoredSpan, SpanList, candidates
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
