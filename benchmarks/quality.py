"""Test-split quality of a kwextract model with YAKE measured beside it, in one run.

    python benchmarks/quality.py --model kwextract/models/default --data ../shared/datasets --write-card

Prints a table (and JSON with --json); --write-card stores the figures in the model's
meta.json and MODEL_CARD.md. Uses only test splits, which never feed training or selection.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yake

from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, evaluate, macro_scores
from kwextract.serialization import load, update_meta

DATASETS = ("inspec", "semeval2017", "kdd", "kpcrowd", "semeval2010", "nguyen2007")


def yake_scores(docs, tokenizer) -> dict[str, float]:
    """YAKE (default settings, trigrams, top 10) under the same protocol."""
    extractor = yake.KeywordExtractor(lan="en", n=3, top=10)
    tokens = tokenizer.pipe([d.text for d in docs])
    ranked = [[kw for kw, _ in extractor.extract_keywords(d.text)] for d in docs]
    return macro_scores(docs, tokens, lambda i, k: ranked[i], ProtocolScorer(tokenizer), cutoffs=(5, 10))


TEST_SCORES_NOTE = (
    "Present keyphrases of each corpus's test split (never used for training or tuning), matched after "
    "lowercasing and stemming; F1@5 and F1@10 from the 10 best keyphrases, F1@M from the model's own choice "
    "(`--top-k 0`). YAKE (n=3, top 10) measured in the same run. Reproduce: `python benchmarks/quality.py "
    "--model <this model> --data <folder of the corpora> --write-card`."
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="model directory (default: bundled)")
    parser.add_argument("--data", default="../shared/datasets", help="folder holding <dataset>/test.jsonl")
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--split", default="test")
    parser.add_argument("--no-yake", action="store_true")
    parser.add_argument("--write-card", action="store_true", help="store the scores in the model card")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()

    extractor = load(args.model)
    results: dict[str, dict] = {}
    print(f"{'split':<24} {'docs':>5} {'F1@5':>7} {'F1@10':>7} {'F1@M':>7} {'YAKE@5':>7} {'YAKE@10':>8} {'s':>6}")
    for name in args.datasets:
        path = Path(args.data) / name / f"{args.split}.jsonl"
        if not path.exists():
            print(f"{path}: missing, skipped", file=sys.stderr)
            continue
        docs = read_documents(path)
        started = time.time()
        scores = evaluate(extractor, docs)
        scores["seconds"] = round(time.time() - started, 1)
        if not args.no_yake:
            scores["yake"] = yake_scores(docs, extractor.tokenizer)
        results[f"{name}/{args.split}"] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in scores.items()}
        y = scores.get("yake", {})
        print(
            f"{name + '/' + args.split:<24} {scores['docs']:>5} {scores['f1@5']:>7.3f} {scores['f1@10']:>7.3f} "
            f"{scores['f1@M']:>7.3f} {y.get('f1@5', float('nan')):>7.3f} {y.get('f1@10', float('nan')):>8.3f} "
            f"{scores['seconds']:>6}",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.write_card and args.model:
        update_meta(args.model, {"test_scores": results, "test_scores_note": TEST_SCORES_NOTE})
        print(f"scores written to {args.model}/MODEL_CARD.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
