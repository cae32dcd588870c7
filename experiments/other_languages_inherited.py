"""Run 12 of docs/other-languages.md: the labelled recipe's taggers calibrated again, without
and with their base model's phrase scorer as a third choice ("inherited trees").

    python experiments/other_languages_inherited.py [--data ../shared/datasets] [--out runs/lang]

For seeds 13 and 14 of the labelled recipe (`runs/lang/rate0.002-base-L` and
`runs/lang/rate0.002-seed14-base-L`, made by experiments/other_languages_rate.sh) and L in pt,
fr: ``kwextract.calibrate.calibrate`` on the language's dev split with the seed the tagger was
trained with, as `kwextract train` calibrates it (the control: the recorded calibration, made
again by today's code), written to ``OUT/inherit-control-seedS-L``. Then the candidate: the
base model's trees (`multi`, as the tagger's meta.json names it) scored on the same dev split
under the aggregation and candidate floor calibration chose, F1@10 and F1@M under every
selection calibration tries; they replace the control's choice if their F1@10 + F1@M is
higher than the choice's (plain span marginals, or cross-fitted fitted trees), as calibration
chooses between its own two. That model goes to ``OUT/inherit-seedS-L``, its meta.json's
calibration holding the inherited trees' figures ("inherited_phrase_scorer", read by
experiments/other_languages.py as out of sample: the trees never saw these documents).
The taggers' weights are not touched. Not adopted (run 12), so this lives here, not in the library.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import replace
from pathlib import Path

import torch

from kwextract.calibrate import MIN_PROBS, THRESHOLDS, calibrate
from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, ScoredDocuments
from kwextract.ranking import EXPECTED_F1_RULES
from kwextract.serialization import load, save

TAGGERS = {13: "rate0.002-base-{lang}", 14: "rate0.002-seed14-base-{lang}"}
CORPORA = {"pt": "pt-news", "fr": "fr-wikinews"}


def chosen_sum(report: dict) -> float:
    """Dev F1@10 + F1@M of what calibration kept (cross-fitted when it kept fitted trees)."""
    trees = report.get("phrase_scorer") or {}
    if trees.get("kept"):
        return trees["cross_fitted_dev_f1_10"] + max(trees["cross_fitted_dev_f1_M_by_selection"].values())
    plain_10 = report["dev_f1_10_by_aggregation_and_min_prob"][f"{report['aggregation']} {report['candidate_min_prob']}"]
    return plain_10 + report["dev_f1_M_by_threshold"][str(report["select_threshold"])]


def inherited_scores(model, dev, trees, report: dict) -> dict:
    """The inherited trees on the dev split, under the ranking calibration chose."""
    scored = ScoredDocuments.of(model, dev, min_prob=min(MIN_PROBS))
    scorer = ProtocolScorer(model.tokenizer)
    aggregation, min_prob, weight = report["aggregation"], report["candidate_min_prob"], model.config.tfidf_weight

    def score(metric: str, threshold, selection: str = "threshold") -> float:
        cutoff = 10 if metric == "f1@10" else None
        return scored.scores(scorer, aggregation, threshold, (cutoff,), min_prob, trees, selection, weight)[metric]

    f1_10 = score("f1@10", None)
    by_rule = {str(t): score("f1@M", t) for t in THRESHOLDS if t is not None}
    by_rule.update({rule: score("f1@M", None, rule) for rule in EXPECTED_F1_RULES})
    best = max(by_rule, key=lambda t: by_rule[t])
    thresholds = {t: v for t, v in by_rule.items() if t not in EXPECTED_F1_RULES}
    return {"dev_f1_10": round(f1_10, 4), "dev_f1_M_by_selection": {t: round(v, 4) for t, v in by_rule.items()},
            "sum": f1_10 + by_rule[best], "selection": best if best in EXPECTED_F1_RULES else "threshold",
            "select_threshold": float(max(thresholds, key=lambda t: thresholds[t]))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("runs/lang"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    for seed, pattern in TAGGERS.items():
        for lang, corpus in CORPORA.items():
            source = args.out / pattern.format(lang=lang)
            dev_path = args.data / corpus / "dev.jsonl"
            dev = read_documents(dev_path)
            control_dir, candidate_dir = args.out / f"inherit-control-seed{seed}-{lang}", args.out / f"inherit-seed{seed}-{lang}"
            model = load(source)
            base = model.meta["base_model"]["path"]
            print(f"{source}: calibrated on {dev_path} (seed {seed}); then {base}'s phrase scorer weighed", flush=True)
            result = calibrate(model, [dev], seed=seed)
            result.apply(model)
            report = {**result.report, "dev_data": [str(dev_path)]}
            model.meta = {**model.meta, "calibration": report}
            shutil.rmtree(control_dir, ignore_errors=True)
            save(model, control_dir)

            trees = load(base).phrase_scorer
            found = inherited_scores(model, dev, trees, report)
            found["kept"] = bool(found["sum"] > chosen_sum(report))
            print(f"  inherited trees: dev F1@10 {found['dev_f1_10']:.4f}, F1@10 + F1@M {found['sum']:.4f} against "
                  f"the control's choice {chosen_sum(report):.4f}: " + ("kept" if found["kept"] else "not kept"), flush=True)
            found["dev_f1_10_plus_f1_M"] = round(found.pop("sum"), 4)
            if found["kept"]:
                model.config = replace(model.config, phrase_scorer=True, selection=found["selection"],
                                       select_threshold=found["select_threshold"])
                model.phrase_scorer = trees
                if (report.get("phrase_scorer") or {}).get("kept"):
                    report["phrase_scorer"] = {**report["phrase_scorer"], "kept": False,
                                               "reason": "the inherited phrase scorer scored higher"}
            model.meta = {**model.meta, "calibration": {**report, "inherited_phrase_scorer": found}}
            shutil.rmtree(candidate_dir, ignore_errors=True)
            save(model, candidate_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
