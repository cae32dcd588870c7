"""How many keyphrases should a model return on text it never saw? Leave-one-corpus-out, selection only.

    python experiments/loco_selection.py [--left-out kpcrowd semeval2010 nguyen2007]
        [--taggers runs/loco/baseline] [--json docs/loco-selection.json]

The taggers are those ``experiments/leave_one_corpus_out.py`` trained and calibrated without
each left-out corpus (``--taggers``, its ``--out``/variant folder); nothing is refitted. The
left-out corpus's dev split (the decision) and test split (reported, never used to choose)
are tagged once, then ranked under every selection rule calibration can choose and under the
rule the tagger's calibration chose; F1@10 is the same for all (the top 10 does not depend on
the selection rule). The rule for the decision is in docs/unseen-domains.md (run 3).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, ScoredDocuments
from kwextract.serialization import load

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import ROUND, VISIBLE, rounded, trained_without  # noqa: E402

RULES = ("threshold", "viterbi", "expected_f1", "exact_expected_f1")


def rule_scores(scored: ScoredDocuments, extractor, rule: str) -> dict[str, float]:  # noqa: ANN001
    """The protocol's P/R/F1 at 10 and at M when the model's own selection follows ``rule``."""
    config = extractor.config
    selection, threshold = ("threshold", None) if rule == "viterbi" else (rule, config.select_threshold)
    scores = scored.scores(ProtocolScorer(extractor.tokenizer), config.aggregation, threshold, cutoffs=(10, None),
                           phrase_scorer=extractor.phrase_scorer, selection=selection)
    return rounded(scores)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--taggers", type=Path, default=Path("runs/loco/baseline"))
    parser.add_argument("--threads", type=int, default=1, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--json", type=Path, default=Path("docs/loco-selection.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = {}
    for left_out, tagger_dir in trained_without(args.taggers, args.left_out):
        extractor = load(tagger_dir)
        config = extractor.config
        calibrated = "viterbi" if config.selection == "threshold" and config.select_threshold is None else config.selection
        entry = results[left_out] = {"tagger": str(tagger_dir), "calibrated_rule": calibrated,
                                     "select_threshold": config.select_threshold}
        for split in ("dev", "test"):
            docs = read_documents(args.data / left_out / f"{split}.jsonl")
            scored = ScoredDocuments.of(extractor, docs)
            entry[split] = {rule: rule_scores(scored, extractor, rule) for rule in RULES}
            for rule in RULES:
                s = entry[split][rule]
                print(f"{left_out:12s} {split:4s} {rule:18s}{' (calibrated)' if rule == calibrated else '':13s} "
                      f"F1@10 {s['f1@10']:.4f}  F1@M {s['f1@M']:.4f}  P@M {s['p@M']:.3f}  R@M {s['r@M']:.3f}",
                      flush=True)
    dev = {c: e["dev"] for c, e in results.items()}
    if dev:
        own = sum(dev[c][results[c]["calibrated_rule"]]["f1@M"] for c in dev) / len(dev)
        summary = {"mean_dev_f1@M_calibrated": round(own, ROUND)}
        for rule in RULES:
            mean = sum(dev[c][rule]["f1@M"] for c in dev) / len(dev)
            worst = min(dev[c][rule]["f1@M"] - dev[c][results[c]["calibrated_rule"]]["f1@M"] for c in dev)
            at_least_10 = sum(dev[c][rule]["f1@M"] >= dev[c][rule]["f1@10"] for c in dev)
            summary[rule] = {"mean_dev_f1@M": round(mean, ROUND), "worst_change_vs_calibrated": round(worst, ROUND),
                             "corpora_with_f1@M_at_least_f1@10": at_least_10}
        summary["calibrated_corpora_with_f1@M_at_least_f1@10"] = sum(
            dev[c][results[c]["calibrated_rule"]]["f1@M"] >= dev[c][results[c]["calibrated_rule"]]["f1@10"] for c in dev)
        results["summary"] = summary
        print(json.dumps(summary, indent=1))
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
