from hypothesis import given
from hypothesis import strategies as st

import numpy as np

from kwextract.bio import B, I, O, align_char_spans, align_phrases, batch_spans, bio_to_spans, spans_to_bio
from kwextract.tokenize import Tokenizer

tokenizer = Tokenizer()


@st.composite
def span_sets(draw):
    length = draw(st.integers(0, 30))
    spans, i = [], 0
    while i < length:
        if draw(st.booleans()):
            end = draw(st.integers(i + 1, length))
            spans.append((i, end))
            i = end + draw(st.integers(0, 2))
        else:
            i += 1
    return spans, length


@given(span_sets())
def test_spans_bio_round_trip(case):
    spans, length = case
    original = list(spans)
    tags = spans_to_bio(spans, length)
    assert len(tags) == length
    assert spans == original  # inputs are never mutated
    # adjacent spans stay apart because each starts with B
    assert bio_to_spans(tags) == sorted(s for s in spans)


def test_i_after_o_starts_a_new_span():
    assert bio_to_spans([O, I, I, O, B, I]) == [(1, 3), (4, 6)]
    assert bio_to_spans([I]) == [(0, 1)]


def test_overlapping_spans_are_rejected():
    import pytest

    with pytest.raises(ValueError):
        spans_to_bio([(0, 2), (1, 3)], 4)


def test_align_every_occurrence_case_insensitively_longest_first():
    toks = tokenizer("Neural networks learn. A neural network, or NEURAL NETWORK, is a network.")
    phrases = ["neural network", "network", "absent phrase"]
    alignment = align_phrases(toks, [tokenizer.words(p) for p in phrases], phrases)
    texts = [toks.text[toks.starts[s] : toks.ends[e - 1]] for s, e in alignment.spans]
    assert texts == ["neural network", "NEURAL NETWORK", "network"]
    assert alignment.absent == ("absent phrase",)
    tags = spans_to_bio(list(alignment.spans), len(toks))
    assert tags.count(B) == 3


def test_phrase_cut_by_token_boundaries_is_reported():
    toks = tokenizer("Multiprocessors are fast.")
    alignment = align_phrases(toks, [["processors"]], ["processors"])
    assert alignment.spans == ()
    assert alignment.misaligned == ("processors",)
    assert alignment.unaligned == 1


def test_char_spans():
    text = "Support vector machines beat decision trees."
    toks = tokenizer(text)
    alignment = align_char_spans(toks, [(0, 23), (29, 43), (3, 10)])
    assert [(toks.starts[s], toks.ends[e - 1]) for s, e in alignment.spans] == [(0, 23), (29, 43)]
    assert alignment.misaligned == ("port ve",)


@given(st.lists(st.lists(st.sampled_from([O, B, I]), min_size=5, max_size=5), min_size=1, max_size=6))
def test_batch_spans_equal_bio_to_spans_row_by_row(rows):
    r, s, e = batch_spans(np.array(rows))
    found = sorted(zip(r.tolist(), s.tolist(), e.tolist()))
    expected = sorted((i, a, b) for i, row in enumerate(rows) for a, b in bio_to_spans(row))
    assert found == expected
