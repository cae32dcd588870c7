"""Run 9 of docs/unseen-domains.md: does leaving out fragments of better-ranked phrases help?

    python experiments/fragments.py [--part visible loco lang] [--json docs/fragments.json]

Each model scores each split once (``ScoredDocuments``); its ranking is then read twice under
the protocol, with its own settings, without and with ``drop_fragments`` (ranking.py's
``without_fragments``): F1@5, F1@10 and F1@M on the dev split (the decision) and the test split
(reported). Parts, merged into ``--json`` as they finish:

- ``visible``: the bundled default on the six visible corpora;
- ``loco``: member 1's reduced recipe trained without each of kpcrowd, semeval2010 and
  nguyen2007 (``python experiments/leave_one_corpus_out.py --variant baseline-24 --threads 1``),
  on the corpus it never saw;
- ``lang``: pt-news and fr-wikinews with the labelled recipe (``runs/lang/control-base-L``) and
  the no-label recipe (``runs/lang/recipe-L``), made by ``bash experiments/other_languages_teacher.sh``.

Then the rule of run 9 is applied to whatever the JSON holds and its verdict printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from kwextract import load
from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, ScoredDocuments

VISIBLE = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")
LEFT_OUT = ("kpcrowd", "semeval2010", "nguyen2007")
LANGUAGES = (("pt-news", "pt"), ("fr-wikinews", "fr"))
KEYS = ("f1@5", "f1@10", "f1@M")


def both_ways(model, path: Path) -> dict[str, dict[str, float]]:
    """The protocol's scores of ``model`` on the split at ``path``, without and with the filter."""
    docs = read_documents(path)
    scored = ScoredDocuments.of(model, docs)
    config, scorer = model.config, ProtocolScorer(model.tokenizer)
    result = {}
    for name, drop in (("without", False), ("with", True)):
        scores = scored.scores(scorer, config.aggregation, config.select_threshold,
                               phrase_scorer=model.phrase_scorer, selection=config.selection,
                               tfidf_weight=config.tfidf_weight, drop_fragments=drop)
        result[name] = {k: round(scores[k], 4) for k in KEYS}
    return result


def measurements(part: str, data: Path) -> dict[str, tuple[str, Path]]:
    """Name → (model, corpus folder) of one part of the run."""
    if part == "visible":
        return {f"visible/{c}": ("default", data / c) for c in VISIBLE}
    if part == "loco":
        return {f"loco/{c}": (f"runs/loco/baseline-24/without-{c}", data / c) for c in LEFT_OUT}
    return {f"lang/{corpus}/{recipe}": (f"runs/lang/{folder}-{lang}", data / corpus)
            for corpus, lang in LANGUAGES for recipe, folder in (("labelled", "control-base"), ("no-label", "recipe"))}


def verdict(results: dict) -> list[str]:
    """Run 9's rule (docs/unseen-domains.md) on the dev scores held in ``results``."""
    def change(name: str, key: str) -> float:
        dev = results[name]["dev"]
        return 100 * (dev["with"][key] - dev["without"][key])

    new_text = [n for n in results if not n.startswith("visible/")]
    visible = [n for n in results if n.startswith("visible/")]
    if len(new_text) < 7 or len(visible) < 6:
        return [f"incomplete: {len(visible)} of 6 visible and {len(new_text)} of 7 new-text measurements"]
    mean_new = sum(change(n, "f1@10") for n in new_text) / len(new_text)
    mean_visible = sum(change(n, "f1@10") for n in visible) / len(visible)
    worst = min((change(n, k), n, k) for n in results for k in ("f1@10", "f1@M"))
    rules = [mean_new >= 0.5, mean_visible >= -0.2, worst[0] >= -1.0]
    return [f"(1) mean dev F1@10 change on new text: {mean_new:+.2f} points (at least +0.5): {rules[0]}",
            f"(2) mean dev F1@10 change, bundled default, six visible splits: {mean_visible:+.2f} (at least -0.2): "
            f"{rules[1]}",
            f"(3) largest loss of dev F1@10 or F1@M: {worst[0]:+.2f} ({worst[1]}, {worst[2]}; at most 1 point): "
            f"{rules[2]}",
            "ADOPTED" if all(rules) else "NOT ADOPTED"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--part", nargs="+", default=["visible", "loco", "lang"], choices=["visible", "loco", "lang"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", type=Path, default=Path("docs/fragments.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for part in args.part:
        for name, (model_name, corpus) in measurements(part, args.data).items():
            if not Path(model_name).is_dir() and "/" in model_name:
                print(f"{model_name}: not made; skipped (see this script's docstring)", file=sys.stderr)
                continue
            model = load(model_name)
            result = {"model": model_name, **{split: both_ways(model, corpus / f"{split}.jsonl")
                                              for split in ("dev", "test")}}
            results = json.loads(args.json.read_text()) if args.json.exists() else {}
            results[name] = result
            args.json.write_text(json.dumps(results, indent=1) + "\n")
            for split in ("dev", "test"):
                row = "  ".join(f"{k} {result[split]['without'][k]:.3f} -> {result[split]['with'][k]:.3f}" for k in KEYS)
                print(f"{name:<28} {split:<4} {row}", flush=True)
    results = json.loads(args.json.read_text()) if args.json.exists() else {}
    print("\n".join(verdict(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
