"""Tokens → arrays the network reads: word ids, character ids and document features.

Features are computed over the whole document before it is cut into windows, so a
window of a long paper still knows how often a word occurs in the paper and where it
first appeared: the cues that separate a paper's topic from its passing words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from .tokenize import TokenizedText
from .vocab import Vocab

FEATURES = (
    "is_title",  # Capitalised word
    "is_upper",  # ALL CAPS (acronyms)
    "has_digit",
    "no_alnum",  # punctuation and symbols
    "is_stop",  # English stop word
    "log_tf",  # log(1 + occurrences of the lowercased word in the document) / 5
    "first_seen",  # relative position of the word's first occurrence in the document
    "position",  # relative position of this token in the document
    "log_length",  # log(document length in tokens) / 10
)
NUM_FEATURES = len(FEATURES)


@dataclass(frozen=True)
class DocumentArrays:
    """Per-token arrays of one document (``n`` tokens)."""

    word_ids: np.ndarray  # shape: (n,) int64
    char_ids: np.ndarray  # shape: (n, max_chars) int64, 0-padded
    features: np.ndarray  # shape: (n, NUM_FEATURES) float32


def featurize(tokens: TokenizedText, words: Vocab, chars: Vocab, max_chars: int) -> DocumentArrays:
    """Turn one tokenized document into arrays (no per-window work happens later)."""
    n = len(tokens)
    lowered = [w.lower() for w in tokens.words]
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, w in enumerate(lowered):
        counts[w] = counts.get(w, 0) + 1
        first.setdefault(w, i)

    char_cache: dict[str, list[int]] = {}
    char_ids = np.zeros((n, max_chars), dtype=np.int64)
    features = np.zeros((n, NUM_FEATURES), dtype=np.float32)
    denominator = max(n - 1, 1)
    for i, word in enumerate(tokens.words):
        ids = char_cache.get(word)
        if ids is None:
            ids = char_cache[word] = [chars[c] for c in word[:max_chars]]
        char_ids[i, : len(ids)] = ids
        low = lowered[i]
        features[i, 0] = word[:1].isupper() and not word.isupper()
        features[i, 1] = word.isupper() and len(word) > 1
        features[i, 2] = any(c.isdigit() for c in word)
        features[i, 3] = not any(c.isalnum() for c in word)
        features[i, 4] = low in STOP_WORDS
        features[i, 5] = math.log1p(counts[low]) / 5.0
        features[i, 6] = first[low] / denominator
    if n:
        features[:, 7] = np.arange(n, dtype=np.float32) / denominator
        features[:, 8] = math.log(n) / 10.0
    word_ids = np.fromiter((words[w] for w in lowered), dtype=np.int64, count=n)
    return DocumentArrays(word_ids, char_ids, features)
