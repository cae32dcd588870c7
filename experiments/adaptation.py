"""Domain adaptation without labels, measured: scientific abstracts → news.

    python experiments/adaptation.py [--data ../shared/datasets] [--out docs/adaptation.json]

1. A base model is trained on labelled abstracts only (Inspec, SemEval-2017 and KDD train
   splits, dev splits for early stopping): it has never seen kpcrowd or any news.
2. ``adapt`` self-trains it on the kpcrowd *train* texts with their labels thrown away,
   rehearsing the base model's own training files and guarded by its dev files (no kpcrowd
   train label is used). With ``--no-rehearsal`` the base domain is left out entirely, to show
   what rehearsal and the guard prevent.
3. With several values of ``--tfidf-phrases``, ``--max-tag-rate-change``, ``--drift-reference``
   or ``--max-guard-drop``, one adapted model is made per combination and the one with the best
   kpcrowd *dev* F1@10 is kept, the first listed on a tie (the 40 dev labels choose a setting;
   no train label is used); every candidate's dev scores are stored. The defaults are the
   second sweep (docs/learning-without-labels.md); the first was
   ``--tfidf-phrases 3 6 --max-tag-rate-change 2 3 --drift-reference base --max-guard-drop 0.005``.
4. The base and the kept model are scored on the kpcrowd and Inspec *test* splits.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from pathlib import Path

from kwextract.config import ModelConfig
from kwextract.data import read_documents
from kwextract.evaluate import evaluate
from kwextract.serialization import load
from kwextract.train import TrainConfig, train
from kwextract.unsupervised import AdaptConfig, adapt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("docs/adaptation.json"))
    parser.add_argument("--keep", type=Path, default=None, help="keep the models in this folder")
    parser.add_argument("--base", type=Path, default=None, help="reuse a base model trained by an earlier run")
    parser.add_argument("--no-rehearsal", action="store_true")
    parser.add_argument("--tfidf-phrases", type=int, nargs="+", default=[3],
                        help="candidate numbers of TF-IDF silver phrases per document, chosen on kpcrowd dev")
    parser.add_argument("--max-tag-rate-change", type=float, nargs="+", default=[3.0],
                        help="candidate limits of the drift check, chosen on kpcrowd dev")
    parser.add_argument("--drift-reference", nargs="+", default=["base", "previous"], choices=["base", "previous"],
                        help="candidate references of the drift check, chosen on kpcrowd dev")
    parser.add_argument("--max-guard-drop", type=float, nargs="+", default=[0.005, 0.01],
                        help="candidate guard tolerances (F1@10 on each base-domain dev file), chosen on kpcrowd dev")
    args = parser.parse_args()
    data = Path(args.data)
    source = ("inspec", "semeval2017", "kdd")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        config = TrainConfig(train=tuple(str(data / s / "train.jsonl") for s in source),
                             dev=tuple(str(data / s / "dev.jsonl") for s in source),
                             epochs=args.epochs, patience=3, seed=13,
                             phrase_scorer=False)  # as when docs/adaptation.json was measured
        base_dir = args.base or root / "base"
        if args.base is None:
            train(config, ModelConfig(num_layers=1), base_dir, log=print)
        base = load(base_dir)
        # The unlabelled corpus: kpcrowd train texts, labels dropped.
        texts = root / "kpcrowd-unlabeled.jsonl"
        with texts.open("w") as out:
            for d in read_documents(data / "kpcrowd" / "train.jsonl"):
                out.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
        rehearse = [] if args.no_rehearsal else list(config.train)
        guard = [] if args.no_rehearsal else list(config.dev)
        candidates = {}
        grid = itertools.product(args.tfidf_phrases, args.max_tag_rate_change, args.drift_reference,
                                 args.max_guard_drop)
        for n, drift, reference, guard_drop in grid:
            settings = AdaptConfig(tfidf_phrases=n, max_tag_rate_change=drift, drift_reference=reference,
                                   max_guard_drop=guard_drop)
            name = (f"tfidf_phrases={n} max_tag_rate_change={drift} drift_reference={reference} "
                    f"max_guard_drop={guard_drop}")
            print(f"adapting with {name}")
            model = adapt(base_dir, [texts], root / f"adapted-tfidf{n}-drift{drift}-{reference}-guard{guard_drop}",
                          settings, log=print, rehearse=rehearse, guard=guard)
            dev = {split: round(evaluate(model, read_documents(data / split / "dev.jsonl"))["f1@10"], 4)
                   for split in ("kpcrowd", "inspec")}
            print(f"{name}: dev F1@10 {dev}")
            candidates[name] = (dev, model)
        chosen = max(candidates, key=lambda c: candidates[c][0]["kpcrowd"])  # max keeps the first of ties
        adapted = candidates[chosen][1]
        base_dev = round(evaluate(base, read_documents(data / "kpcrowd" / "dev.jsonl"))["f1@10"], 4)
        results = {"selection": {"criterion": "kpcrowd dev F1@10", "chosen": chosen,
                                 "base_kpcrowd_dev_f1_10": base_dev,
                                 "dev_f1_10": {c: d for c, (d, _) in candidates.items()}}}
        for split in ("kpcrowd", "inspec"):
            docs = read_documents(data / split / "test.jsonl")
            results[split] = {name: {k: round(v, 4) for k, v in evaluate(model, docs).items() if k.startswith("f1")}
                              for name, model in (("base", base), ("adapted", adapted))}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results["rehearsal"] = not args.no_rehearsal
    results["adaptation"] = adapted.meta["adaptation"]  # rounds, silver labels, tag rate, guard scores
    args.out.write_text(json.dumps(results, indent=1))
    print("\n| test split | base F1@5 | base F1@10 | adapted F1@5 | adapted F1@10 | change F1@10 |")
    print("|---|---|---|---|---|---|")
    for split in ("kpcrowd", "inspec"):
        r = results[split]
        b, a = r["base"], r["adapted"]
        print(f"| {split} | {b['f1@5']:.3f} | {b['f1@10']:.3f} | {a['f1@5']:.3f} | {a['f1@10']:.3f} "
              f"| {100 * (a['f1@10'] - b['f1@10']):+.1f} points |")


if __name__ == "__main__":
    main()
