"""Inference settings chosen on dev data: how occurrence scores combine into a phrase score,
whether a phrase scorer replaces that score, and where the model's own selection
(``top_k=None``) draws its line.

The network's weights are not touched. Every choice is made by macro F1 over the dev
files (one vote per file): the aggregation by F1@10; the phrase scorer is kept when its
cross-fitted dev predictions (each document scored by trees fitted on the other folds)
raise F1@10 + F1@M; the selection rule (a threshold, or, with the phrase scorer, the
expected-F1 rule of ranking.py) by F1@M.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import warnings

import numpy as np

from .config import AGGREGATIONS, ModelConfig
from .data import Document
from .environment import differences, library_versions
from .errors import InputError, KwextractWarning
from .evaluate import ProtocolScorer, ScoredDocuments
from .extractor import Extractor
from .normalize import stems_of
from .phrase_scorer import FIRST_FEATURES, PHRASE_FEATURES, PhraseScorer, fit_phrase_scorer, phrase_features
from .ranking import EXPECTED_F1_RULES, candidates

THRESHOLDS: tuple[float | None, ...] = (None, *[round(x, 2) for x in np.arange(0.1, 0.85, 0.05)])
MIN_PROBS = (0.002, 0.005, 0.01, 0.02, 0.05)
FOLDS = 5
WEIGHTINGS = ("candidate", "document", "file")


@dataclass(frozen=True)
class Calibration:
    """What ``calibrate`` chose: settings for the model's config, its phrase scorer (or
    None) and a report of the search for meta.json."""

    config: ModelConfig
    phrase_scorer: PhraseScorer | None
    report: dict[str, Any]

    def apply(self, extractor: Extractor) -> None:
        extractor.config = self.config
        extractor.phrase_scorer = self.phrase_scorer


def calibrate(
    extractor: Extractor,
    dev_sets: list[list[Document]],
    log: Callable[[str], None] = print,
    phrase_scorer: bool = True,
    seed: int = 0,
    weighting: str = "candidate",
    features: int = FIRST_FEATURES,
) -> Calibration:
    """The best aggregation, candidate floor, phrase scorer and selection threshold on
    ``dev_sets``, and a report of the search. The phrase scorer's trees see the first
    ``features`` of PHRASE_FEATURES, and ``weighting`` says what each dev candidate weighs
    when they are fitted: "candidate" (all equal), "document" (every document's candidates
    weigh 1 in all) or "file" (every dev file's weigh 1 in all, as in the macro-over-files
    scores calibration maximises)."""
    if not any(dev_sets):
        raise InputError("calibration needs labelled dev documents; the dev data given is empty")
    if weighting not in WEIGHTINGS:
        raise InputError(f"unknown phrase scorer weighting {weighting!r}; choose one of {', '.join(WEIGHTINGS)}")
    if not 1 <= features <= len(PHRASE_FEATURES):
        raise InputError(f"features must be between 1 and {len(PHRASE_FEATURES)}, not {features}")
    environment = library_versions()
    _warn_if_recalibrating_elsewhere(extractor, environment)
    original = extractor.config
    scored = [ScoredDocuments.of(extractor, docs, min_prob=min(MIN_PROBS)) for docs in dev_sets if docs]
    scorer = ProtocolScorer(extractor.tokenizer)

    def per_file(metric: str, aggregation: str, threshold: float | None, min_prob: float,
                 trees: list[Sequence[PhraseScorer]] | None = None, selection: str = "threshold") -> list[float]:
        cutoff = 10 if metric == "f1@10" else None
        # top 10s ranked as the model will rank them, TF-IDF evidence included
        return [s.scores(scorer, aggregation, threshold, (cutoff,), min_prob, trees[i] if trees else None,
                         selection, original.tfidf_weight)[metric] for i, s in enumerate(scored)]

    def mean(*args: Any, **kwargs: Any) -> float:
        return float(np.mean(per_file(*args, **kwargs)))

    ranking = {(a, p): mean("f1@10", a, None, p) for a in AGGREGATIONS for p in MIN_PROBS}
    aggregation, min_prob = max(ranking, key=lambda k: (ranking[k], k[1]))
    by_threshold = {str(t): mean("f1@M", aggregation, t, min_prob) for t in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda t: by_threshold[str(t)])
    log(f"calibration: aggregation {aggregation}, candidate_min_prob {min_prob} (dev F1@10 "
        f"{ranking[(aggregation, min_prob)]:.4f}); selection threshold {threshold} "
        f"(dev F1@M {by_threshold[str(threshold)]:.4f}, Viterbi {by_threshold['None']:.4f})")
    report: dict[str, Any] = {
        "dev_f1_10_by_aggregation_and_min_prob": {f"{a} {p}": round(v, 4) for (a, p), v in ranking.items()},
        "dev_f1_M_by_threshold": {k: round(v, 4) for k, v in by_threshold.items()},
        "aggregation": aggregation,
        "candidate_min_prob": min_prob,
    }
    trees, selection = None, "threshold"
    if phrase_scorer:
        baseline = (ranking[(aggregation, min_prob)], by_threshold[str(threshold)])
        trees, report["phrase_scorer"] = _phrase_scorer(
            scored, scorer, per_file, min_prob=min_prob, aggregation=aggregation, baseline=baseline,
            seed=seed, weighting=weighting, n_features=features, log=log)
        if trees is not None:
            selection = report["phrase_scorer"]["selection"]
            threshold = report["phrase_scorer"]["select_threshold"]
    report["select_threshold"] = threshold
    report["selection"] = selection
    report["environment"] = environment
    config = replace(original, aggregation=aggregation, candidate_min_prob=min_prob, select_threshold=threshold,
                     selection=selection, phrase_scorer=trees is not None)
    return Calibration(config, trees, report)


def _warn_if_recalibrating_elsewhere(extractor: Extractor, environment: dict[str, str]) -> None:
    """Warn when the model was last calibrated (or trained) under other library versions: the
    new dev scores cannot then be compared with the recorded ones."""
    recorded = (extractor.meta.get("calibration") or {}).get("environment") or extractor.meta.get("environment")
    changed = differences(recorded, environment)
    if changed:
        message = (f"this model was calibrated under other library versions ({', '.join(changed)}): the new "
                   "calibration's dev scores are not comparable with the recorded ones; "
                   "pip install 'kwextract[train]' installs the versions the bundled model was built with")
        warnings.warn(message, KwextractWarning, stacklevel=3)


def _phrase_scorer(scored: list[ScoredDocuments], scorer: ProtocolScorer, per_file: Callable[..., list[float]], *,
                   min_prob: float, aggregation: str, baseline: tuple[float, float], seed: int, weighting: str,
                   n_features: int, log: Callable[[str], None]) -> tuple[PhraseScorer | None, dict[str, Any]]:
    """Fit the phrase scorer on every dev candidate; keep it if cross-fitting says it helps:
    if its dev F1@10 + F1@M beats ``baseline``, the (F1@10, F1@M) of ranking by span marginals."""
    plain_f1_10, plain_f1_m = baseline
    features, labels, fold_of_doc, file_of_doc = [], [], [], []
    doc_number = 0
    for file_number, s in enumerate(scored):
        spans = s.spans_above(min_prob)
        for i, (doc, tokens) in enumerate(zip(s.docs, s.tokens)):
            stems = stems_of(tokens)
            found = candidates(tokens, stems, spans[i], s.decoded[i])
            gold = scorer.present_gold(doc, tokens)
            features.append(phrase_features(found, tokens, s.word_idf, stems, n_features))
            labels.append(np.array([key in gold for key in found.keys], dtype=np.int64))
            fold_of_doc.append(doc_number % FOLDS)  # the documents of every file spread over all folds
            file_of_doc.append(file_number)
            doc_number += 1
    x, y = np.concatenate(features), np.concatenate(labels)
    row_fold = np.concatenate([np.full(len(f), k) for f, k in zip(features, fold_of_doc)])
    weight = _weights([len(f) for f in features], file_of_doc, weighting)
    try:
        fold_trees = [fit_phrase_scorer(x[row_fold != k], y[row_fold != k], seed,
                                        None if weight is None else weight[row_fold != k]) for k in range(FOLDS)]
    except ValueError as err:
        log(f"no phrase scorer: {err}")
        return None, {"kept": False, "reason": str(err)}
    per_doc: list[Sequence[PhraseScorer]] = []
    doc_number = 0
    for s in scored:
        per_doc.append([fold_trees[fold_of_doc[doc_number + i]] for i in range(len(s.docs))])
        doc_number += len(s.docs)
    files_10 = per_file("f1@10", aggregation, None, min_prob, per_doc)
    files_m = {str(t): per_file("f1@M", aggregation, t, min_prob, per_doc) for t in THRESHOLDS if t is not None}
    for rule in EXPECTED_F1_RULES:
        files_m[rule] = per_file("f1@M", aggregation, None, min_prob, per_doc, rule)
    f1_10 = float(np.mean(files_10))
    by_rule = {t: float(np.mean(v)) for t, v in files_m.items()}
    best = max(by_rule, key=lambda t: by_rule[t])
    kept = f1_10 + by_rule[best] > plain_f1_10 + plain_f1_m
    log(f"phrase scorer (cross-fitted on {len(y)} dev candidates): dev F1@10 {f1_10:.4f} vs {plain_f1_10:.4f}, "
        f"F1@M {by_rule[best]:.4f} with selection {best} vs {plain_f1_m:.4f}: " + ("kept" if kept else "not kept"))
    threshold_rules = {t: v for t, v in by_rule.items() if t not in EXPECTED_F1_RULES}
    report = {"kept": kept, "candidates": int(len(y)), "weighting": weighting, "features": n_features,
              "cross_fitted_dev_f1_10": round(f1_10, 4),
              "cross_fitted_dev_f1_M_by_selection": {t: round(v, 4) for t, v in by_rule.items()},
              "cross_fitted_dev_by_file": [{"docs": len(s.docs), "f1@10": round(a, 4), "f1@M": round(b, 4)}
                                           for s, a, b in zip(scored, files_10, files_m[best])],
              "selection": best if best in EXPECTED_F1_RULES else "threshold",
              "select_threshold": float(max(threshold_rules, key=lambda t: threshold_rules[t]))}
    return (fit_phrase_scorer(x, y, seed, weight) if kept else None), report


def _weights(rows_of_doc: list[int], file_of_doc: list[int], weighting: str) -> np.ndarray | None:
    """Per-candidate fitting weights (None: all equal), scaled to a mean of 1."""
    if weighting == "candidate":
        return None
    if weighting == "document":
        per_doc = [1.0 / max(rows, 1) for rows in rows_of_doc]
    else:  # "file"
        rows_of_file: dict[int, int] = {}
        for rows, f in zip(rows_of_doc, file_of_doc):
            rows_of_file[f] = rows_of_file.get(f, 0) + rows
        per_doc = [1.0 / max(rows_of_file[f], 1) for f in file_of_doc]
    weight = np.concatenate([np.full(rows, w) for rows, w in zip(rows_of_doc, per_doc)])
    return weight * (len(weight) / weight.sum()) if len(weight) else weight
