"""Configuration as frozen dataclasses that round-trip through JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

FORMAT_VERSION = 1
ENCODERS = ("rnn", "gru", "lstm")
AGGREGATIONS = ("noisy_or", "max")
SELECTIONS = ("threshold", "expected_f1", "exact_expected_f1")

T = TypeVar("T")


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Build a config dataclass, rejecting keys it does not know (typos must not pass)."""
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} fields: {sorted(unknown)}")
    return cls(**data)


@dataclass(frozen=True)
class ModelConfig:
    """Architecture and inference settings of a tagger; saved in the model's config.json."""

    encoder: str = "lstm"  # rnn | gru | lstm
    bidirectional: bool = True
    hidden_size: int = 128  # per direction
    num_layers: int = 2
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

    def __post_init__(self) -> None:
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {self.encoder!r}")
        if self.selection not in SELECTIONS:
            raise ValueError(f"selection must be one of {SELECTIONS}, got {self.selection!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {self.aggregation!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
