"""What does no-label adaptation buy on a corpus the model never saw? (run 7, a measurement)

    python experiments/loco_adapt.py [--left-out kpcrowd] [--base runs/loco/pair]
        [--out runs/loco/adapted] [--json docs/loco-adapt.json]

The model trained without the left-out corpus (run 5's pair by default) is adapted on the
raw texts of that corpus's train split with the command users run, every setting at its
default (``kwextract adapt --model <base> --unlabeled <train.jsonl> -o <out>``; skipped when
``<out>`` already holds a model). The base and the adapted model are then scored on the
left-out corpus's dev and test splits with TF-IDF evidence of weight 0 and 0.5
(ModelConfig.tfidf_weight), beside TF-IDF and YAKE on the same documents.
docs/unseen-domains.md, run 7.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import torch

from kwextract.data import read_documents
from kwextract.evaluate import evaluate
from kwextract.serialization import load

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import VISIBLE, baselines, rounded, run_unless_made  # noqa: E402

WEIGHTS = (0.0, 0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--left-out", default="kpcrowd", choices=VISIBLE)
    parser.add_argument("--base", type=Path, default=Path("runs/loco/pair"), help="models trained without each corpus")
    parser.add_argument("--out", type=Path, default=Path("runs/loco/adapted"))
    parser.add_argument("--threads", type=int, default=2, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--json", type=Path, default=Path("docs/loco-adapt.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    base_dir = args.base / f"without-{args.left_out}"
    adapted_dir = args.out / f"without-{args.left_out}"
    command = ["kwextract", "adapt", "--model", str(base_dir), "--unlabeled",
               str(args.data / args.left_out / "train.jsonl"), "-o", str(adapted_dir)]
    seconds = run_unless_made(command, adapted_dir, args.threads)
    results: dict = {"left_out": args.left_out, "command": " ".join(command),
                     "adapt_seconds_this_run": seconds, "scores": {}}
    splits = {split: read_documents(args.data / args.left_out / f"{split}.jsonl") for split in ("dev", "test")}
    for name, model_dir in (("base", base_dir), ("adapted", adapted_dir)):
        model = load(model_dir)
        for w in WEIGHTS:
            model.config = replace(model.config, tfidf_weight=w)
            for split, docs in splits.items():
                scores = results["scores"][f"{name} w={w} {split}"] = rounded(evaluate(model, docs))
                print(f"{name:8s} w={w} {split:4s} F1@5 {scores['f1@5']:.4f} F1@10 {scores['f1@10']:.4f} "
                      f"F1@M {scores['f1@M']:.4f}", flush=True)
    for split, docs in splits.items():
        for name, s in baselines(docs, model.tokenizer).items():
            results["scores"][f"{name} {split}"] = rounded(s)
            print(f"{name:8s} {split:4s} F1@5 {s['f1@5']:.4f} F1@10 {s['f1@10']:.4f}", flush=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
