"""One tagger or two on unseen text? Leave-one-corpus-out, the bundled pair against its first member.

    python experiments/loco_ensemble.py [--left-out kpcrowd semeval2010 nguyen2007]
        [--first runs/loco/baseline] [--second runs/loco/member2] [--json docs/loco-ensemble.json]
        [--measure-only]

For each left-out corpus, the two taggers ``experiments/leave_one_corpus_out.py`` trained
without it with the recipes of the bundled pair's members (``--first``: seed 13; ``--second``:
seed 15 with skip-gram word vectors first) are combined with ``kwextract.ensemble`` and
calibrated on the dev splits of the five other corpora, as ``kwextract ensemble`` built the
bundled pair on six. The pair, the first tagger alone and the second alone (each with the
calibration its training gave it, on the same five dev splits) are scored under the quality
protocol on the left-out corpus's *dev* split (the decision) and *test* split (reported),
beside TF-IDF and YAKE on the same documents. The pair is saved under ``--pairs`` for reuse.
The rule is in docs/unseen-domains.md (run 5).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from kwextract.data import read_documents
from kwextract.ensemble import build_ensemble
from kwextract.evaluate import evaluate
from kwextract.serialization import load, save

sys.path.insert(0, str(Path(__file__).parent))
from leave_one_corpus_out import ROUND, VISIBLE, baselines, rounded, trained_without  # noqa: E402

MODELS = ("pair", "first", "second")


def run_left_out(left_out: str, first_dir: Path, second_dir: Path, args: argparse.Namespace) -> dict:
    """The three models' scores on the left-out corpus's dev and test splits, and the baselines'."""
    others = [name for name in VISIBLE if name != left_out]
    first, second = load(first_dir), load(second_dir)
    pair_dir = args.pairs / f"without-{left_out}"
    started = time.time()
    if (pair_dir / "config.json").is_file():
        pair = load(pair_dir)
    else:
        dev_files = [args.data / name / "dev.jsonl" for name in others]
        pair = build_ensemble([first, second], [read_documents(f) for f in dev_files], log=lambda m: None,
                              name=f"loco-pair-without-{left_out}", sources=[str(first_dir), str(second_dir)],
                              dev_names=[str(f) for f in dev_files])
        save(pair, pair_dir)
    entry: dict = {"first": str(first_dir), "second": str(second_dir), "pair": str(pair_dir),
                   "calibrated_on": others, "pair_calibration_seconds": round(time.time() - started)}
    models = {"pair": pair, "first": first, "second": second}
    for split in ("dev", "test"):
        docs = read_documents(args.data / left_out / f"{split}.jsonl")
        entry[split] = {name: rounded(evaluate(model, docs)) for name, model in models.items()}
        entry[split].update({name: rounded(s) for name, s in baselines(docs, first.tokenizer).items()})
        print(f"{left_out:12s} {split:4s} F1@10 / F1@M: "
              + "  ".join(f"{name} {entry[split][name]['f1@10']:.4f} / {entry[split][name]['f1@M']:.4f}"
                          for name in MODELS)
              + f"  TF-IDF {entry[split]['tfidf']['f1@10']:.4f}  YAKE {entry[split]['yake']['f1@10']:.4f}",
              flush=True)
    return entry


def decide(left_out: dict) -> dict:
    """Run 5's rule: the pair stays the default if its mean left-out dev F1@10 beats the first
    tagger's by at least 1 point and it is more than 1 point below it on no left-out corpus."""
    gains = {c: round(e["dev"]["pair"]["f1@10"] - e["dev"]["first"]["f1@10"], ROUND) for c, e in left_out.items()}
    mean_gain = round(sum(gains.values()) / len(gains), ROUND)
    keep_pair = len(gains) == 3 and mean_gain >= 0.01 and min(gains.values()) >= -0.01
    return {"dev_f1@10_gain_of_pair_by_corpus": gains, "mean_dev_f1@10_gain": mean_gain,
            "corpora": len(gains), "pair_stays_default": keep_pair}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--first", type=Path, default=Path("runs/loco/baseline"), help="member 1's taggers")
    parser.add_argument("--second", type=Path, default=Path("runs/loco/member2"), help="member 2's taggers")
    parser.add_argument("--pairs", type=Path, default=Path("runs/loco/pair"), help="where the pairs are saved")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--json", type=Path, default=Path("docs/loco-ensemble.json"))
    parser.add_argument("--measure-only", action="store_true",
                        help="score the models without applying run 5's rule (a measurement, not a decision)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    firsts = dict(trained_without(args.first, args.left_out))
    seconds = dict(trained_without(args.second, args.left_out))
    results: dict = {"left_out": {}}
    for left_out in args.left_out:
        if left_out in firsts and left_out in seconds:
            results["left_out"][left_out] = run_left_out(left_out, firsts[left_out], seconds[left_out], args)
    if not results["left_out"]:
        print("no left-out corpus has both taggers", file=sys.stderr)
        return 2
    if not args.measure_only:
        results["decision"] = decide(results["left_out"])
        print(json.dumps(results["decision"]))
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
