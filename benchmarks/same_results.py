"""Do two versions of kwextract rank the same keyphrases? (the check behind each speed change)

    python benchmarks/same_results.py --save before.json            # with the old code
    python benchmarks/same_results.py --compare before.json         # with the new code

Runs the bundled model and ``load("fast")`` over a test split (Inspec by default) with
``extract_batch(top_k=10)`` on one thread, and writes every document's ranked phrases and
scores. ``--compare`` counts documents whose top 10 differ: in their phrases, or only in
their order, and where the order changed between phrases whose scores were within 1e-4
(a floating-point tie, which a different summation order may flip). It prints the largest
score difference among identical phrases.

kwextract is imported from the checkout this script is in (a ``git worktree`` of the old code
runs the old code), not from wherever the environment installed it; the first line printed
says which.

``--exact`` (with ``--save`` or ``--compare``) asks more of a change that should alter no bit
of ranking: for the first ``--limit`` test texts of each of the eight corpora, with the three
bundled models (``multi`` in the text's language), each document's top 10 and own selection
(text, score, offsets, count) and a digest of all its candidates' phrase features must be equal.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import astuple
from pathlib import Path

TIE = 1e-4
CHECKOUT = Path(__file__).resolve().parents[1]  # whose kwextract to measure


def ranked(model: str | None, texts: list[str]) -> list[list[tuple[str, float]]]:
    import kwextract

    extractor = kwextract.load(model)
    return [[(k.text, k.score) for k in found] for found in extractor.extract_batch(texts, top_k=10)]


EXACT_CORPORA = ("inspec", "semeval2010", "kpcrowd", "nguyen2007", "semeval2017", "kdd", "pt-news", "fr-wikinews")


def everything(data: Path, limit: int) -> dict[str, list]:
    """Per model and corpus, each document's ranked keyphrases (top 10, own selection) and a
    digest of its candidates' phrase features (every column)."""
    import hashlib

    import kwextract
    from kwextract.normalize import stems_of
    from kwextract.phrase_scorer import PHRASE_FEATURES, phrase_features
    from kwextract.ranking import candidates

    runs: dict[str, list] = {}
    for corpus in EXACT_CORPORA:
        with open(data / corpus / "test.jsonl", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle][:limit]
        lang = records[0].get("lang", "en")
        for name in ("default", "fast", "multi"):
            if lang != "en" and name != "multi":
                continue
            extractor = kwextract.load(None if name == "default" else name, lang=lang)
            tokens = extractor.tokenizer.pipe([r["text"] for r in records])
            spans, decoded = extractor.score_spans(tokens)
            idf = extractor.word_idf()
            documents = []
            for t, s, d in zip(tokens, spans, decoded):
                stems = stems_of(t)
                x = phrase_features(candidates(t, stems, s, d), t, idf, stems, len(PHRASE_FEATURES))
                documents.append([[list(astuple(k)) for k in extractor.rank(t, s, d, top_k, 0.0, idf)]
                                  for top_k in (10, None)]
                                 + [hashlib.sha256(x.tobytes()).hexdigest()])
            runs[f"{name} {corpus}"] = documents
    return runs


def compare(old: list[list[list]], new: list[list[list]]) -> dict[str, float]:
    """Counts of differing documents between two runs' ranked lists."""
    phrases = order_ties = order = 0
    largest = 0.0
    for before, after in zip(old, new, strict=True):
        a, b = [p for p, _ in before], [p for p, _ in after]
        scores = {p: s for p, s in before}
        largest = max([largest, *(abs(scores[p] - s) for p, s in after if p in scores)])
        if set(a) != set(b):
            phrases += 1
        elif a != b:
            moved = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            if all(abs(scores[a[i]] - scores[b[i]]) <= TIE for i in moved):
                order_ties += 1
            else:
                order += 1
    return {"documents": len(old), "other phrases": phrases, "other order": order,
            "other order, scores tied": order_ties, "largest score difference": largest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--split", default="inspec/test")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    parser.add_argument("--exact", action="store_true", help="every bit of ranking, eight corpora, three models")
    parser.add_argument("--limit", type=int, default=100, help="texts per corpus with --exact")
    args = parser.parse_args()
    sys.path.insert(0, str(CHECKOUT))  # an editable install elsewhere would otherwise win over this checkout

    import torch

    import kwextract

    print(f"kwextract {kwextract.__version__} from {Path(kwextract.__file__).parent}")
    torch.set_num_threads(1)
    if args.exact:
        runs = everything(Path(args.data), args.limit)
        what = f"every ranking of {sum(map(len, runs.values()))} documents"
    else:
        with open(Path(args.data) / f"{args.split}.jsonl", encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle]
        runs = {name: ranked(None if name == "default" else name, texts) for name in ("default", "fast")}
        what = f"the top 10 of {len(texts)} documents of {args.split}"
    if args.save:
        args.save.write_text(json.dumps(runs), encoding="utf-8")
        print(f"saved {what} to {args.save}")
        return
    old = json.loads(args.compare.read_text(encoding="utf-8"))
    for name, new in runs.items():
        if args.exact:
            same = sum(a == b for a, b in zip(old[name], json.loads(json.dumps(new)), strict=True))
            print(f"{name}: {same} of {len(new)} documents identical")
            continue
        counts = compare(old[name], new)
        print(f"{args.split} {name}: " + ", ".join(
            f"{k} {v:.2e}" if isinstance(v, float) else f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
