"""Language-model pre-training of the encoder on raw text."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from kwextract import load
from kwextract.data import read_documents
from kwextract.pretrain import pretrain_encoder
from kwextract.tokenize import Tokenizer
from kwextract.train import TrainConfig, train

from .conftest import TINY


def test_pretraining_learns_the_text_and_leaves_the_tagging_head(tiny_model, corpus):
    extractor = load(tiny_model)
    tokens = Tokenizer().pipe([d.text for d in read_documents(corpus["train"])])
    emit = extractor.tagger.emit.weight.detach().clone()
    encoder = extractor.tagger.encoder.weight_ih_l0.detach().clone()
    losses = pretrain_encoder(extractor, tokens, epochs=4, batch_size=8, learning_rate=1e-2, log=lambda m: None)
    assert len(losses) == 4 and losses[-1] < 0.8 * losses[0]  # the synthetic texts are very predictable
    assert torch.equal(extractor.tagger.emit.weight, emit)
    assert not torch.equal(extractor.tagger.encoder.weight_ih_l0, encoder)


def test_pretraining_refuses_stacked_encoders(tiny_model, corpus, tmp_path):
    config = TrainConfig(train=(str(corpus["train"]),), epochs=1, pretrain_epochs=1, word_min_freq=1)
    with pytest.raises(ValueError, match="one-layer"):
        train(config, replace(TINY, num_layers=2), tmp_path / "m", log=lambda m: None)


def test_training_with_pretraining_is_reproducible(corpus, tmp_path):
    config = TrainConfig(train=(str(corpus["train"]),), epochs=1, pretrain_epochs=1, batch_size=8, word_min_freq=1)
    first = train(config, TINY, tmp_path / "a", log=lambda m: None).tagger.state_dict()
    second = train(config, TINY, tmp_path / "b", log=lambda m: None).tagger.state_dict()
    assert all(torch.equal(first[k], second[k]) for k in first)
