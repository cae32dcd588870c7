"""Configuration dataclasses refuse values that would fail later, or silently, naming the field."""

import math

import pytest

from kwextract.config import AdaptConfig, ModelConfig, TrainConfig, from_dict

BAD_MODEL = [("hidden_size", 0), ("num_layers", -1), ("window_tokens", 0), ("max_span_tokens", 0),
             ("dropout", 1.0), ("dropout", -0.1), ("candidate_min_prob", 1.5), ("select_threshold", math.nan),
             ("pretrained_dim", -50), ("word_dim", -1), ("encoder", "transformer"),
             ("tfidf_weight", -0.1), ("tfidf_weight", math.inf), ("tfidf_weight", math.nan)]
BAD_TRAIN = [("epochs", 0), ("patience", 0), ("batch_size", 0), ("learning_rate", 0.0),
             ("learning_rate", math.nan), ("learning_rate", math.inf), ("word_dropout", 1.0), ("grad_clip", -1.0),
             ("max_windows_per_doc", 0), ("pretrain_epochs", -1), ("pretrained_vectors", "word2vec"),
             ("lr_decay", 0.0)]
BAD_ADAPT = [("rounds", 0), ("epochs_per_round", -2), ("min_confidence", 2.0), ("anchor_weight", -1.0),
             ("learning_rate", math.nan), ("tfidf_phrases", -1), ("drift_reference", "yesterday"),
             ("tfidf_weight", -1.0), ("tfidf_weight", math.inf)]


@pytest.mark.parametrize(("field", "value"), BAD_MODEL)
def test_model_config_names_the_bad_field(field, value):
    with pytest.raises(ValueError, match=field):
        ModelConfig(**{field: value})


@pytest.mark.parametrize(("field", "value"), BAD_TRAIN)
def test_train_config_names_the_bad_field(field, value):
    with pytest.raises(ValueError, match=field if field != "pretrained_vectors" else "pretrained vectors"):
        TrainConfig(train=("train.jsonl",), **{field: value})


@pytest.mark.parametrize(("field", "value"), BAD_ADAPT)
def test_adapt_config_names_the_bad_field(field, value):
    with pytest.raises(ValueError, match=field):
        AdaptConfig(**{field: value})


def test_defaults_and_edges_are_accepted():
    ModelConfig(dropout=0.0, candidate_min_prob=0.0, select_threshold=1.0)
    ModelConfig(word_dim=0)  # no word identities (the "multi" recipe)
    with pytest.raises(ValueError, match="word_dim=0"):
        ModelConfig(word_dim=0, pretrained_dim=50)
    TrainConfig(train=("t.jsonl",), epochs=1, word_dropout=0.0, pretrained_vectors="glove-6b-50d")
    AdaptConfig(min_confidence=1.0, tfidf_phrases=0, anchor_weight=0.0)


def test_a_saved_config_with_an_impossible_value_is_refused_on_load():
    data = ModelConfig().to_dict() | {"window_tokens": 0}
    with pytest.raises(ValueError, match="window_tokens"):
        from_dict(ModelConfig, data)
