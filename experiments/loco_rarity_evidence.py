"""TF-IDF evidence for unfamiliar text, with general-English rarity as its IDF (run 18 of
docs/unseen-domains.md). Leave-one-corpus-out, re-ranking only.

    python experiments/loco_rarity_evidence.py [--taggers runs/loco/baseline-36-s13 runs/loco/baseline-36-s14]
        [--left-out kpcrowd semeval2010 nguyen2007] [--bundled default fast]
        [--json docs/loco-rarity-evidence.json]

As run 6 (experiments/loco_familiarity.py): each document's 50 best phrases are re-scored
``score + W * tfidf / best`` when the share ``u`` of its content words unknown to the model's
vocabulary is at least T (else W = 0), and the new top 10 is scored (F1@5/F1@10). The
candidates' evidence reads each word's rarity in general English (``GeneralRarity.idf("en")``,
the lists the bundled ``multi`` carries) as its IDF; two controls read the model's own IDF
(``word_idf``). Left-out taggers (one folder a seed) are scored on their left-out corpus's dev
(the decision) and test (reported) splits, each bundled English model on the six visible dev
splits. The rule, written before the run, is in docs/unseen-domains.md (run 18); this script
applies it and prints the verdict.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from pathlib import Path

import torch

from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer
from kwextract.extractor import Extractor
from kwextract.rarity import GeneralRarity
from kwextract.serialization import load, resolve

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import ROUND, VISIBLE, trained_without  # noqa: E402
from loco_familiarity import unknown_share  # noqa: E402
from loco_fusion import pool_tfidf, pools_with_tfidf, reranked_scores  # noqa: E402

REFERENCE = "W=0"
# (name, weight, threshold, idf): threshold 0 gives every text the evidence.
CANDIDATES = [(f"rarity W={w} T={t}", w, t, "rarity") for w, t in itertools.product((0.5, 1.0, 2.0), (0.10, 0.15, 0.20))]
CANDIDATES.append(("rarity W=0.5 all", 0.5, 0.0, "rarity"))
CONTROLS = [("own IDF W=2.0 T=0.15", 2.0, 0.15, "own"), ("own IDF W=0.5 all", 0.5, 0.0, "own")]
VARIANTS = [(REFERENCE, 0.0, 0.0, "own")] + CANDIDATES + CONTROLS


def normalized(values: list[float]) -> list[float]:
    """Scores as shares of the document's best (0 where none is positive)."""
    top = max(values, default=0.0)
    return [v / top if top > 0 else 0.0 for v in values]


def variant_scores(extractor: Extractor, docs, rarity_idf) -> dict:  # noqa: ANN001
    """F1@5/@10 of the re-ranked top 10 under every variant, and the unfamiliar shares."""
    scored, pools, own = pools_with_tfidf(extractor, docs)  # runs 4 and 6: the pools, the evidence with own IDF
    evidence = {"own": own, "rarity": [normalized(pool_tfidf(tokens, pool, rarity_idf))
                                       for tokens, pool in zip(scored.tokens, pools)]}
    shares = [unknown_share(extractor, tokens) for tokens in scored.tokens]
    scorer = ProtocolScorer(extractor.tokenizer)
    result: dict = {"docs": len(docs),
                    "gated_docs": {str(t): sum(u >= t for u in shares) for t in (0.10, 0.15, 0.20)},
                    "unfamiliar_share_median": round(statistics.median(shares), ROUND) if shares else None}
    for name, w, t, idf in VARIANTS:
        weights = [w if u >= t else 0.0 for u in shares]
        result[name] = reranked_scores(docs, scored, pools, evidence[idf], weights, scorer)
    return result


def f1_10(entry: dict, name: str) -> float:
    return entry[name]["f1@10"]


def verdict(results: dict, models: list[str]) -> dict:
    """The rule of run 18: the candidate best on mean left-out dev F1@10 (means over seeds) is
    judged on (1) a gain of at least 1 point, (2) no left-out corpus more than 1 point lower,
    and per bundled model (3) mean visible dev F1@10 at most 0.5 point lower and no visible dev
    split more than 1 point lower."""
    names = [n for n, *_ in VARIANTS]
    left_out = {corpus: {name: statistics.fmean(f1_10(seed["dev"], name) for seed in by_seed.values())
                         for name in names}
                for corpus, by_seed in results["left_out"].items()}
    means = {name: statistics.fmean(left_out[c][name] for c in left_out) for name in names}
    summary: dict = {"mean_left_out_dev_f1@10": {n: round(v, ROUND) for n, v in means.items()},
                     "left_out_dev_f1@10_by_corpus": {c: {n: round(v, ROUND) for n, v in d.items()}
                                                      for c, d in left_out.items()}}
    best = max((n for n, *_ in CANDIDATES), key=lambda n: means[n])
    gain = means[best] - means[REFERENCE]
    worst = min(left_out[c][best] - left_out[c][REFERENCE] for c in left_out)
    rule1, rule2 = gain >= 0.01, worst >= -0.01
    summary.update({"judged": best, "left_out_gain": round(gain, ROUND), "worst_left_out_change": round(worst, ROUND),
                    "rule_1": rule1, "rule_2": rule2, "in_domain": {}})
    print(f"judged: {best}: mean left-out dev F1@10 {means[best]:.4f} against {means[REFERENCE]:.4f} "
          f"({gain * 100:+.2f} points; rule 1 {'holds' if rule1 else 'fails'}); worst corpus "
          f"{worst * 100:+.2f} (rule 2 {'holds' if rule2 else 'fails'})")
    for model in models:
        dev = results["in_domain_dev"][model]
        changes = [f1_10(dev[c], best) - f1_10(dev[c], REFERENCE) for c in VISIBLE]
        mean_change, worst_drop = statistics.fmean(changes), -min(changes)
        rule3 = mean_change >= -0.005 and worst_drop <= 0.01
        summary["in_domain"][model] = {"mean_change": round(mean_change, ROUND), "worst_drop": round(worst_drop, ROUND),
                                       "rule_3": rule3, "ships": rule1 and rule2 and rule3}
        print(f"{model}: visible dev F1@10 mean change {mean_change * 100:+.2f} points, worst drop "
              f"{worst_drop * 100:.2f} (rule 3 {'holds' if rule3 else 'fails'}): "
              f"{'ships' if rule1 and rule2 and rule3 else 'does not ship'}")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--taggers", type=Path, nargs="+",
                        default=[Path("runs/loco/baseline-36-s13"), Path("runs/loco/baseline-36-s14")],
                        help="left-out tagger folders, one a seed (each with without-<corpus>/)")
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--bundled", nargs="+", default=["default", "fast"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", type=Path, default=Path("docs/loco-rarity-evidence.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rarity_idf = GeneralRarity.load(resolve("multi")).idf("en")

    def line(scores: dict) -> str:
        return "  ".join(f"{n}: {scores[n]['f1@10']:.4f}" for n, *_ in VARIANTS)

    results: dict = {"variants": [n for n, *_ in VARIANTS], "reference": REFERENCE,
                     "controls": [n for n, *_ in CONTROLS], "left_out": {}, "in_domain_dev": {}}
    for folder in args.taggers:
        for left_out, tagger_dir in trained_without(folder, args.left_out):
            extractor = load(tagger_dir)
            entry = results["left_out"].setdefault(left_out, {})[str(folder)] = {}
            for split in ("dev", "test"):
                entry[split] = variant_scores(extractor, read_documents(args.data / left_out / f"{split}.jsonl"),
                                              rarity_idf)
                print(f"{folder.name} {left_out:12s} {split:4s} F1@10: {line(entry[split])}", flush=True)
    for model in args.bundled:
        extractor = load(model)
        results["in_domain_dev"][model] = {
            corpus: variant_scores(extractor, read_documents(args.data / corpus / "dev.jsonl"), rarity_idf)
            for corpus in VISIBLE}
        for corpus in VISIBLE:
            print(f"{model} {corpus:12s} dev F1@10: {line(results['in_domain_dev'][model][corpus])}", flush=True)
    if len(results["left_out"]) == len(args.left_out):
        results["summary"] = verdict(results, args.bundled)
    else:
        print("not every left-out corpus has a tagger: no verdict", file=sys.stderr)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
