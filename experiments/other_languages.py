"""Keyphrases in languages kwextract has no labels for: models beside YAKE and TF-IDF, one run.

    python experiments/other_languages.py --model default=default --model fast=fast \\
        [--model adapted=runs/lang/adapt-{lang}] [--corpora pt-news fr-wikinews] [--splits dev test] \\
        [--json docs/other-languages.json]

Every model is loaded to read the corpus's language (``load(path, lang=...)``, the corpus
lines' ``"lang"``); ``{lang}`` in a path is replaced by it, so one entry names a model per
language; ``PATH#tfidf_weight=W`` scores it with that ``ModelConfig.tfidf_weight``, and
no other evidence (a bundled model's own ``foreign_tfidf_weight`` off), or with
``#evidence=rarity`` after it with each word's rarity in the corpus's language (its rank among
the language's RARITY_EVIDENCE_WORDS most frequent words in ``wordfreq``) as the IDF of that
TF-IDF evidence, in place of the model's own IDF, as ``ModelConfig.foreign_tfidf_weight`` reads
it (run 17 of docs/other-languages.md). Scored
with the quality protocol in that language (Snowball stems): F1@5/@10 from the top 10,
F1@M from the model's own selection; beside YAKE (``lan`` = the language, n=1 and n=3,
top 10) and kwextract's TF-IDF (IDF fitted on the scored documents), on the same documents
in the same run. Decisions use the dev splits only (docs/other-languages.md);
test splits are reported. A model calibrated on the dev split it is scored on (`train --dev`,
`ensemble --dev`) also gets that split's F1@10 out of sample ("f1@10 out of sample", from its
calibration's record): its phrase scorer's trees were fitted to those very documents.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import torch
import yake

from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, evaluate, macro_scores
from kwextract.rarity import GeneralRarity, build_general_rarity
from kwextract.serialization import load
from kwextract.tokenize import Tokenizer
from kwextract.unsupervised import TfidfScorer

ROUND = 4
RARITY_EVIDENCE_WORDS = 10_000  # run 17's lists: 22 languages in under 1 MB


@cache
def rarity_lists() -> GeneralRarity:
    return build_general_rarity(RARITY_EVIDENCE_WORDS)


def rounded(scores: dict) -> dict:
    return {k: round(v, ROUND) if isinstance(v, float) else v for k, v in scores.items()}


def baselines(docs, lang: str) -> dict[str, dict]:
    tokenizer = Tokenizer(lang=lang)
    tokens = tokenizer.pipe([d.text for d in docs])
    scorer = ProtocolScorer(tokenizer)
    tfidf = TfidfScorer().fit(tokens)
    ranked = {"tfidf": [tfidf.top_phrases(t, 10) for t in tokens]}
    for n in (1, 3):
        extractor = yake.KeywordExtractor(lan=lang, n=n, top=10)
        ranked[f"yake-n{n}"] = [[kw for kw, _ in extractor.extract_keywords(d.text)] for d in docs]
    return {name: rounded(macro_scores(docs, tokens, lambda i, k, r=r: r[i], scorer, cutoffs=(5, 10)))
            for name, r in ranked.items()}


def calibrated_on(meta: dict, path: Path) -> bool:
    """Whether the model's calibration (its phrase scorer, aggregation and candidate floor) was
    chosen on ``path``: `kwextract train --dev` and `kwextract ensemble --dev` record it."""
    dev = (meta.get("calibration") or {}).get("dev_data") or meta.get("dev_data") or []
    return any(Path(d).resolve() == path.resolve() for d in dev)


def out_of_sample_f1_10(meta: dict) -> float | None:
    """Dev F1@10 as the model's calibration measured it without fitting to the documents scored:
    with the cross-fitted trees when it kept its phrase scorer (each dev document ranked by trees
    fitted on the other folds), with inherited trees or trees fitted on the training texts out
    of fold as they scored it (they never saw it), else with the ranking it chose. A model whose trees were fitted on the dev split scores that split
    in sample (run 8 of docs/other-languages.md: French 0.690 against 0.486 cross-fitted);
    decisions between such models read this figure instead."""
    stacked = meta.get("out_of_fold_phrase_scorer") or {}
    if stacked.get("kept"):  # trees fitted on the training texts out of fold: never saw dev (run 14)
        return stacked["dev_f1_10"]
    report = meta.get("calibration") or {}
    trees = report.get("phrase_scorer") or {}
    if trees.get("kept"):
        return trees["cross_fitted_dev_f1_10"]
    inherited = report.get("inherited_phrase_scorer") or {}
    if inherited.get("kept"):  # trees fitted on other data: as scored on this split (run 12)
        return inherited["dev_f1_10"]
    key = f"{report.get('aggregation')} {report.get('candidate_min_prob')}"
    return (report.get("dev_f1_10_by_aggregation_and_min_prob") or {}).get(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--corpora", nargs="+", default=["pt-news", "fr-wikinews"])
    parser.add_argument("--splits", nargs="+", default=["dev", "test"])
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                        help="a model to score (repeatable); {lang} in PATH becomes the corpus's language")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", type=Path, default=Path("docs/other-languages.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    models = dict(m.split("=", 1) for m in args.model)
    stored = json.loads(args.json.read_text()) if args.json.exists() else {}
    for corpus in args.corpora:
        for split in args.splits:
            path = args.data / corpus / f"{split}.jsonl"
            if not path.exists():
                print(f"{path}: missing, skipped", file=sys.stderr)
                continue
            docs = read_documents(path)
            lang = json.loads(path.open(encoding="utf-8").readline())["lang"]
            entry = stored.setdefault(corpus, {}).setdefault(split, {})
            entry.update(baselines(docs, lang))
            for name, model in models.items():
                where, *settings = model.replace("{lang}", lang).split("#")
                options = dict(setting.split("=", 1) for setting in settings)
                extractor = load(where, lang=lang)
                if "tfidf_weight" in options:  # the model as `kwextract adapt --tfidf-weight W` would have saved it,
                    weight = float(options["tfidf_weight"])  # its IDF the model's own, or the language's rarity
                    rarity = options.get("evidence") == "rarity"  # as data/foreign_evidence.py would give it
                    extractor.config = replace(extractor.config, tfidf_weight=weight,
                                               foreign_tfidf_weight=weight if rarity else 0.0)
                    if rarity:
                        for tagger in extractor.taggers:
                            tagger.rarity = rarity_lists()
                scores = evaluate(extractor, docs)
                entry[name] = {"model": model.replace("{lang}", lang), **rounded(scores)}
                if calibrated_on(extractor.meta, path):
                    entry[name]["f1@10 out of sample"] = out_of_sample_f1_10(extractor.meta)
            best_base = max(entry["yake-n1"]["f1@10"], entry["yake-n3"]["f1@10"], entry["tfidf"]["f1@10"])
            for name, s in entry.items():
                ratio = s["f1@10"] / entry["yake-n1"]["f1@10"] if entry["yake-n1"]["f1@10"] else float("nan")
                print(f"{corpus:<12} {split:<5} {name:<16} docs {s['docs']:>3}  F1@5 {s['f1@5']:.3f}  "
                      f"F1@10 {s['f1@10']:.3f}  F1@M {s.get('f1@M', float('nan')):.3f}  "
                      f"{ratio:.2f}x YAKE n=1" + ("  (best baseline)" if s["f1@10"] == best_base else "")
                      + (f"  (calibrated here; out of sample F1@10 {s['f1@10 out of sample']:.3f})"
                         if s.get("f1@10 out of sample") is not None else ""), flush=True)
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
