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
from .rarity import GeneralRarity
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
# Read after FEATURES by a model with ModelConfig.general_rarity: the word's rarity in the text's
# language (rarity.py), a form feature kept after the others.
GENERAL_RARITY = "general_rarity"


FORM_FEATURES = FEATURES.index("position")  # the features before it belong to a word form; the rest to the token


@dataclass(frozen=True)
class DocumentArrays:
    """One document (``length`` tokens) as the network reads it, stored per distinct word form.

    A long document repeats its forms, so each token costs one index (``form_of``) and each
    form one row; ``window`` gathers the per-token arrays of a window when it is batched. A
    10 MB text thus never holds character ids or features for all its tokens at once.
    """

    form_of: np.ndarray  # shape: (length,) int32, each token's form
    form_word_ids: np.ndarray  # shape: (forms,) int64
    form_chars: np.ndarray  # shape: (forms, max_chars) int32, 0-padded (batches widen them to int64)
    form_features: np.ndarray  # shape: (forms, FORM_FEATURES [+ 1: general_rarity]) float32
    length: int

    def __len__(self) -> int:
        return self.length

    @property
    def num_features(self) -> int:
        """Features per token: NUM_FEATURES, and general_rarity after them when it was computed."""
        return self.form_features.shape[1] + NUM_FEATURES - FORM_FEATURES

    def window(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Word ids (end - start,), character ids (end - start, max_chars) and features
        (end - start, num_features) of tokens ``start:end``."""
        forms = self.form_of[start:end]
        features = np.empty((len(forms), self.num_features), dtype=np.float32)
        features[:, :FORM_FEATURES] = self.form_features[forms, :FORM_FEATURES]
        features[:, FORM_FEATURES] = np.arange(start, start + len(forms), dtype=np.float32) / max(self.length - 1, 1)
        features[:, FORM_FEATURES + 1] = math.log(max(self.length, 1)) / 10.0  # log_length
        if features.shape[1] > NUM_FEATURES:  # general_rarity
            features[:, NUM_FEATURES:] = self.form_features[forms, FORM_FEATURES:]
        return self.form_word_ids[forms], self.form_chars[forms], features

    @property
    def word_ids(self) -> np.ndarray:
        """The whole document's word ids (a window's: ``window``)."""
        return self.window(0, self.length)[0]

    @property
    def char_ids(self) -> np.ndarray:
        return self.window(0, self.length)[1]

    @property
    def features(self) -> np.ndarray:
        return self.window(0, self.length)[2]


def _digit_flags(word: str) -> tuple[bool, bool]:
    """A form's has_digit and no_alnum flags; a form of letters only (most) has no digit and
    is alphanumeric, which ``isalpha`` tells without testing each character."""
    if word.isalpha():
        return False, False
    return any(map(str.isdigit, word)), not any(map(str.isalnum, word))


def featurize(tokens: TokenizedText, words: Vocab, chars: Vocab, max_chars: int,
              rarity: GeneralRarity | None = None) -> DocumentArrays:
    """Turn one tokenized document into arrays (no per-window work happens later but gathering).

    Work is done once per distinct word form; the document statistics (a word's frequency and
    first occurrence) are counted over the lowercased word, over the whole document. With
    ``rarity``, each form also gets its rarity in the text's language (general_rarity).
    """
    n = len(tokens)
    forms: dict[str, int] = {}  # distinct surface forms, in order of first occurrence
    form_of = np.fromiter((forms.setdefault(w, len(forms)) for w in tokens.words), dtype=np.int32, count=n)
    lowers: dict[str, int] = {}
    lower_of_form = np.fromiter((lowers.setdefault(w.lower(), len(lowers)) for w in forms), dtype=np.int32,
                                count=len(forms))

    # Every form's characters looked up at once and laid into its row (a row per form cost
    # a numpy assignment each, the larger part of this function's time)
    truncated = [word[:max_chars] for word in forms]
    lengths = np.fromiter(map(len, truncated), dtype=np.int64, count=len(truncated))
    form_chars = np.zeros((len(forms), max_chars), dtype=np.int32)
    form_chars[np.arange(max_chars) < lengths[:, None]] = chars.ids("".join(truncated))
    form_features = np.zeros((len(forms), FORM_FEATURES + (rarity is not None)), dtype=np.float32)
    stop_words = rules(tokens.lang).stop_words
    flags = [  # per form: is_title, is_upper, has_digit, no_alnum, is_stop
        (word[:1].isupper() and not word.isupper(), word.isupper() and len(word) > 1, *_digit_flags(word),
         word.lower() in stop_words)
        for word in forms
    ]
    if flags:  # set at once: one numpy assignment per form cost more than the tests themselves
        form_features[:, :5] = flags
    # Counted per form, then per lowercased word, with no per-token array but the running
    # maximum: forms are numbered in order of first occurrence, so a form's first token is
    # where the running maximum of form numbers reaches it.
    counts = np.bincount(lower_of_form, weights=np.bincount(form_of, minlength=len(forms)), minlength=len(lowers))
    first_of_form = np.searchsorted(np.maximum.accumulate(form_of), np.arange(len(forms), dtype=np.int32))
    first = np.full(len(lowers), n, dtype=np.int64)
    np.minimum.at(first, lower_of_form, first_of_form)
    form_features[:, 5] = np.log1p(counts[lower_of_form]) / 5.0
    form_features[:, 6] = first[lower_of_form] / max(n - 1, 1)
    if rarity is not None:
        form_features[:, FORM_FEATURES] = rarity.of(list(forms), tokens.lang)
    lower_ids = np.fromiter((words[w] for w in lowers), dtype=np.int64, count=len(lowers))
    return DocumentArrays(form_of, lower_ids[lower_of_form], form_chars, form_features, n)
