"""Skip-gram word vectors learned from the training texts before training."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kwextract import load
from kwextract.data import read_documents
from kwextract.errors import InputError
from kwextract.tokenize import Tokenizer
from kwextract.train import TrainConfig, build_vocabularies, train
from kwextract.vocab import Vocab
from kwextract.word_vectors import WordVectorConfig, skipgram_pairs, train_word_vectors, word_ids

from .conftest import TINY

ANIMALS, VEHICLES = ["cat", "dog", "cow", "horse"], ["car", "bus", "truck", "tram"]


def _texts(n: int = 300, seed: int = 0) -> list[str]:
    """Animals and vehicles in sentences of their own: words used alike, in different company."""
    rng = np.random.default_rng(seed)
    texts = []
    for _ in range(n):
        animal, vehicle = rng.choice(ANIMALS), rng.choice(VEHICLES)
        texts.append(f"The hungry {animal} eats green grass in the quiet meadow. "
                     f"The noisy {vehicle} drives along the wet road downtown.")
    return texts


def test_pairs_are_the_neighbours_within_the_window_both_ways():
    ids = np.array([2, 3, 1, 4, 5])  # id 1, an unknown word, is dropped before pairing
    pairs = skipgram_pairs([ids], np.ones(6), window=1, rng=np.random.default_rng(0))
    assert sorted(map(tuple, pairs.tolist())) == sorted([(2, 3), (3, 2), (3, 4), (4, 3), (4, 5), (5, 4)])


def test_frequent_words_are_subsampled():
    ids = np.array([2, 3] * 500)
    keep = np.array([0.0, 0.0, 0.1, 1.0])  # word 2 is kept a tenth of the time
    pairs = skipgram_pairs([ids], keep, window=2, rng=np.random.default_rng(0))
    centres = np.bincount(pairs[:, 0], minlength=4)
    assert 0 < centres[2] < 0.3 * centres[3]


def test_words_used_alike_get_similar_vectors():
    tokens = Tokenizer().pipe(_texts())
    words, _ = build_vocabularies(tokens, TrainConfig(train=("t",), word_min_freq=1))
    config = WordVectorConfig(epochs=5, subsample=1e-2, batch_size=64)
    vectors = train_word_vectors(tokens, words, 16, config, log=lambda m: None)
    # Skip-gram vectors share a common direction (every word is some word's context): compare what is left.
    centred = vectors - vectors[2:].mean(0)
    unit = {w: torch.nn.functional.normalize(centred[words[w]], dim=0) for w in ANIMALS + VEHICLES}

    def similarity(a: list[str], b: list[str]) -> float:
        pairs = [(x, y) for x in a for y in b if x != y]
        return sum(float(unit[x] @ unit[y]) for x, y in pairs) / len(pairs)

    within = (similarity(ANIMALS, ANIMALS) + similarity(VEHICLES, VEHICLES)) / 2
    assert within > similarity(ANIMALS, VEHICLES) + 0.5


def test_vectors_are_seeded_scaled_and_leave_the_callers_random_state_alone():
    tokens = Tokenizer().pipe(_texts(40))
    words = Vocab(["the", "cat", "car", "never-seen"])
    state = torch.random.get_rng_state()
    first = train_word_vectors(tokens, words, 8, WordVectorConfig(epochs=2), log=lambda m: None)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert torch.equal(first, train_word_vectors(tokens, words, 8, WordVectorConfig(epochs=2), log=lambda m: None))
    other = train_word_vectors(tokens, words, 8, WordVectorConfig(epochs=2, seed=14), log=lambda m: None)
    assert not torch.equal(first, other)
    assert torch.equal(first[0], torch.zeros(8))  # padding
    seen = first[[words[w] for w in ("the", "cat", "car")]]
    assert seen.std().item() == pytest.approx(1.0, abs=1e-5)
    assert first[words["never-seen"]].abs().sum() > 0  # absent from the texts: a random start, not zeros


def test_texts_without_a_vocabulary_word_are_refused():
    tokens = Tokenizer().pipe(["Nothing here is known."])
    with pytest.raises(ValueError, match="no vocabulary word occurs"):
        train_word_vectors(tokens, Vocab(["absent"]), 8, log=lambda m: None)


def test_training_starts_from_the_word_vectors(corpus, tmp_path):
    config = TrainConfig(train=(str(corpus["train"]),), epochs=1, batch_size=8, word_min_freq=1,
                         learning_rate=1e-30, phrase_scorer=False, word_vector_epochs=2)
    model = train(config, TINY, tmp_path / "m", log=lambda m: None)  # steps of 1e-30: the start is kept
    tokens = Tokenizer().pipe([d.text for d in read_documents(corpus["train"])])
    words, _ = build_vocabularies(tokens, config)
    expected = train_word_vectors(tokens, words, TINY.word_dim, WordVectorConfig(epochs=2, seed=config.seed),
                                  log=lambda m: None)
    assert torch.equal(load(tmp_path / "m").tagger.words.weight.detach(), expected)
    assert model.meta["train_config"]["word_vector_epochs"] == 2


def test_word_ids_lowercase_and_mark_unknown_words():
    (ids,) = word_ids(Tokenizer().pipe(["The CAT saw Zebras"]), Vocab(["the", "cat"]))
    assert ids.tolist() == [2, 3, 1, 1]


def test_a_base_model_gets_no_word_vectors(tiny_model, corpus, tmp_path):
    config = TrainConfig(train=(str(corpus["train"]),), epochs=1, base=str(tiny_model), word_vector_epochs=1)
    with pytest.raises(InputError, match="pre-training is for new models"):
        train(config, TINY, tmp_path / "m", log=lambda m: None)


def test_negative_epochs_are_refused():
    with pytest.raises(ValueError, match="word_vector_epochs must be at least 0, got -1"):
        TrainConfig(train=("train.jsonl",), word_vector_epochs=-1)
