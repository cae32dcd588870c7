"""Leave one corpus out: how a training recipe does on text from a corpus it never saw.

    python experiments/leave_one_corpus_out.py [--left-out kpcrowd semeval2010 nguyen2007]
        [--variant baseline] [--epochs 3] [--windows 4] [--word-vector-epochs 0]
        [--pretrained-vectors glove-6b-50d --pretrained-words 20000] [--hidden-size 64] [--num-layers 1]
        [--word-dim 0] [--general-rarity]
        [--teacher runs/loco/pair --teacher-weight 0.5] [--word-dropout 0.25]
        [--out runs/loco] [--json docs/loco.json]

For each left-out corpus: one tagger is trained on the train splits of every other visible
corpus, stopped early and calibrated on their dev splits (never the left-out corpus's), with
the recipe under test; then the left-out corpus's *test* split is scored with the quality
protocol (F1@5, F1@10, F1@M), beside TF-IDF and YAKE on the same documents in the same run,
and its *dev* split too (``dev``: the split a choice between recipes is made on).
This is the measure of "off the shelf" (issue 18): text of a domain the model never saw.

The recipe is the bundled tagger's (data/train_member.sh: 2-layer BiLSTM-CRF, 256-token
windows) reduced to ``--epochs`` epochs and ``--windows`` windows per paper per epoch, so
that a comparison fits in an afternoon; every variant compared must use the same reduction
(the JSON records it). Runs resume: a finished model is reused, an interrupted one continues
from its checkpoint. Results are merged into ``--json`` under the variant's name.

TF-IDF is kwextract's own unsupervised scorer (``kwextract.unsupervised.TfidfScorer``: stem
TF-IDF over noun-phrase-like candidates, IDF fitted on the scored documents themselves);
YAKE runs with n=3, top 10, as in benchmarks/quality.py.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import torch
import yake

from kwextract.config import ModelConfig, TrainConfig
from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, evaluate, macro_scores
from kwextract.serialization import load
from kwextract.tokenize import Tokenizer
from kwextract.train import train
from kwextract.unsupervised import TfidfScorer

VISIBLE = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")
ROUND = 4


def rounded(scores: dict) -> dict:
    """Scores with their floats rounded to ROUND places, as the JSON files keep them."""
    return {k: round(v, ROUND) if isinstance(v, float) else v for k, v in scores.items()}


def run_unless_made(command: list[str], output: Path, threads: int) -> int:
    """Run a ``kwextract`` command (as users run it) that writes a model to ``output``, unless
    a model is already there; the seconds it took (0 when it was skipped)."""
    if (output / "config.json").is_file():
        return 0
    print("$ " + " ".join(command), flush=True)
    started = time.time()
    # python -m kwextract is the kwextract command, from this interpreter's environment
    subprocess.run([sys.executable, "-m", *command], check=True, env={**os.environ, "OMP_NUM_THREADS": str(threads)})
    return round(time.time() - started)


def trained_without(taggers: Path, corpora: list[str]) -> list[tuple[str, Path]]:
    """(left-out corpus, its tagger's folder) for each of ``corpora`` that has a tagger trained
    without it under ``taggers`` (this script's ``--out``/variant folder); the others are named
    on stderr and skipped."""
    found = []
    for left_out in corpora:
        tagger_dir = taggers / f"without-{left_out}"
        if (tagger_dir / "config.json").is_file():
            found.append((left_out, tagger_dir))
        else:
            print(f"{tagger_dir}: no tagger trained without {left_out}; skipped", file=sys.stderr)
    return found


def baselines(docs, tokenizer: Tokenizer) -> dict[str, dict[str, float]]:
    """TF-IDF and YAKE on ``docs`` under the protocol (top 5 and top 10)."""
    tokens = tokenizer.pipe([d.text for d in docs])
    scorer = ProtocolScorer(tokenizer)
    tfidf = TfidfScorer().fit(tokens)
    tfidf_ranked = [tfidf.top_phrases(t, 10) for t in tokens]
    yake_extractor = yake.KeywordExtractor(lan="en", n=3, top=10)
    yake_ranked = [[kw for kw, _ in yake_extractor.extract_keywords(d.text)] for d in docs]
    return {
        "tfidf": macro_scores(docs, tokens, lambda i, k: tfidf_ranked[i], scorer, cutoffs=(5, 10)),
        "yake": macro_scores(docs, tokens, lambda i, k: yake_ranked[i], scorer, cutoffs=(5, 10)),
    }


def run_left_out(left_out: str, args: argparse.Namespace) -> dict:
    data = Path(args.data)
    sources = [name for name in VISIBLE if name != left_out]
    model_dir = Path(args.out) / args.variant / f"without-{left_out}"
    config = TrainConfig(
        train=tuple(str(data / s / "train.jsonl") for s in sources),
        dev=tuple(str(data / s / "dev.jsonl") for s in sources),
        epochs=args.epochs, patience=args.epochs, seed=args.seed, max_windows_per_doc=args.windows,
        word_vector_epochs=args.word_vector_epochs, pretrained_vectors=args.pretrained_vectors,
        pretrained_words=args.pretrained_words,
        # A teacher trained without the left-out corpus too (experiments/loco_ensemble.py saves such pairs).
        teacher=str(Path(args.teacher) / f"without-{left_out}") if args.teacher else None,
        teacher_weight=args.teacher_weight, word_dropout=args.word_dropout, general_rarity=args.general_rarity,
    )
    started = time.time()
    model_config = ModelConfig(window_tokens=256, hidden_size=args.hidden_size, num_layers=args.num_layers,
                               word_dim=args.word_dim)
    if not (model_dir / "config.json").is_file():
        print(f"== training without {left_out} on {', '.join(sources)} -> {model_dir}", flush=True)
        checkpoint = model_dir.with_name(f".{model_dir.name}.checkpoint.pt")  # train()'s, after every epoch
        train(config, model_config, model_dir, resume=checkpoint.exists(),
              meta={"name": f"loco-{args.variant}-without-{left_out}"}, log=lambda m: print(m, flush=True))
    trained_s = round(time.time() - started)
    docs = read_documents(data / left_out / "test.jsonl")
    extractor = load(model_dir)
    scores = evaluate(extractor, docs)
    result = {
        "left_out": left_out, "trained_on": sources, "train_seconds_this_run": trained_s, "threads": args.threads,
        "kwextract": rounded(scores),
        **{name: rounded(s)
           for name, s in baselines(docs, extractor.tokenizer).items()},
    }
    best = max(result["tfidf"]["f1@10"], result["yake"]["f1@10"])
    result["f1@10_vs_best_baseline"] = round(result["kwextract"]["f1@10"] / best, 3) if best else None
    dev_docs = read_documents(data / left_out / "dev.jsonl")
    result["dev"] = {"kwextract": rounded(evaluate(extractor, dev_docs)),
                     **{name: rounded(s) for name, s in baselines(dev_docs, extractor.tokenizer).items()}}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--left-out", nargs="+", default=["kpcrowd", "semeval2010", "nguyen2007"], choices=VISIBLE)
    parser.add_argument("--variant", default="baseline", help="name of the recipe under test (folder and JSON key)")
    parser.add_argument("--epochs", type=int, default=3, help="reduced recipe: epochs (the same for every variant)")
    parser.add_argument("--windows", type=int, default=4, help="reduced recipe: windows per paper per epoch")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--word-vector-epochs", type=int, default=0, help="variant: skip-gram word vectors first")
    parser.add_argument("--pretrained-vectors", default=None, help="variant: frozen general-English vectors")
    parser.add_argument("--pretrained-words", type=int, default=20_000, help="variant: pretrained words added")
    parser.add_argument("--hidden-size", type=int, default=ModelConfig.hidden_size,
                        help="variant: encoder units per direction")
    parser.add_argument("--num-layers", type=int, default=ModelConfig.num_layers, help="variant: encoder layers")
    parser.add_argument("--word-dim", type=int, default=ModelConfig.word_dim,
                        help="variant: word embedding size; 0: no word identities and no corpus IDF")
    parser.add_argument("--teacher", default=None,
                        help="variant: distil from the model in TEACHER/without-<left-out> (train --teacher)")
    parser.add_argument("--teacher-weight", type=float, default=TrainConfig.teacher_weight,
                        help="variant: the teacher's share of the loss")
    parser.add_argument("--word-dropout", type=float, default=TrainConfig.word_dropout,
                        help="variant: share of training words hidden from the network (replaced by <unk>)")
    parser.add_argument("--general-rarity", action="store_true",
                        help="variant: each word's rarity in its language as an input (train --general-rarity)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (set it: two cores are shared)")
    parser.add_argument("--out", default="runs/loco")
    parser.add_argument("--json", type=Path, default=Path("docs/loco.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if not (Path(args.data) / "inspec").is_dir():
        print(f"{args.data}: the visible corpora are not there", file=sys.stderr)
        return 2
    recipe = {"epochs": args.epochs, "windows_per_paper": args.windows, "seed": args.seed, "window_tokens": 256,
              "word_vector_epochs": args.word_vector_epochs, "pretrained_vectors": args.pretrained_vectors,
              "pretrained_words": args.pretrained_words if args.pretrained_vectors else 0}
    if args.hidden_size != ModelConfig.hidden_size:  # recorded only when changed: older entries lack the key
        recipe["hidden_size"] = args.hidden_size
    if args.num_layers != ModelConfig.num_layers:
        recipe["num_layers"] = args.num_layers
    if args.word_dim != ModelConfig.word_dim:
        recipe["word_dim"] = args.word_dim
    if args.word_dropout != TrainConfig.word_dropout:
        recipe["word_dropout"] = args.word_dropout
    if args.general_rarity:
        recipe["general_rarity"] = True
    if args.teacher:
        recipe.update(teacher=args.teacher, teacher_weight=args.teacher_weight)
    print(f"{'left out':<13}{'docs':>5}{'F1@5':>8}{'F1@10':>8}{'F1@M':>8}{'TF-IDF@10':>11}{'YAKE@10':>9}{'ratio':>7}")
    results = []
    for left_out in args.left_out:
        r = run_left_out(left_out, args)
        results.append(r)
        k = r["kwextract"]
        print(f"{left_out:<13}{k['docs']:>5}{k['f1@5']:>8.4f}{k['f1@10']:>8.4f}{k['f1@M']:>8.4f}"
              f"{r['tfidf']['f1@10']:>11.4f}{r['yake']['f1@10']:>9.4f}{r['f1@10_vs_best_baseline']:>6.2f}x", flush=True)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        with open(args.json.with_name(args.json.name + ".lock"), "w") as lock:  # runs side by side share the file
            fcntl.flock(lock, fcntl.LOCK_EX)
            stored = json.loads(args.json.read_text()) if args.json.exists() else {}
            entry = stored.setdefault(args.variant, {"recipe": recipe, "results": {}})
            if entry["recipe"] != recipe:  # a different reduction is a different experiment
                entry = stored[args.variant] = {"recipe": recipe, "results": {}}
            entry["results"][left_out] = r
            args.json.write_text(json.dumps(stored, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
