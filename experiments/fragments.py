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

The filter was not adopted (docs/unseen-domains.md, run 9), so it lives here, not in the
library: the ranked phrases are the model's own (``rank_candidates``), walked past fragments
by ``without_fragments`` from a pool of 3 × 10 clean phrases (the 50 re-ranked ones for a model
with TF-IDF evidence), the whole list when the pool runs out.
"""

from __future__ import annotations

import argparse
import json
from bisect import bisect_left
import sys
from pathlib import Path

import torch

from kwextract import load
from kwextract.data import read_documents
from kwextract.evaluate import CUTOFFS, ProtocolScorer, ScoredDocuments, macro_scores
from kwextract.normalize import occurrences, stems_of
from kwextract.ranking import FUSION_POOL, candidates, rank_candidates

VISIBLE = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")
LEFT_OUT = ("kpcrowd", "semeval2010", "nguyen2007")
LANGUAGES = (("pt-news", "pt"), ("fr-wikinews", "fr"))
KEYS = ("f1@5", "f1@10", "f1@M")
TOP_K, POOL = 10, 3  # the top 10 is walked from 3 × 10 clean phrases first


def without_fragments(keys: list[tuple[str, ...]], stems, limit: int | None = None) -> list[tuple[str, ...]]:
    """``keys`` (phrases as stems, best first) less each one whose every occurrence lies inside
    an occurrence of a longer phrase kept before it (*Europeia* when the text only ever says
    *União Europeia*, ranked above it); a word that also stands on its own somewhere is kept.
    At most ``limit`` phrases."""
    found_at = occurrences(stems, keys)
    reach: dict[int, int] = {}  # a kept occurrence's first token → the furthest end of one starting there
    longest = 0  # the longest phrase kept so far
    kept: list[tuple[str, ...]] = []
    for key in keys:
        if limit is not None and len(kept) >= limit:
            break
        n, at = len(key), found_at[key]
        if at and n < longest and all(any(reach.get(j, -1) >= i + n for j in range(i - (longest - n), i + 1))
                                      for i in at):
            continue
        kept.append(key)
        for i in at:
            reach[i] = max(reach.get(i, -1), i + n)
        longest = max(longest, n)
    return kept


def filtered(model, word_idf, tokens, stems, found, top_k: int | None) -> list[str]:
    """One document's ranked phrases with fragments left out (the texts the protocol reads);
    ``word_idf``: the model's, made once for all documents (``ScoredDocuments.word_idf``)."""
    config = model.config

    def ranked(k: int | None):
        return rank_candidates(tokens, stems, found, k, 0.0, config.aggregation, config.select_threshold,
                               model.phrase_scorer, word_idf, config.selection, config.tfidf_weight)

    pool = None if top_k is None else (FUSION_POOL if config.tfidf_weight > 0 else POOL * top_k)
    phrases = ranked(pool)
    if top_k is not None and config.tfidf_weight == 0 and len(phrases) == pool:
        if len(without_fragments([_key(p, tokens, stems) for p in phrases], stems, top_k)) < top_k:
            phrases = ranked(10**9)  # the pool ran out of phrases that are not fragments: all of them
    by_key = {_key(p, tokens, stems): p.text for p in phrases}
    return [by_key[k] for k in without_fragments(list(by_key), stems, top_k)]


def _key(phrase, tokens, stems) -> tuple[str, ...]:
    """A ranked phrase's stems, read at its first occurrence."""
    first, last = bisect_left(tokens.starts, phrase.start), bisect_left(tokens.ends, phrase.end)
    return tuple(stems[first : last + 1])


def both_ways(model, path: Path) -> dict[str, dict[str, float]]:
    """The protocol's scores of ``model`` on the split at ``path``, without and with the filter."""
    docs = read_documents(path)
    scored = ScoredDocuments.of(model, docs)
    config, scorer = model.config, ProtocolScorer(model.tokenizer)
    plain = scored.scores(scorer, config.aggregation, config.select_threshold, phrase_scorer=model.phrase_scorer,
                          selection=config.selection, tfidf_weight=config.tfidf_weight)
    stems = [stems_of(t) for t in scored.tokens]
    found = [candidates(t, stems[i], scored.spans[i], scored.decoded[i]) for i, t in enumerate(scored.tokens)]
    top = [filtered(model, scored.word_idf, t, stems[i], found[i], TOP_K) for i, t in enumerate(scored.tokens)]
    own = [filtered(model, scored.word_idf, t, stems[i], found[i], None) for i, t in enumerate(scored.tokens)]
    with_filter = macro_scores(docs, scored.tokens, lambda i, k: own[i] if k is None else top[i], scorer, CUTOFFS)
    return {name: {k: round(scores[k], 4) for k in KEYS} for name, scores in (("without", plain),
                                                                               ("with", with_filter))}


def measurements(part: str, data: Path) -> dict[str, tuple[str, Path]]:
    """Name → (model, corpus folder) of one part of the run."""
    if part == "visible":
        return {f"visible/{c}": ("default", data / c) for c in VISIBLE}
    if part == "loco":
        return {f"loco/{c}": (f"runs/loco/baseline-24/without-{c}", data / c) for c in LEFT_OUT}
    return {f"lang/{corpus}/{recipe}": (f"runs/lang/{folder}-{lang}", data / corpus)
            for corpus, lang in LANGUAGES for recipe, folder in (("labelled", "control-base"), ("no-label", "recipe"))}


def verdict(results: dict) -> list[str]:
    """Run 9's rule (docs/unseen-domains.md) on the dev scores held in ``results``. Rules (2)
    and (3) can fail before every measurement is in; adoption needs all of them."""
    def change(name: str, key: str) -> float:
        dev = results[name]["dev"]
        return 100 * (dev["with"][key] - dev["without"][key])

    new_text = [n for n in results if not n.startswith("visible/")]
    visible = [n for n in results if n.startswith("visible/")]
    lines, failed = [], False
    if len(new_text) == 7:
        mean_new = sum(change(n, "f1@10") for n in new_text) / len(new_text)
        failed |= mean_new < 0.5
        lines.append(f"(1) mean dev F1@10 change on new text: {mean_new:+.2f} points (at least +0.5)")
    else:
        lines.append(f"(1) not judged: {len(new_text)} of 7 new-text measurements")
    if len(visible) == 6:
        mean_visible = sum(change(n, "f1@10") for n in visible) / len(visible)
        failed |= mean_visible < -0.2
        lines.append(f"(2) mean dev F1@10 change, bundled default, six visible splits: {mean_visible:+.2f} "
                     "(at least -0.2)")
    else:
        lines.append(f"(2) not judged: {len(visible)} of 6 visible measurements")
    if results:
        worst = min((change(n, k), n, k) for n in results for k in ("f1@10", "f1@M"))
        failed |= worst[0] < -1.0
        lines.append(f"(3) largest loss of dev F1@10 or F1@M: {worst[0]:+.2f} ({worst[1]}, {worst[2]}; "
                     "at most 1 point)")
    complete = len(new_text) == 7 and len(visible) == 6
    lines.append("NOT ADOPTED" if failed else ("ADOPTED" if complete else "undecided"))
    return lines


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
