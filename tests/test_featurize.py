"""Featurization: per-form storage, windows gathered from it, document statistics."""

from __future__ import annotations

import math

import numpy as np

from kwextract.featurize import FEATURES, NUM_FEATURES, featurize
from kwextract.tokenize import Tokenizer
from kwextract.vocab import Vocab

TEXT = ("Graph partitioning splits a graph into parts. The Graph partitioning problem is NP-hard, "
        "and spectral methods for GRAPH partitioning use 2 eigenvectors.")


def _arrays(text: str = TEXT):
    tokens = Tokenizer()(text)
    words = Vocab(["graph", "partitioning", "the", "spectral"])
    chars = Vocab(sorted(set(text)))
    return tokens, featurize(tokens, words, chars, max_chars=8)


def test_each_token_has_its_form_row_and_the_document_statistics():
    tokens, arrays = _arrays()
    feature = {name: i for i, name in enumerate(FEATURES)}
    x = arrays.features
    assert x.shape == (len(tokens), NUM_FEATURES) and len(arrays) == len(tokens)
    graph = [i for i, w in enumerate(tokens.words) if w.lower() == "graph"]
    assert len(graph) == 4
    # frequency and first occurrence belong to the lowercased word, whatever its case
    assert np.allclose(x[graph, feature["log_tf"]], math.log1p(4) / 5)
    assert np.allclose(x[graph, feature["first_seen"]], graph[0] / (len(tokens) - 1))
    assert x[tokens.words.index("Graph"), feature["is_title"]] == 1
    assert x[tokens.words.index("GRAPH"), feature["is_upper"]] == 1
    assert x[tokens.words.index("2"), feature["has_digit"]] == 1
    assert x[tokens.words.index("."), feature["no_alnum"]] == 1
    assert x[tokens.words.index("The"), feature["is_stop"]] == 1
    assert np.allclose(x[:, feature["position"]], np.arange(len(tokens)) / (len(tokens) - 1))
    words = arrays.word_ids
    assert words[graph[0]] == words[graph[-1]] != words[tokens.words.index("splits")]  # unknown: id of <unk>


def test_a_window_is_the_same_rows_as_the_whole_document():
    tokens, arrays = _arrays()
    whole = (arrays.word_ids, arrays.char_ids, arrays.features)
    for start, end in [(0, 5), (3, 17), (len(tokens) - 4, len(tokens))]:
        for part, full in zip(arrays.window(start, end), whole):
            assert np.array_equal(part, full[start:end])


def test_a_repetitive_long_text_stores_one_row_per_distinct_form():
    text = " ".join([TEXT] * 2000)
    tokens, arrays = _arrays(text)
    assert len(arrays) == len(tokens) > 50_000
    assert len(arrays.form_chars) == len(set(tokens.words)) < 40
    assert arrays.form_of.itemsize == 4  # a token costs four bytes here, whatever its features
