"""Keyphrases without any labels: a BiLSTM-CRF taught by TF-IDF silver labels, against YAKE.

    python experiments/unsupervised.py [--data ../shared/datasets] [--out docs/unsupervised.json]

For each data set, ``train --unsupervised`` sees only the train split's texts (labels
dropped), with the command's defaults for it (one layer, 10 epochs of language-model
pre-training on the texts, then 6 epochs on the silver labels, no held-out texts). The
student, its TF-IDF teacher and YAKE are scored on the test split in the same run
(``--split dev`` to compare settings, for example ``--held-out 0.1 --epochs 30 --patience 5``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import yake

from kwextract.config import ModelConfig
from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, evaluate, macro_scores
from kwextract.tokenize import Tokenizer
from kwextract.train import TrainConfig
from kwextract.unsupervised import (
    UNSUPERVISED_EPOCHS,
    UNSUPERVISED_LAYERS,
    UNSUPERVISED_PRETRAIN_EPOCHS,
    TfidfScorer,
    read_unlabeled,
    train_unsupervised,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--datasets", nargs="*", default=["inspec", "semeval2017", "kpcrowd"])
    parser.add_argument("--epochs", type=int, default=UNSUPERVISED_EPOCHS)
    parser.add_argument("--patience", type=int, default=UNSUPERVISED_EPOCHS)
    parser.add_argument("--held-out", type=float, default=0.0, help="share of texts whose silver labels stop training")
    parser.add_argument("--pretrain-epochs", type=int, default=UNSUPERVISED_PRETRAIN_EPOCHS,
                        help="language-model pre-training epochs first")
    parser.add_argument("--split", default="test", choices=["dev", "test"], help="where all three are scored")
    parser.add_argument("--out", type=Path, default=Path("docs/unsupervised.json"))
    args = parser.parse_args()
    data = Path(args.data)
    tokenizer = Tokenizer()
    scorer_protocol = ProtocolScorer(tokenizer)
    results = {}
    for name in args.datasets:
        with tempfile.TemporaryDirectory() as tmp:
            texts = Path(tmp) / "texts.jsonl"
            with texts.open("w") as out:
                for d in read_documents(data / name / "train.jsonl"):
                    out.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
            config = TrainConfig(train=(), epochs=args.epochs, patience=args.patience, seed=13,
                                 pretrain_epochs=args.pretrain_epochs)
            started = time.time()
            student = train_unsupervised([texts], config, ModelConfig(num_layers=UNSUPERVISED_LAYERS), Path(tmp) / "model",
                                         log=lambda m: None, held_out=args.held_out)
            training = {**student.meta["training"], "total_seconds": round(time.time() - started)}
            train_tokens = tokenizer.pipe([d.text for d in read_unlabeled([texts], log=lambda m: None)])
        test = read_documents(data / name / f"{args.split}.jsonl")
        tokens = tokenizer.pipe([d.text for d in test])
        teacher = TfidfScorer().fit(train_tokens)
        teacher_ranked = [teacher.top_phrases(t, 10) for t in tokens]
        kw = yake.KeywordExtractor(lan="en", n=3, top=10)
        yake_ranked = [[k for k, _ in kw.extract_keywords(d.text)] for d in test]
        row = {"student": evaluate(student, test)}
        row["tfidf_teacher"] = macro_scores(test, tokens, lambda i, k: teacher_ranked[i], scorer_protocol, (5, 10))
        row["yake"] = macro_scores(test, tokens, lambda i, k: yake_ranked[i], scorer_protocol, (5, 10))
        results[name] = {who: {k: round(v, 4) for k, v in s.items() if k.startswith("f1")} for who, s in row.items()}
        keys = ("best_epoch", "epochs_run", "seconds", "total_seconds")
        results[name]["student_training"] = {k: training[k] for k in keys}
        print(name, json.dumps(results[name]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    settings = {"split": args.split, "epochs": args.epochs, "patience": args.patience, "held_out": args.held_out,
                "pretrain_epochs": args.pretrain_epochs}
    args.out.write_text(json.dumps({"settings": settings, **results}, indent=1))
    print(f"\n| {args.split} split | BiLSTM-CRF, no labels F1@5 | F1@10 | TF-IDF teacher F1@5 | F1@10 | YAKE F1@5 | F1@10 |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        s, t, y = r["student"], r["tfidf_teacher"], r["yake"]
        print(f"| {name} | {s['f1@5']:.3f} | {s['f1@10']:.3f} | {t['f1@5']:.3f} | {t['f1@10']:.3f} "
              f"| {y['f1@5']:.3f} | {y['f1@10']:.3f} |")


if __name__ == "__main__":
    main()
