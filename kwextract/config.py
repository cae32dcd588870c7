"""Configuration as frozen dataclasses that round-trip through JSON: a model's architecture and
inference settings, how to train it, and how to adapt it. Plain Python only (no torch), so the
command line can build its options from these defaults without loading the model stack."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

from .errors import InputError
from .language import check_language

FORMAT_VERSION = 7  # written by this kwextract; 2 added ModelConfig.pretrained_dim, 3 ModelConfig.lang,
# 4 lets ModelConfig.word_dim be 0, 5 adds ModelConfig.tfidf_weight, 6 ModelConfig.general_rarity,
# 7 ModelConfig.foreign_tfidf_weight
OLDEST_FORMAT_VERSION = 1  # the oldest it reads
ENCODERS = ("rnn", "gru", "lstm")
AGGREGATIONS = ("noisy_or", "max")
SELECTIONS = ("threshold", "expected_f1", "exact_expected_f1")
PRETRAINED_VECTORS = ("glove-6b-50d",)  # names --pretrained-vectors knows (pretrained.py reads them)

T = TypeVar("T")


def _at_least(config: object, minimum: float, *names: str) -> None:
    """Refuse any of ``names`` (fields of ``config``) below ``minimum``, naming the field."""
    for name in names:
        value = getattr(config, name)
        if not value >= minimum:  # also refuses NaN
            raise ValueError(f"{name} must be at least {minimum}, got {value}")


def _share(config: object, *names: str, top_open: bool = False) -> None:
    """Refuse any of ``names`` outside [0, 1] (or [0, 1) with ``top_open``), naming the field."""
    for name in names:
        value = getattr(config, name)
        if not (0 <= value < 1 if top_open else 0 <= value <= 1):
            raise ValueError(f"{name} must be from 0 to 1{' (1 excluded)' if top_open else ''}, got {value}")


def _positive(config: object, *names: str, zero_allowed: bool = False) -> None:
    """Refuse any of ``names`` that is not a finite number above zero (or at least zero), naming the field."""
    for name in names:
        value = getattr(config, name)
        if not (0 <= value if zero_allowed else 0 < value) or not value < float("inf"):
            raise ValueError(f"{name} must be a finite number {'of at least' if zero_allowed else 'above'} zero, "
                             f"got {value}")


_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,),
                                       "None": (type(None),)}


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Build a config dataclass, rejecting keys it does not know (typos must not pass) and
    values of the wrong type (a hand-edited ``"hidden_size": "128"`` must not reach torch)."""
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__} settings must be a JSON object, not {type(data).__name__}")
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - set(known)
    if unknown:
        raise ValueError(f"unknown {cls.__name__} fields: {sorted(unknown)}")
    for name, value in data.items():
        allowed = [t for part in str(known[name].type).split("|") for t in _TYPES.get(part.strip(), (object,))]
        if not isinstance(value, tuple(allowed)) or (isinstance(value, bool) and bool not in allowed):
            raise ValueError(f"{cls.__name__}.{name} must be {known[name].type}, not {value!r}")
    return cls(**data)


PRECISIONS = ("float32", "bfloat16")  # what the recurrent encoder can run in at extraction (load(precision=))


def check_precision_name(precision: object) -> str:
    """``precision`` if it is one of PRECISIONS, else an InputError naming them."""
    if precision not in PRECISIONS:
        raise InputError(f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}")
    return precision  # type: ignore[return-value]


def check_extract_options(top_k: object, min_score: object, batch_size: object = 1) -> None:
    """Refuse option values that would silently give nothing (``min_score=2``, ``batch_size=-1``)
    with the library's own error type; ``top_k=None`` is the model's own selection."""
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise InputError(f"top_k must be a whole number of at least 1, or None for the model's own selection "
                         f"(--top-k 0 on the command line); got {top_k!r}")
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)) or not 0 <= min_score <= 1:
        raise InputError(f"min_score must be a number from 0 to 1 (scores are probabilities); got {min_score!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"batch_size must be a whole number of at least 1; got {batch_size!r}")


@dataclass(frozen=True)
class ModelConfig:
    """Architecture and inference settings of a tagger; saved in the model's config.json."""

    encoder: str = "lstm"  # rnn | gru | lstm
    bidirectional: bool = True
    hidden_size: int = 128  # per direction
    num_layers: int = 2
    # 0: no word identities at all (no word vectors, no corpus IDF): the tagger reads only
    # characters, casing, position and recurrence, which carry across languages ("multi").
    word_dim: int = 64
    char_dim: int = 24
    char_filters: int = 48
    char_kernel: int = 3
    max_word_chars: int = 16
    dropout: float = 0.3
    window_tokens: int = 128  # sentence-aligned window length at inference and training
    max_span_tokens: int = 10  # longest span scored by marginals (Viterbi spans may be longer)
    candidate_min_prob: float = 0.01  # span occurrences below this are not ranked
    aggregation: str = "noisy_or"  # how occurrence probabilities of a phrase combine
    # top_k=None keeps phrases scored at least this (chosen on dev data by calibrate());
    # None keeps the phrases of the single best (Viterbi) tag sequence instead.
    select_threshold: float | None = None
    # "expected_f1" instead keeps as many of the best phrases as maximise the expected F1 (ranking.py),
    # approximated as a ratio of expectations; "exact_expected_f1" computes that expectation exactly.
    selection: str = "threshold"
    # True: phrase scores come from trees fitted on dev data (phrase_scorer.pt, see calibrate()).
    phrase_scorer: bool = False
    # Dimensions of frozen general-English word vectors read beside the learned ones (pretrained.py;
    # 0: none). Models with them are written in format version 2.
    pretrained_dim: int = 0
    # The language of the texts the model was made for (ISO 639-1; language.py): its tokenizer,
    # stop words and stemmer. load(..., lang=...) reads texts of another language with it.
    lang: str = "en"
    # > 0: with top_k, the 50 best phrases are re-ranked with TF-IDF evidence of this weight
    # (ranking.py): for a model read far from its training texts, e.g. adapted to another
    # language without labels (docs/other-languages.md, run 3). Models with it are format 5.
    tfidf_weight: float = 0.0
    # True: each token's rarity in its text's language is an input (rarity.py; the model
    # directory keeps the ranked word lists, rarity.json.gz). Models with it are format 6.
    general_rarity: bool = False
    # > 0: a text in another language than ``lang`` gets TF-IDF evidence of this weight in its
    # top-k list (in place of ``tfidf_weight``), reading each word's rarity in the text's own
    # language as its IDF (the model directory keeps the word lists, rarity.json.gz): `multi`
    # read in French or Portuguese without adaptation (docs/other-languages.md, run 17).
    # Models with it are format 7.
    foreign_tfidf_weight: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lang", check_language(self.lang))  # "EN", "en-US" → "en"
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {self.encoder!r}")
        if self.selection not in SELECTIONS:
            raise ValueError(f"selection must be one of {SELECTIONS}, got {self.selection!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {self.aggregation!r}")
        _at_least(self, 1, "hidden_size", "num_layers", "char_dim", "char_filters", "char_kernel",
                  "max_word_chars", "window_tokens", "max_span_tokens")
        _at_least(self, 0, "pretrained_dim", "word_dim")
        _positive(self, "tfidf_weight", zero_allowed=True)
        _positive(self, "foreign_tfidf_weight", zero_allowed=True)
        if self.word_dim == 0 and self.pretrained_dim:
            raise ValueError("word_dim=0 means no word identities; it cannot read pretrained word vectors")
        _share(self, "dropout", top_open=True)
        _share(self, "candidate_min_prob")
        if self.select_threshold is not None:
            _share(self, "select_threshold")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


NEW_MODEL_LEARNING_RATE = 2e-3
BASE_LEARNING_RATE = 2e-4  # continuing a trained model (TrainConfig.base): it starts near a good optimum
# Continuing a model on texts of another language than it was trained in (e.g. `multi`, trained
# on English, on 50 Portuguese documents): a longer way to go. Chosen over 2e-4 and 1e-3 on
# out-of-sample dev F1@10 with two seeds (docs/other-languages.md, runs 8 and 10).
OTHER_LANGUAGE_BASE_LEARNING_RATE = 2e-3


def default_learning_rate(base_lang: str | None, lang: str | None) -> float:
    """The learning rate ``kwextract train`` uses unless told: a new model's (no base), a
    continued model's (``base_lang``: the language the base was trained in), or, when ``lang``
    names another language than the base's, the rate for continuing across languages."""
    if base_lang is None:
        return NEW_MODEL_LEARNING_RATE
    if lang is not None and check_language(lang) != check_language(base_lang):
        return OTHER_LANGUAGE_BASE_LEARNING_RATE
    return BASE_LEARNING_RATE


# A character joins a model's character vocabulary when its training texts hold it this often.
CHAR_MIN_FREQ = 5


@dataclass(frozen=True)
class TrainConfig:
    """How to train; every field is a ``kwextract train`` option."""

    train: tuple[str, ...]
    dev: tuple[str, ...] = ()
    epochs: int = 30
    patience: int = 5
    batch_size: int = 32
    # None: ``default_learning_rate`` for the case (a new model, a continued one, or one continued
    # in another language), resolved by ``train`` once the base model is read.
    learning_rate: float | None = None
    # After an epoch that does not beat the best dev score so far, the learning rate is
    # multiplied by this (1: constant): smaller steps once the dev score stops rising.
    lr_decay: float = 1.0
    seed: int = 13
    max_windows_per_doc: int = 16
    word_min_freq: int = 2
    max_words: int = 30_000
    word_dropout: float = 0.05
    grad_clip: float = 5.0
    phrase_scorer: bool = True  # fit the phrase scorer on the dev data after training (calibrate)
    pretrain_epochs: int = 0  # language-model pre-training on the training texts first (pretrain.py)
    # Skip-gram word vectors learned from the training texts first (word_vectors.py): their epochs (0: none).
    word_vector_epochs: int = 0
    # Frozen general-English word vectors read beside the learned ones (pretrained.py: "glove-6b-50d";
    # None: none), and how many of their most frequent words to add to the training vocabulary.
    pretrained_vectors: str | None = None
    pretrained_words: int = 20_000
    # Continue training this model (a name or directory) instead of a new one: its vocabularies,
    # architecture and IDF table are kept; it is the epoch to beat (see ``fit``'s keep_start).
    base: str | None = None
    # The language of the training texts (ISO 639-1): the new model's language (ModelConfig.lang).
    # None: the base model's language, or English for a new model.
    lang: str | None = None
    # Learn from this model's tag probabilities beside the gold tags (a name or directory,
    # e.g. the bundled pair: distill.py); None: gold tags only. teacher_weight is the teacher's
    # share of the loss, the gold likelihood has the rest.
    teacher: str | None = None
    teacher_weight: float = 0.5
    # With a base model: an L2 pull of every weight towards its value in the base (L2-SP,
    # the penalty adapt trains with), weighed against the loss; 0: none.
    anchor_weight: float = 0.0
    # With a base model: characters of the training texts it does not know (seen at least
    # CHAR_MIN_FREQ times) join its character vocabulary before training, each starting from
    # its base letter's embedding (ç from c); without it they are all the unknown character.
    new_characters: bool = False
    # A new model reads each token's rarity in its text's language (ModelConfig.general_rarity),
    # from wordfreq's word lists (a training-time extra; rarity.py).
    general_rarity: bool = False

    def __post_init__(self) -> None:
        if self.lang is not None:
            object.__setattr__(self, "lang", check_language(self.lang))
        _share(self, "teacher_weight")
        _at_least(self, 0, "anchor_weight")
        if not 0 < self.lr_decay <= 1:
            raise ValueError(f"lr_decay must be in (0, 1], got {self.lr_decay}")
        _at_least(self, 1, "epochs", "patience", "batch_size", "max_windows_per_doc", "word_min_freq", "max_words")
        _at_least(self, 0, "word_vector_epochs", "pretrained_words", "pretrain_epochs")
        _positive(self, "grad_clip")
        if self.learning_rate is not None:
            _positive(self, "learning_rate")
        _share(self, "word_dropout", top_open=True)
        if self.pretrained_vectors is not None and self.pretrained_vectors not in PRETRAINED_VECTORS:
            raise ValueError(f"unknown pretrained vectors {self.pretrained_vectors!r}; kwextract knows "
                             f"{', '.join(PRETRAINED_VECTORS)}")
        if self.pretrained_vectors is not None and self.base is not None:
            raise ValueError("--pretrained-vectors starts a new model; a --base model keeps its own vocabulary")
        if self.general_rarity and self.base is not None:
            raise ValueError("--general-rarity starts a new model; a --base model keeps its own inputs")
        if self.new_characters and self.base is None:
            raise ValueError("--new-characters adds characters to a base model's vocabulary: give the model with --base")


# What ``kwextract train --unsupervised`` runs unless told otherwise: the setting measured by
# experiments/unsupervised.py and chosen on dev splits (docs/learning-without-labels.md).
UNSUPERVISED_LAYERS = 1
UNSUPERVISED_EPOCHS = 6
UNSUPERVISED_PRETRAIN_EPOCHS = 10


@dataclass(frozen=True)
class AdaptConfig:
    rounds: int = 2
    epochs_per_round: int = 3
    # Silver labels: the model's own selection (top_k=None, its calibrated threshold), so that
    # the adapted model is taught to tag as much as the base model does; raise to keep only surer spans.
    min_confidence: float = 0.0
    # tfidf_phrases and max_tag_rate_change were chosen among 3/6 and 2/3, then drift_reference
    # and max_guard_drop among base/previous and 0.005/0.01, on kpcrowd dev labels by
    # experiments/adaptation.py (docs/learning-without-labels.md)
    tfidf_phrases: int = 3  # plus this many of the scorer's best phrases per document
    anchor_weight: float = 1e-4  # L2 pull towards the base weights
    max_tag_rate_change: float = 3.0  # stop if the share of tagged tokens moves more than ×3 ...
    # ... in one round ("previous"), or from the base model's share on the new texts ("base"):
    # both stop a runaway loop; "previous" lets a domain with more keyphrases pull the model along.
    drift_reference: str = "previous"
    max_guard_drop: float = 0.01  # with guard data: undo a round that costs any guard set more F1@10
    new_words_min_freq: int = 3
    seed: int = 13
    batch_size: int = 32
    learning_rate: float = 1e-3
    max_windows_per_doc: int = 8
    # The adapted model's ModelConfig.tfidf_weight (None: the base model's): TF-IDF evidence in
    # its ranking, for texts far from what it was trained on (docs/other-languages.md, run 3).
    tfidf_weight: float | None = None

    def __post_init__(self) -> None:
        if self.drift_reference not in ("base", "previous"):
            raise ValueError(f"drift_reference must be 'base' or 'previous', not {self.drift_reference!r}")
        if self.max_tag_rate_change < 1:
            raise ValueError(f"max_tag_rate_change must be at least 1, not {self.max_tag_rate_change}")
        _at_least(self, 1, "rounds", "epochs_per_round", "new_words_min_freq", "batch_size", "max_windows_per_doc")
        _at_least(self, 0, "tfidf_phrases", "anchor_weight", "max_guard_drop")
        if self.tfidf_weight is not None:
            _positive(self, "tfidf_weight", zero_allowed=True)
        _share(self, "min_confidence")
        _positive(self, "learning_rate")
