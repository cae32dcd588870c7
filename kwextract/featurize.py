"""Tokens → arrays the network reads: word ids, character ids and document features.

Features are computed over the whole document before it is cut into windows, so a
window of a long paper still knows how often a word occurs in the paper and where it
first appeared: the cues that separate a paper's topic from its passing words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from .language import rules
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
    """Turn one tokenized document into arrays (no per-window work happens later).

    Work is done once per distinct word form and then gathered to token positions.
    """
    n = len(tokens)
    forms: dict[str, int] = {}  # distinct surface forms, in order of first occurrence
    form_of = np.fromiter((forms.setdefault(w, len(forms)) for w in tokens.words), dtype=np.int64, count=n)
    lowers: dict[str, int] = {}
    lower_of_form = np.fromiter((lowers.setdefault(w.lower(), len(lowers)) for w in forms), dtype=np.int64,
                                count=len(forms))
    lower_of = lower_of_form[form_of]  # shape: (n,)

    form_chars = np.zeros((len(forms), max_chars), dtype=np.int64)
    form_features = np.zeros((len(forms), 5), dtype=np.float32)
    stop_words = rules(tokens.lang).stop_words
    for f, word in enumerate(forms):
        ids = [chars[c] for c in word[:max_chars]]
        form_chars[f, : len(ids)] = ids
        form_features[f] = (
            word[:1].isupper() and not word.isupper(),
            word.isupper() and len(word) > 1,
            any(c.isdigit() for c in word),
            not any(c.isalnum() for c in word),
            word.lower() in stop_words,
        )
    denominator = max(n - 1, 1)
    counts = np.bincount(lower_of, minlength=len(lowers))
    first = np.full(len(lowers), n, dtype=np.int64)
    np.minimum.at(first, lower_of, np.arange(n))

    features = np.zeros((n, NUM_FEATURES), dtype=np.float32)
    features[:, :5] = form_features[form_of]
    features[:, 5] = np.log1p(counts[lower_of]) / 5.0
    features[:, 6] = first[lower_of] / denominator
    if n:
        features[:, 7] = np.arange(n, dtype=np.float32) / denominator
        features[:, 8] = math.log(n) / 10.0
    lower_ids = np.fromiter((words[w] for w in lowers), dtype=np.int64, count=len(lowers))
    return DocumentArrays(lower_ids[lower_of], form_chars[form_of], features)
