"""TF-IDF evidence only for text the model finds unfamiliar? Leave-one-corpus-out, re-ranking only.

    python experiments/loco_familiarity.py [--left-out kpcrowd semeval2010 nguyen2007]
        [--taggers runs/loco/baseline] [--bundled default] [--json docs/loco-familiarity.json]

A text's unfamiliarity ``u`` is the share of its content words (alphabetic, not stop words,
lowercased) that the model's word vocabulary lacks. Each document's 50 best phrases are
re-scored as in run 4 (experiments/loco_fusion.py), with weight W if ``u >= T`` and 0
otherwise, for each (W, T) of the grid, and the new top 10 is scored (F1@5/F1@10): the
left-out taggers on their left-out corpus's dev (the decision) and test (reported) splits, the
bundled default on the six visible dev splits. The rule is in docs/unseen-domains.md (run 6).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import torch

from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer
from kwextract.extractor import Extractor
from kwextract.language import rules
from kwextract.serialization import load
from kwextract.tokenize import TokenizedText

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import ROUND, VISIBLE, trained_without  # noqa: E402
from loco_fusion import pools_with_tfidf, reranked_scores  # noqa: E402

WEIGHTS = (0.5, 1.0, 2.0)
THRESHOLDS = (0.10, 0.15, 0.20)
VARIANTS = [(0.0, 0.0)] + list(itertools.product(WEIGHTS, THRESHOLDS))


def key(weight: float, threshold: float) -> str:
    return "W=0" if weight == 0 else f"W={weight} T={threshold}"


def unknown_share(extractor: Extractor, tokens: TokenizedText) -> float:
    """Share of the text's content words that the model's (first tagger's) vocabulary lacks."""
    words = extractor.taggers[0].words
    stop_words = rules(tokens.lang).stop_words
    content = [w.lower() for w in tokens.words if w.isalpha() and w.lower() not in stop_words]
    return sum(words[w] == 1 for w in content) / len(content) if content else 0.0


def gated_scores(extractor: Extractor, docs) -> dict:  # noqa: ANN001
    """F1@5/@10 of the re-ranked top 10 for each (W, T), and how many documents each T gates."""
    scored, pools, tfidf = pools_with_tfidf(extractor, docs)
    shares = [unknown_share(extractor, tokens) for tokens in scored.tokens]
    scorer = ProtocolScorer(extractor.tokenizer)
    result: dict = {"gated_docs": {str(t): sum(u >= t for u in shares) for t in THRESHOLDS}, "docs": len(docs)}
    for w, t in VARIANTS:
        weights = [w if u >= t else 0.0 for u in shares]
        result[key(w, t)] = reranked_scores(docs, scored, pools, tfidf, weights, scorer)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--taggers", type=Path, default=Path("runs/loco/baseline"))
    parser.add_argument("--bundled", default="default", help="the model checked in domain on the visible dev splits")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--json", type=Path, default=Path("docs/loco-familiarity.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results: dict = {"variants": [key(w, t) for w, t in VARIANTS], "bundled": args.bundled,
                     "left_out": {}, "in_domain_dev": {}}
    for left_out, tagger_dir in trained_without(args.taggers, args.left_out):
        extractor = load(tagger_dir)
        entry = results["left_out"][left_out] = {"tagger": str(tagger_dir)}
        for split in ("dev", "test"):
            entry[split] = gated_scores(extractor, read_documents(args.data / left_out / f"{split}.jsonl"))
            print(f"{left_out:12s} {split:4s} gated {entry[split]['gated_docs']} F1@10: "
                  + "  ".join(f"{key(w, t)}: {entry[split][key(w, t)]['f1@10']:.4f}" for w, t in VARIANTS), flush=True)
    bundled = load(args.bundled)
    for corpus in VISIBLE:
        entry = results["in_domain_dev"][corpus] = gated_scores(bundled, read_documents(args.data / corpus / "dev.jsonl"))
        print(f"{corpus:12s} dev  (bundled) gated {entry['gated_docs']} F1@10: "
              + "  ".join(f"{key(w, t)}: {entry[key(w, t)]['f1@10']:.4f}" for w, t in VARIANTS), flush=True)
    summary = {}
    for w, t in VARIANTS:
        left = [results["left_out"][c]["dev"][key(w, t)]["f1@10"] for c in results["left_out"]]
        inside = [results["in_domain_dev"][c][key(w, t)]["f1@10"] for c in VISIBLE]
        summary[key(w, t)] = {"mean_left_out_dev_f1@10": round(sum(left) / len(left), ROUND),
                              "mean_in_domain_dev_f1@10": round(sum(inside) / len(inside), ROUND)}
    base = summary["W=0"]
    for w, t in VARIANTS[1:]:
        s = summary[key(w, t)]
        drops = [results["in_domain_dev"][c]["W=0"]["f1@10"] - results["in_domain_dev"][c][key(w, t)]["f1@10"]
                 for c in VISIBLE]
        s["left_out_gain"] = round(s["mean_left_out_dev_f1@10"] - base["mean_left_out_dev_f1@10"], ROUND)
        s["in_domain_change"] = round(s["mean_in_domain_dev_f1@10"] - base["mean_in_domain_dev_f1@10"], ROUND)
        s["worst_in_domain_drop"] = round(max(drops), ROUND)
        print(f"{key(w, t)}: left-out dev gain {s['left_out_gain']:+.4f}, in-domain dev change "
              f"{s['in_domain_change']:+.4f}, worst in-domain drop {s['worst_in_domain_drop']:.4f}")
    best = max(VARIANTS[1:], key=lambda v: summary[key(*v)]["mean_left_out_dev_f1@10"])
    s = summary[key(*best)]
    adopted = (len(results["left_out"]) == 3 and s["left_out_gain"] >= 0.01 and s["in_domain_change"] >= -0.005
               and s["worst_in_domain_drop"] <= 0.01)
    results["summary"] = summary
    results["decision"] = {"best": key(*best), "adopted": adopted}
    print(f"best on left-out dev: {key(*best)}; adopted under the rule: {adopted}")
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
