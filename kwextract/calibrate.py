"""Inference settings chosen on dev data: how occurrence scores combine, and where the
model's own selection (``top_k=None``) draws its line.

The network's weights are not touched. Both settings are picked by macro F1 over the dev
files (one vote per file): the aggregation by F1@10, the selection threshold by F1@M.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from .config import AGGREGATIONS, ModelConfig
from .data import Document
from .evaluate import ProtocolScorer, ScoredDocuments
from .extractor import KeyphraseExtractor

THRESHOLDS: tuple[float | None, ...] = (None, *[round(x, 2) for x in np.arange(0.1, 0.85, 0.05)])
MIN_PROBS = (0.002, 0.005, 0.01, 0.02, 0.05)


def calibrate(
    extractor: KeyphraseExtractor, dev_sets: list[list[Document]], log: Callable[[str], None] = print
) -> tuple[ModelConfig, dict[str, Any]]:
    """The best aggregation, candidate floor and selection threshold on ``dev_sets``,
    and a report of the search."""
    original = extractor.tagger.config
    extractor.tagger.config = replace(original, candidate_min_prob=min(MIN_PROBS))
    try:
        scored = [ScoredDocuments.of(extractor, docs) for docs in dev_sets if docs]
    finally:
        extractor.tagger.config = original
    scorer = ProtocolScorer(extractor.tokenizer)

    def mean(metric: str, aggregation: str, threshold: float | None, min_prob: float) -> float:
        cutoff = 10 if metric == "f1@10" else None
        return float(np.mean([s.scores(scorer, aggregation, threshold, (cutoff,), min_prob)[metric] for s in scored]))

    ranking = {(a, p): mean("f1@10", a, None, p) for a in AGGREGATIONS for p in MIN_PROBS}
    aggregation, min_prob = max(ranking, key=lambda k: (ranking[k], k[1]))
    by_threshold = {str(t): mean("f1@M", aggregation, t, min_prob) for t in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda t: by_threshold[str(t)])
    log(f"calibration: aggregation {aggregation}, candidate_min_prob {min_prob} (dev F1@10 "
        f"{ranking[(aggregation, min_prob)]:.4f}); selection threshold {threshold} "
        f"(dev F1@M {by_threshold[str(threshold)]:.4f}, Viterbi {by_threshold['None']:.4f})")
    report = {
        "dev_f1_10_by_aggregation_and_min_prob": {f"{a} {p}": round(v, 4) for (a, p), v in ranking.items()},
        "dev_f1_M_by_threshold": {k: round(v, 4) for k, v in by_threshold.items()},
        "aggregation": aggregation,
        "candidate_min_prob": min_prob,
        "select_threshold": threshold,
    }
    config = replace(original, aggregation=aggregation, candidate_min_prob=min_prob, select_threshold=threshold)
    return config, report
