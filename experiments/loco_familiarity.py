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

import itertools
import json
import sys
from pathlib import Path

from kwextract.evaluate import ProtocolScorer
from kwextract.extractor import Extractor
from kwextract.language import rules
from kwextract.tokenize import TokenizedText

sys.path.insert(0, str(Path(__file__).parent))
from loco_fusion import arguments, compare_variants, pools_with_tfidf, reranked_scores  # noqa: E402

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
    args = arguments(__doc__, "docs/loco-familiarity.json")
    results: dict = {"variants": [key(w, t) for w, t in VARIANTS], "bundled": args.bundled}
    best, adopted = compare_variants(gated_scores, results["variants"], args, results)
    results["decision"] = {"best": best, "adopted": adopted and len(results["left_out"]) == 3}
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
