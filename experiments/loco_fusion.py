"""Does TF-IDF evidence help the ranking on unseen text? Leave-one-corpus-out, re-ranking only.

    python experiments/loco_fusion.py [--left-out kpcrowd semeval2010 nguyen2007]
        [--taggers runs/loco/baseline] [--json docs/loco-fusion.json]

Each document's 50 best phrases under the model's own ranking are re-scored as
``score + w * tfidf / max tfidf`` (``tfidf``: TfidfScorer's formula with the model's own IDF,
``word_idf``) for each weight in WEIGHTS, and the new top 10 is scored (F1@5/F1@10). Models: the
taggers ``experiments/leave_one_corpus_out.py`` trained without each left-out corpus, on that
corpus's dev (the decision) and test (reported) splits; and the bundled model on the six
visible dev splits (what the change would cost in domain). The rule is in
docs/unseen-domains.md (run 4).
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from pathlib import Path

import torch

from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, ScoredDocuments, macro_scores
from kwextract.keyphrase import Keyphrase
from kwextract.normalize import stems_of
from kwextract.serialization import load
from kwextract.tokenize import TokenizedText
from kwextract.tfidf import tfidf_scores

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import ROUND, VISIBLE, rounded, trained_without  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5)
POOL = 50  # phrases re-scored per document


def pool_tfidf(tokens: TokenizedText, phrases: list[Keyphrase], word_idf) -> list[float]:  # noqa: ANN001
    """TfidfScorer's phrase score (``kwextract.tfidf``) of each phrase, with ``word_idf`` for the IDF."""
    spans = []
    for kp in phrases:
        first = bisect.bisect_left(tokens.starts, kp.start)
        spans.append((first, bisect.bisect_left(tokens.ends, kp.end) - first + 1, kp.count))
    return tfidf_scores(tokens, stems_of(tokens), spans, word_idf)


def pools_with_tfidf(extractor, docs) -> tuple[ScoredDocuments, list[list[Keyphrase]], list[list[float]]]:  # noqa: ANN001
    """Each document's POOL best phrases under the model's ranking, and their TF-IDF scores
    as shares of the document's best among them."""
    scored = ScoredDocuments.of(extractor, docs)
    idf = scored.word_idf
    pools, tfidf = [], []
    for i, tokens in enumerate(scored.tokens):
        pool = extractor.rank(tokens, scored.spans[i], scored.decoded[i], POOL, 0.0, idf)
        pools.append(pool)
        t = pool_tfidf(tokens, pool, idf)
        top = max(t, default=0.0)
        tfidf.append([v / top if top > 0 else 0.0 for v in t])
    return scored, pools, tfidf


def reranked_scores(docs, scored: ScoredDocuments, pools, tfidf, weights: list[float],  # noqa: ANN001
                    scorer: ProtocolScorer) -> dict:
    """F1@5/@10 of the top 10 after re-scoring document i's pool as score + weights[i] · tfidf."""
    ranked = []
    for pool, t, w in zip(pools, tfidf, weights):
        order = sorted(range(len(pool)), key=lambda j: (-(pool[j].score + w * t[j]), j))
        ranked.append([pool[j].text for j in order[:10]])
    scores = macro_scores(docs, scored.tokens, lambda i, k: ranked[i], scorer, cutoffs=(5, 10))
    return rounded(scores)


def fused_scores(extractor, docs) -> dict[str, dict[str, float]]:  # noqa: ANN001
    """F1@5/@10 of the re-ranked top 10 for each weight."""
    scored, pools, tfidf = pools_with_tfidf(extractor, docs)
    scorer = ProtocolScorer(extractor.tokenizer)
    return {str(w): reranked_scores(docs, scored, pools, tfidf, [w] * len(docs), scorer) for w in WEIGHTS}


def compare_variants(score, keys: list[str], args: argparse.Namespace, results: dict) -> tuple[str, bool]:  # noqa: ANN001
    """Runs 4 and 6 share this protocol. ``score(extractor, docs)`` gives, for each key of
    ``keys`` (the reference first), the F1@5/@10 of the re-ranked top 10. The left-out taggers are
    scored on their corpus's dev (the decision) and test (reported) splits, the bundled model
    on the visible dev splits; into ``results`` go those and a summary by key. The rule: the key
    with the best mean left-out dev F1@10 is adopted if it gains at least 1 point over the
    reference there, the bundled model's mean visible dev F1@10 falls by at most 0.5 point and
    no visible dev split's by more than 1 point. Returns (best key, adopted)."""

    def line(scores: dict) -> str:
        return "  ".join(f"{key}: {scores[key]['f1@10']:.4f}" for key in keys)

    results.update({"left_out": {}, "in_domain_dev": {}})
    for left_out, tagger_dir in trained_without(args.taggers, args.left_out):
        extractor = load(tagger_dir)
        entry = results["left_out"][left_out] = {"tagger": str(tagger_dir)}
        for split in ("dev", "test"):
            entry[split] = score(extractor, read_documents(args.data / left_out / f"{split}.jsonl"))
            print(f"{left_out:12s} {split:4s} F1@10: {line(entry[split])}", flush=True)
    bundled = load(args.bundled)
    for corpus in VISIBLE:
        results["in_domain_dev"][corpus] = score(bundled, read_documents(args.data / corpus / "dev.jsonl"))
        print(f"{corpus:12s} dev  (bundled) F1@10: {line(results['in_domain_dev'][corpus])}", flush=True)
    summary = {}
    for key in keys:
        left = [results["left_out"][c]["dev"][key]["f1@10"] for c in results["left_out"]]
        inside = [results["in_domain_dev"][c][key]["f1@10"] for c in VISIBLE]
        summary[key] = {"mean_left_out_dev_f1@10": round(sum(left) / len(left), ROUND) if left else None,
                        "mean_in_domain_dev_f1@10": round(sum(inside) / len(inside), ROUND)}
    base = summary[keys[0]]
    for key in keys[1:]:
        s = summary[key]
        drops = [results["in_domain_dev"][c][keys[0]]["f1@10"] - results["in_domain_dev"][c][key]["f1@10"]
                 for c in VISIBLE]
        s["left_out_gain"] = round(s["mean_left_out_dev_f1@10"] - base["mean_left_out_dev_f1@10"], ROUND)
        s["in_domain_change"] = round(s["mean_in_domain_dev_f1@10"] - base["mean_in_domain_dev_f1@10"], ROUND)
        s["worst_in_domain_drop"] = round(max(drops), ROUND)
        print(f"{key}: left-out dev gain {s['left_out_gain']:+.4f}, in-domain dev change {s['in_domain_change']:+.4f}, "
              f"worst in-domain drop {s['worst_in_domain_drop']:.4f}")
    best = max(keys[1:], key=lambda k: summary[k]["mean_left_out_dev_f1@10"])
    s = summary[best]
    adopted = s["left_out_gain"] >= 0.01 and s["in_domain_change"] >= -0.005 and s["worst_in_domain_drop"] <= 0.01
    results["summary"] = summary
    print(f"best on left-out dev: {best}; adopted under the rule: {adopted}")
    return best, adopted


def arguments(description: str, json_default: str) -> argparse.Namespace:
    """The command line runs 4 and 6 share."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--taggers", type=Path, default=Path("runs/loco/baseline"))
    parser.add_argument("--bundled", default="default", help="the model checked in domain on the visible dev splits")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--json", type=Path, default=Path(json_default))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    return args


def main() -> int:
    args = arguments(__doc__, "docs/loco-fusion.json")
    results: dict = {"weights": WEIGHTS}
    best, adopted = compare_variants(fused_scores, [str(w) for w in WEIGHTS], args, results)
    results["decision"] = {"best_weight": float(best), "adopted": adopted}
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
