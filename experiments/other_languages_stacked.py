"""Run 14 of docs/other-languages.md: a labelled tagger's phrase scorer fitted on its training
texts out of fold (stacking), not on the 20 dev documents a language has.

    python experiments/other_languages_stacked.py --model runs/lang/rate0.002-base-pt \\
        --train ../shared/datasets/pt-news/train.jsonl --dev ../shared/datasets/pt-news/dev.jsonl \\
        --lang pt --seed 13 --folds 4 --work runs/lang/stack-s13-pt -o runs/lang/stacked-s13-pt

The training split is cut into ``--folds`` folds (document i goes to fold i mod K). For each
fold, the tagger's own recipe (`kwextract train --lang L --base multi --seed S`, early stopping
on ``--dev``) is trained on the other folds, and reads the fold it never saw: its candidates
(above the final tagger's candidate floor, as calibration finds them) with their features and
gold labels are the trees' training rows. The trees are fitted on all of them, the selection
rule for ``top_k=None`` is chosen on dev as calibration chooses it, and the final tagger is
written with them to ``-o``. The trees never saw a dev document, so the written model's dev
F1@10 is out of sample as scored (recorded in meta.json as "out_of_fold_phrase_scorer").
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from kwextract.calibrate import THRESHOLDS
from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, ScoredDocuments
from kwextract.normalize import stems_of
from kwextract.phrase_scorer import FIRST_FEATURES, fit_phrase_scorer, phrase_features
from kwextract.ranking import EXPECTED_F1_RULES, candidates
from kwextract.serialization import load, save


def fold_rows(fold_model: Path, docs, lang: str, min_prob: float, scorer_of) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and gold labels of ``docs``' candidates as ``fold_model`` (which never saw
    them) finds them above ``min_prob``."""
    tagger = load(fold_model, lang=lang)
    scorer = scorer_of(tagger)
    scored = ScoredDocuments.of(tagger, docs, min_prob=min_prob)
    xs, ys = [], []
    for doc, tokens, spans, decoded in zip(scored.docs, scored.tokens, scored.spans, scored.decoded):
        stems = stems_of(tokens)
        found = candidates(tokens, stems, spans, decoded)
        gold = scorer.present_gold(doc, tokens)
        xs.append(phrase_features(found, tokens, scored.word_idf, stems, FIRST_FEATURES))
        ys.append(np.array([key in gold for key in found.keys], dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="the labelled tagger (a single tagger)")
    parser.add_argument("--base", default="multi", help="the base its recipe continues")
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--work", type=Path, required=True, help="folder for the fold files and taggers")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)

    final = load(args.model, lang=args.lang)
    config = final.config
    train_docs = read_documents(args.train)
    args.work.mkdir(parents=True, exist_ok=True)
    lines = args.train.read_text(encoding="utf-8").splitlines()
    xs, ys = [], []
    for k in range(args.folds):
        fold_dir = args.work / f"fold-{k}"
        fold_train = args.work / f"train-without-{k}.jsonl"
        fold_train.write_text("".join(line + "\n" for i, line in enumerate(lines) if i % args.folds != k),
                              encoding="utf-8")
        if not (fold_dir / "config.json").exists():
            subprocess.run(["kwextract", "train", "--lang", args.lang, "--base", args.base, "--seed", str(args.seed),
                            "--train", str(fold_train), "--dev", str(args.dev), "-o", str(fold_dir)], check=True)
        held_out = [d for i, d in enumerate(train_docs) if i % args.folds == k]
        x, y = fold_rows(fold_dir, held_out, args.lang, config.candidate_min_prob,
                         lambda tagger: ProtocolScorer(tagger.tokenizer))
        print(f"fold {k}: {len(held_out)} held-out texts, {len(y)} candidates, {int(y.sum())} gold", flush=True)
        xs.append(x)
        ys.append(y)
    x, y = np.concatenate(xs), np.concatenate(ys)
    trees = fit_phrase_scorer(x, y, args.seed)

    # the selection rule for top_k=None, chosen on dev as calibration chooses it (trees not fitted there)
    dev_docs = read_documents(args.dev)
    scorer = ProtocolScorer(final.tokenizer)
    scored = ScoredDocuments.of(final, dev_docs, min_prob=config.candidate_min_prob)

    def dev_score(metric: str, threshold, selection: str = "threshold") -> float:
        cutoff = 10 if metric == "f1@10" else None
        return scored.scores(scorer, config.aggregation, threshold, (cutoff,), config.candidate_min_prob, trees,
                             selection, config.tfidf_weight)[metric]

    by_rule = {str(t): dev_score("f1@M", t) for t in THRESHOLDS if t is not None}
    by_rule.update({rule: dev_score("f1@M", None, rule) for rule in EXPECTED_F1_RULES})
    best = max(by_rule, key=lambda t: by_rule[t])
    thresholds = {t: v for t, v in by_rule.items() if t not in EXPECTED_F1_RULES}
    f1_10 = dev_score("f1@10", None)
    print(f"trees on {len(y)} out-of-fold training candidates: dev F1@10 {f1_10:.4f}, "
          f"F1@M {by_rule[best]:.4f} with selection {best}", flush=True)

    final.phrase_scorer = trees
    final.config = replace(config, phrase_scorer=True,
                           selection=best if best in EXPECTED_F1_RULES else "threshold",
                           select_threshold=float(max(thresholds, key=lambda t: thresholds[t])))
    final.meta = {**final.meta, "out_of_fold_phrase_scorer": {
        "kept": True, "folds": args.folds, "seed": args.seed, "train_data": str(args.train),
        "candidates": int(len(y)), "dev_f1_10": round(f1_10, 4),
        "dev_f1_M_by_selection": {t: round(v, 4) for t, v in by_rule.items()}}}
    save(final, args.output)
    print(f"model written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
