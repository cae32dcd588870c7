"""Shared fixtures: a small labelled corpus the tests write, and a tiny model trained on it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kwextract.config import ModelConfig
from kwextract.train import TrainConfig, train

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
TOPICS = [
    "neural network", "keyphrase extraction", "conditional random field", "graph partitioning",
    "image segmentation", "query optimization", "wireless sensor network", "genetic algorithm",
    "speech recognition", "decision tree", "support vector machine", "information retrieval",
]  # fmt: skip
FILLERS = [
    "We study {a} and its relation to {b}.",
    "A new method for {a} is proposed.",
    "Experiments show that {a} outperforms earlier work on {b}.",
    "The results of {a} are discussed in detail.",
    "Finally, we compare {a} with {b} on three benchmarks.",
]


def make_corpus(path: Path, n_docs: int, seed: int) -> Path:
    """A JSONL file of short synthetic abstracts whose gold keyphrases are the topics used."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_docs):
            used: list[str] = []
            sentences = []
            for _ in range(rng.randint(3, 6)):
                a, b = rng.sample(TOPICS, 2)
                used += [a, b] if "{b}" in (f := rng.choice(FILLERS)) else [a]
                sentences.append(f.format(a=a, b=b).capitalize())
            record = {"id": f"doc{i}", "text": " ".join(sentences), "keyphrases": sorted(set(used))}
            out.write(json.dumps(record) + "\n")
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpus")
    return {
        "train": make_corpus(root / "train.jsonl", 60, seed=1),
        "dev": make_corpus(root / "dev.jsonl", 15, seed=2),
    }


TINY = ModelConfig(hidden_size=16, num_layers=1, word_dim=16, char_dim=8, char_filters=8, window_tokens=24)


@pytest.fixture(scope="session")
def tiny_model(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small BiLSTM-CRF trained for a few epochs on the synthetic corpus (a few seconds)."""
    out = tmp_path_factory.mktemp("models") / "tiny"
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=6, patience=6,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1)
    train(config, TINY, out, log=lambda message: None)
    return out


@pytest.fixture(scope="session")
def tiny_model_b(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same tiny recipe with another seed: a second member for ensemble tests."""
    out = tmp_path_factory.mktemp("models") / "tiny-b"
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=6, patience=6,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, seed=14)
    train(config, TINY, out, log=lambda message: None)
    return out


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared datasets not found at {SHARED}")
