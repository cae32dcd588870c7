"""Which phrase scorer should calibration fit? Six variants compared on the dev data only.

    python experiments/phrase_scorer.py [--model kwextract/models/default] [--data ../shared/datasets]
                                        [--out docs/phrase-scorer.json]

The tagger is fixed (its weights are not touched); only the trees that turn its statistics
into phrase scores change. Variants: the first 20 phrase features (what models calibrated
so far use) or all of them (adding whole-text statistics: frequency, spread, first
sentence, IDF range, head-word frequency, capitals), each fitted with every dev candidate
weighing the same, every document weighing the same, or every dev file weighing the same.

Each variant is scored as ``calibrate`` scores a phrase scorer: cross-fitted over 5 folds
of the dev documents (no document is scored by trees that saw it), macro over the six dev
files, F1@10 plus F1@M under the best selection rule. Decision rule, fixed before the run:
the variant with the highest sum becomes calibration's default if it beats the shipped
variant (20 features, candidate weighting) in this same run. Test splits are not read.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kwextract.calibrate import WEIGHTINGS, calibrate
from kwextract.data import read_documents
from kwextract.phrase_scorer import FIRST_FEATURES, PHRASE_FEATURES
from kwextract.serialization import load

SETS = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model directory (default: the bundled model)")
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("docs/phrase-scorer.json"))
    args = parser.parse_args()
    extractor = load(args.model)
    dev_sets = [read_documents(args.data / name / "dev.jsonl") for name in SETS]
    variants = {}
    for features in (FIRST_FEATURES, len(PHRASE_FEATURES)):
        for weighting in WEIGHTINGS:
            started = time.time()
            result = calibrate(extractor, dev_sets, log=lambda m: None, weighting=weighting, features=features)
            report = result.report["phrase_scorer"]
            by_rule = report["cross_fitted_dev_f1_M_by_selection"]
            best_rule = max(by_rule, key=lambda t: by_rule[t])
            name = f"{features} features, {weighting} weighting"
            variants[name] = {
                "features": features, "weighting": weighting,
                "dev_f1_10": report["cross_fitted_dev_f1_10"], "dev_f1_M": by_rule[best_rule],
                "selection": best_rule, "sum": round(report["cross_fitted_dev_f1_10"] + by_rule[best_rule], 4),
                "by_file": dict(zip(SETS, report["cross_fitted_dev_by_file"])),
                "seconds": round(time.time() - started),
            }
            print(name, json.dumps({k: v for k, v in variants[name].items() if k != "by_file"}), flush=True)
    shipped = f"{FIRST_FEATURES} features, candidate weighting"
    best = max(variants, key=lambda v: variants[v]["sum"])
    adopt = best != shipped and variants[best]["sum"] > variants[shipped]["sum"]
    decision = (f"adopt {best}: dev F1@10 + F1@M {variants[best]['sum']} vs {variants[shipped]['sum']}" if adopt
                else f"keep {shipped}: no variant beats its dev F1@10 + F1@M {variants[shipped]['sum']}")
    print(decision)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"model": args.model or "bundled default", "dev_sets": list(SETS),
                                    "variants": variants, "decision": decision}, indent=1) + "\n")


if __name__ == "__main__":
    main()
