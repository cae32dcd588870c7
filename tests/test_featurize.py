"""Featurization: per-form storage, windows gathered from it, document statistics."""

from __future__ import annotations

import math

import numpy as np

from kwextract.featurize import FEATURES, NUM_FEATURES, featurize
from kwextract.language import rules
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


def test_character_ids_and_word_flags_on_nasty_forms():
    """Each form's character row and flags, computed for all forms at once, against their
    definitions one form at a time (digits of other scripts, numerals that are letters,
    titlecase letters, words longer than max_chars, forms of no letter or digit)."""
    text = ("naïve ÆØÅ x² ٣ Ⅻ ǅemal CO2 e.g. — supercalifragilistic A 3-D ﬁle Ünïcödé 12 ... the")
    tokens = Tokenizer()(text)
    chars = Vocab(sorted(set(text) - {"é"}))  # one character unknown to the model
    arrays = featurize(tokens, Vocab(["the"]), chars, max_chars=8)
    feature = {name: i for i, name in enumerate(FEATURES)}
    for i, word in enumerate(tokens.words):
        expected_chars = chars.ids(word[:8]) + [0] * (8 - len(word[:8]))
        assert arrays.char_ids[i].tolist() == expected_chars, word
        expected = {
            "is_title": word[:1].isupper() and not word.isupper(),
            "is_upper": word.isupper() and len(word) > 1,
            "has_digit": any(c.isdigit() for c in word),
            "no_alnum": not any(c.isalnum() for c in word),
            "is_stop": word.lower() in rules("en").stop_words,
        }
        assert {name: bool(arrays.features[i, feature[name]]) for name in expected} == expected, word
    assert arrays.char_ids[tokens.words.index("Ünïcödé")].tolist()[6] == 1  # "é": <unk> (id 1)
