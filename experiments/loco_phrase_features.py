"""Which phrase features carry a model to text it never saw? Leave-one-corpus-out, phrase scorer only.

    python experiments/loco_phrase_features.py [--left-out kpcrowd semeval2010 nguyen2007]
        [--features 20 28 31] [--taggers runs/loco/baseline] [--json docs/loco-phrase-features.json]

The taggers are those ``experiments/leave_one_corpus_out.py`` trained without each left-out
corpus (``--taggers``, its ``--out``/variant folder); their weights are not touched. Each is
recalibrated on the other corpora's dev splits with a phrase scorer that reads the first N
PHRASE_FEATURES (20: the tagger's own statistics; 28: plus whole-text statistics such as
frequency, spread and first sentence; 31: plus the TF-IDF baseline's score, rank and share
of the best), and scored on the left-out corpus's *dev* split (the decision: the tagger and
its calibration never saw it) and *test* split (reported, never used to choose), beside
TF-IDF and YAKE on the same documents in the same run. The rule is in docs/unseen-domains.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from kwextract.calibrate import calibrate
from kwextract.data import read_documents
from kwextract.evaluate import evaluate
from kwextract.serialization import load

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import VISIBLE, baselines, rounded, trained_without  # noqa: E402  (the same baselines as run 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--features", nargs="+", type=int, default=[20, 28, 31])
    parser.add_argument("--taggers", type=Path, default=Path("runs/loco/baseline"))
    parser.add_argument("--threads", type=int, default=1, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--json", type=Path, default=Path("docs/loco-phrase-features.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    stored = json.loads(args.json.read_text()) if args.json.exists() else {}
    for left_out, tagger_dir in trained_without(args.taggers, args.left_out):
        sources = [name for name in VISIBLE if name != left_out]
        dev_sets = [read_documents(args.data / s / "dev.jsonl") for s in sources]
        splits = {split: read_documents(args.data / left_out / f"{split}.jsonl") for split in ("dev", "test")}
        entry = stored.setdefault(left_out, {"tagger": str(tagger_dir), "calibrated_on": sources, "variants": {}})
        extractor = load(tagger_dir)
        entry["baselines"] = {split: {k: rounded(v) for k, v in baselines(docs, extractor.tokenizer).items()}
                              for split, docs in splits.items()}
        for n in args.features:
            started = time.time()
            extractor = load(tagger_dir)
            result = calibrate(extractor, dev_sets, log=lambda m: None, features=n)
            result.apply(extractor)
            report = result.report.get("phrase_scorer", {})
            by_rule = report.get("cross_fitted_dev_f1_M_by_selection", {})
            variant = {
                "phrase_scorer_kept": bool(report.get("kept")), "selection": result.config.selection,
                "in_domain_cross_fitted_dev_f1_10": report.get("cross_fitted_dev_f1_10"),
                "in_domain_cross_fitted_dev_f1_M": max(by_rule.values()) if by_rule else None,
                **{split: rounded(evaluate(extractor, docs)) for split, docs in splits.items()},
                "seconds": round(time.time() - started),
            }
            entry["variants"][str(n)] = variant
            base = entry["baselines"]["dev"]
            print(f"{left_out:<12} {n:>2} features: left-out dev F1@10 {variant['dev']['f1@10']:.4f} "
                  f"F1@M {variant['dev']['f1@M']:.4f} (TF-IDF {base['tfidf']['f1@10']:.4f}, YAKE "
                  f"{base['yake']['f1@10']:.4f}); in-domain dev F1@10 {variant['in_domain_cross_fitted_dev_f1_10']}"
                  f" F1@M {variant['in_domain_cross_fitted_dev_f1_M']}; {variant['seconds']} s", flush=True)
            args.json.write_text(json.dumps(stored, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
