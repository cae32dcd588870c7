"""Would an ensemble of trained taggers beat the bundled model? Measured on the dev data only.

    python experiments/ensemble.py --members fast runs/wordvec runs/wordvec14
                                   [--data ../shared/datasets] [--out docs/ensemble.json]

Each candidate, every pair of the given models and all of them together, becomes an
``EnsembleExtractor`` (mean span marginals, kwextract/ensemble.py) and is calibrated by
``calibrate`` on the six dev splits, as ``data/train_member.sh`` calibrates a single model;
the first model alone is calibrated the same way as the reference. Each is scored as every
model so far: calibrate's cross-fitted dev F1@10 + F1@M (each dev document ranked by trees
fitted on the other four fifths), macro over the six dev files; and the same sum with each
dev file weighted by its number of documents. Decision rule (the second one written in
docs/default-model.md, before the run that used it): the pair with the best macro sum is
adopted if both of its sums beat the reference's in the same run; all members together are
reported, not eligible (too large to bundle). Test splits are not read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from kwextract.calibrate import calibrate
from kwextract.data import read_documents
from kwextract.ensemble import EnsembleExtractor
from kwextract.extractor import Extractor
from kwextract.serialization import load

SETS = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")


def measure(extractor: Extractor, dev_sets: list) -> dict:
    """Calibrate on the dev sets; calibrate's cross-fitted scores, as for every model so far."""
    started = time.time()
    report = calibrate(extractor, dev_sets, log=lambda m: None).report["phrase_scorer"]
    by_rule = report["cross_fitted_dev_f1_M_by_selection"]
    best_rule = max(by_rule, key=lambda t: by_rule[t])
    f1_10, f1_m = report["cross_fitted_dev_f1_10"], by_rule[best_rule]
    by_file = report["cross_fitted_dev_by_file"]
    docs = sum(f["docs"] for f in by_file)
    weighted = sum(f["docs"] * (f["f1@10"] + f["f1@M"]) for f in by_file) / docs
    return {"dev_f1_10": f1_10, "dev_f1_M": f1_m, "sum": round(f1_10 + f1_m, 4),
            "doc_weighted_sum": round(weighted, 4), "selection": best_rule,
            "by_file": dict(zip(SETS, by_file)), "seconds": round(time.time() - started)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", nargs="+", required=True, help="model directories; the first is the reference")
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("docs/ensemble.json"))
    args = parser.parse_args()
    models = {path: load(path) for path in args.members}
    dev_sets = [read_documents(args.data / name / "dev.jsonl") for name in SETS]
    reference = args.members[0]
    results = {reference: measure(models[reference], dev_sets)}
    print(reference, json.dumps({k: v for k, v in results[reference].items() if k != "by_file"}), flush=True)
    groups = [*itertools.combinations(args.members, 2)] + ([tuple(args.members)] if len(args.members) > 2 else [])
    for group in groups:
        name = " + ".join(group)
        results[name] = measure(EnsembleExtractor([models[p] for p in group]), dev_sets)
        print(name, json.dumps({k: v for k, v in results[name].items() if k != "by_file"}), flush=True)
    pairs = [" + ".join(g) for g in groups if len(g) == 2]
    best = max(pairs, key=lambda p: results[p]["sum"])
    ref, pair = results[reference], results[best]
    sums = (f"macro sum {pair['sum']} vs {ref['sum']}, document-weighted sum "
            f"{pair['doc_weighted_sum']} vs {ref['doc_weighted_sum']}")
    wins = pair["sum"] > ref["sum"] and pair["doc_weighted_sum"] > ref["doc_weighted_sum"]
    decision = f"adopt {best}: {sums}" if wins else f"keep {reference}: the best pair, {best}, has {sums}"
    print(decision)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"dev_sets": list(SETS), "reference": reference,
                                    "results": results, "decision": decision}, indent=1) + "\n")


if __name__ == "__main__":
    main()
