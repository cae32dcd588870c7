"""A teacher's tag probabilities (distill.py) and a student trained on them (train --teacher)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kwextract import load
from kwextract.batching import collate
from kwextract.distill import token_marginals
from kwextract.errors import ModelNotFoundError
from kwextract.train import TrainConfig, label, train
from kwextract.tokenize import windows

from .conftest import TINY

ABSTRACT = ("Wireless sensor networks consist of small battery-powered nodes. We propose a duty cycling "
            "scheme that extends network lifetime while keeping latency low, and evaluate it in simulation.")


def test_every_token_gets_a_distribution_that_marks_the_teachers_phrases():
    teacher = load("fast")
    tokens = teacher.tokenizer(ABSTRACT)
    [probs] = token_marginals(teacher, [tokens])
    assert probs.shape == (len(tokens), 3) and probs.dtype == np.float32
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    decoded = {kp.text.lower() for kp in teacher.extract(ABSTRACT, top_k=None)}
    start = tokens.words.index("Wireless")
    if "wireless sensor networks" in decoded:
        assert probs[start, 1] > 0.5 and probs[start + 1, 2] > 0.5
    assert probs[tokens.words.index("consist"), 0] > 0.5  # a verb is outside any phrase


def test_a_long_text_is_covered_window_by_window():
    teacher = load("fast")
    tokens = teacher.tokenizer(" ".join([ABSTRACT] * 40))
    assert len(windows(tokens, teacher.config.window_tokens)) > 1
    [probs] = token_marginals(teacher, [tokens])
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_an_ensembles_probabilities_are_its_members_mean():
    pair = load("default")
    tokens = pair.tokenizer(ABSTRACT)
    [mean] = token_marginals(pair, [tokens])
    each = [token_marginals(member, [tokens])[0] for member in pair.members]
    assert np.allclose(mean, np.mean(each, axis=0), atol=1e-6)
    assert not np.allclose(each[0], each[1], atol=1e-3)  # two taggers, two opinions


def _disagreement(model, targets, tokens) -> float:
    """Cross-entropy of ``model``'s token marginals against ``targets`` over every window of ``tokens``."""
    from kwextract.batching import Window

    arrays = [model.featurize(t) for t in tokens]
    group = [Window(i, a, b) for i, t in enumerate(tokens) for a, b in windows(t, model.config.window_tokens)]
    batch = collate(arrays, group, targets=targets)
    model.tagger.eval()
    with torch.no_grad():
        emissions = model.tagger(batch.word_ids, batch.char_ids, batch.features, batch.mask)
        return float(model.tagger.crf.soft_nll(emissions, batch.targets, batch.mask))


def _student(corpus, out, **kwargs):
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=3, patience=3,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, seed=3, **kwargs)
    return train(config, TINY, out, log=lambda message: None)


def test_a_student_learns_its_teachers_beliefs_and_records_its_teacher(corpus, tmp_path):
    from kwextract.data import read_documents

    student = _student(corpus, tmp_path / "student", teacher="fast", teacher_weight=1.0)
    alone = _student(corpus, tmp_path / "alone")
    tokens = label("train", read_documents(corpus["train"]), student.tokenizer).tokens
    targets = token_marginals(load("fast"), tokens)
    assert _disagreement(student, targets, tokens) < _disagreement(alone, targets, tokens)
    assert student.meta["train_config"]["teacher"] == "fast"
    assert load(tmp_path / "student").meta["train_config"]["teacher_weight"] == 1.0
    card = (tmp_path / "student" / "MODEL_CARD.md").read_text()
    assert "- Distilled from: fast (its tag probabilities, weight 1.0, beside the training labels)" in card
    assert "Distilled from" not in (tmp_path / "alone" / "MODEL_CARD.md").read_text()


def test_no_teacher_weight_trains_as_without_a_teacher(corpus, tmp_path):
    a = _student(corpus, tmp_path / "a", teacher="fast", teacher_weight=0.0).tagger.state_dict()
    b = _student(corpus, tmp_path / "b").tagger.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_a_teacher_weight_outside_0_1_is_refused(weight):
    with pytest.raises(ValueError, match="teacher_weight must be from 0 to 1"):
        TrainConfig(train=("x.jsonl",), teacher="fast", teacher_weight=weight)


def test_an_unknown_teacher_is_named(corpus, tmp_path):
    with pytest.raises(ModelNotFoundError, match="no-such-teacher"):
        _student(corpus, tmp_path / "x", teacher=str(tmp_path / "no-such-teacher"))


def test_a_teacher_also_teaches_beside_silver_labels_of_raw_texts(corpus, tmp_path):
    from kwextract.unsupervised import train_unsupervised

    config = TrainConfig(train=(), epochs=1, batch_size=8, learning_rate=1e-2, word_min_freq=1, teacher="fast")
    model = train_unsupervised([corpus["train"]], config, TINY, tmp_path / "u", log=lambda m: None)
    assert model.meta["train_config"]["teacher"] == "fast"
    assert "- Distilled from: fast" in (tmp_path / "u" / "MODEL_CARD.md").read_text()
    assert model.extract(ABSTRACT)  # a working model
