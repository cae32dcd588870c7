"""Word vectors learned from raw text before training: skip-gram with negative sampling.

Trained from a random start, the tagger's word embeddings learn only from keyphrase labels,
so a word seen a few times outside any keyphrase barely moves. Skip-gram (word2vec,
Mikolov et al. 2013) first places every vocabulary word by the words around it, over all of
the training texts, so that words used alike start alike; the tagger then trains from
these vectors as usual (they are not frozen). It needs no labels and, unlike the
language-model pre-training of ``pretrain.py``, neither a one-layer encoder nor a softmax
over the whole vocabulary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .tokenize import TokenizedText
from .vocab import Vocab


@dataclass(frozen=True)
class WordVectorConfig:
    """Skip-gram settings: word2vec's usual ones (Mikolov et al. 2013)."""

    epochs: int = 5
    window: int = 5  # context words each side; each centre word draws its own width in 1..window
    negatives: int = 5  # noise words per (centre, context) pair, drawn from unigram counts ** 0.75
    subsample: float = 1e-4  # frequent words are dropped with probability 1 - sqrt(t / f) - t / f
    batch_size: int = 4096
    learning_rate: float = 0.01
    seed: int = 13


def word_ids(tokens: list[TokenizedText], words: Vocab) -> list[np.ndarray]:
    """Each document's lowercased words as vocabulary ids (1: unknown)."""
    return [np.fromiter((words[w.lower()] for w in doc.words), dtype=np.int64, count=len(doc)) for doc in tokens]


def skipgram_pairs(documents: list[np.ndarray], keep: np.ndarray, window: int,
                   rng: np.random.Generator) -> np.ndarray:
    """(centre, context) id pairs of one epoch, shape (pairs, 2), document by document.

    Unknown words and padding (ids 0 and 1) are dropped, and every other word is kept with
    probability ``keep[id]``; pairs are then taken within the surviving words, so dropping
    frequent words widens the effective window, as in word2vec."""
    pairs = []
    for ids in documents:
        ids = ids[(ids > 1) & (rng.random(len(ids)) < keep[ids])]
        width = rng.integers(1, window + 1, len(ids))  # each centre word's own window
        for d in range(1, min(window, len(ids) - 1) + 1):
            left, right = ids[:-d], ids[d:]
            forward = width[:-d] >= d  # centre on the left, context d words to its right
            backward = width[d:] >= d
            pairs.append(np.stack([left[forward], right[forward]], axis=1))
            pairs.append(np.stack([right[backward], left[backward]], axis=1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)


def train_word_vectors(
    tokens: list[TokenizedText],
    words: Vocab,
    dim: int,
    config: WordVectorConfig = WordVectorConfig(),
    log: Callable[[str], None] = print,
) -> torch.Tensor:
    """Skip-gram vectors for every word of ``words``, shape (len(words), dim).

    Scaled to the standard deviation of a new tagger's embeddings (1); a word that never
    occurs in ``tokens`` gets a random vector of that scale, padding (id 0) zeros. Seeded by
    ``config.seed`` with its own generators: the caller's random state is left alone."""
    documents = word_ids(tokens, words)
    counts = np.bincount(np.concatenate(documents or [np.zeros(0, dtype=np.int64)]),
                         minlength=len(words)).astype(np.float64)
    counts[:2] = 0.0  # padding and unknown words are neither centres nor contexts
    if counts.sum() == 0:
        raise ValueError("no vocabulary word occurs in the texts: nothing to learn word vectors from")
    frequency = counts / counts.sum()
    ratio = config.subsample / np.maximum(frequency, 1e-12)
    keep = np.minimum(1.0, np.sqrt(ratio) + ratio)
    noise = np.cumsum(counts**0.75)
    noise /= noise[-1]
    rng = np.random.default_rng(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    initial = torch.empty(len(words), dim).uniform_(-0.5 / dim, 0.5 / dim, generator=generator)
    centre = nn.Embedding.from_pretrained(initial, freeze=False, sparse=True)  # no draw from the global generator
    context = nn.Embedding.from_pretrained(torch.zeros(len(words), dim), freeze=False, sparse=True)
    optimizer = torch.optim.SparseAdam([centre.weight, context.weight], lr=config.learning_rate)
    for epoch in range(1, config.epochs + 1):
        started = time.time()
        found = skipgram_pairs(documents, keep, config.window, rng)
        pairs = torch.from_numpy(found[rng.permutation(len(found))])
        batches = range(0, len(pairs), config.batch_size)
        total = 0.0
        for start in batches:
            batch = pairs[start : start + config.batch_size]
            noise_ids = np.searchsorted(noise, rng.random((len(batch), config.negatives)), side="right")
            c = centre(batch[:, 0])  # shape: (batch, dim)
            positive = (c * context(batch[:, 1])).sum(1)
            negative = torch.bmm(context(torch.from_numpy(noise_ids)), c.unsqueeze(2)).squeeze(2)
            loss = -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(1)).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        log(f"word vectors epoch {epoch}: {len(pairs)} pairs, loss {total / max(len(batches), 1):.4f}, "
            f"{time.time() - started:.0f} s")
    seen = torch.from_numpy(counts > 0)
    learned = centre.weight.detach()
    vectors = torch.randn(len(words), dim, generator=generator)
    vectors[seen] = learned[seen] / learned[seen].std()
    vectors[0] = 0.0
    return vectors
