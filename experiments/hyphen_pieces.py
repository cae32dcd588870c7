"""How often a keyphrase is a piece cut out of a hyphenated word (``surface.cuts_hyphenated_word``:
"CRI" of "CRI-O") on the visible dev texts: gold keyphrases that occur only as such pieces
(the recall that dropping pieces could cost), and the bundled default's top 10s that hold one
(docs/default-model.md, "No keyphrase cut out of a hyphenated word").

    python experiments/hyphen_pieces.py [--data ../shared/datasets] [--model default]

A phrase occurs wherever its words appear in the text in order, separated by any whitespace
(case ignored), between non-word characters; it counts as "only as pieces" if it occurs and
every occurrence is cut out of a hyphenated word (what the rule drops). A top-10 phrase
"first occurs as a piece" if its returned occurrence (the first) is cut so.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import kwextract
from kwextract.data import read_documents
from kwextract.surface import cuts_hyphenated_word

CORPORA = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")


def found_in(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase``'s words stand in ``text`` in order, apart by any whitespace, case ignored."""
    words = phrase.split()
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def only_pieces(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the phrase occurs (``spans``) and every occurrence is cut out of a hyphenated word."""
    return bool(spans) and all(cuts_hyphenated_word(text, s, e) for s, e in spans)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    model = kwextract.load(args.model)
    for corpus in CORPORA:
        docs = list(read_documents(args.data / corpus / "dev.jsonl"))
        spans = [[found_in(doc.text, phrase) for phrase in doc.keyphrases] for doc in docs]
        present = sum(bool(s) for per_doc in spans for s in per_doc)
        pieces = sum(only_pieces(doc.text, s) for doc, per_doc in zip(docs, spans) for s in per_doc)
        results = model.extract_batch([doc.text for doc in docs], top_k=10)
        first = [(doc, k) for doc, keys in zip(docs, results) for k in keys if cuts_hyphenated_word(doc.text, k.start, k.end)]
        only = [k for doc, k in first if only_pieces(doc.text, found_in(doc.text, k.text))]
        print(f"{corpus:12s} present gold phrases {present:5d}, only as pieces {pieces:3d}; {args.model} top 10s of "
              f"{len(docs)} texts: {len(first)} phrases first occur as a piece, {len(only)} only as pieces "
              f"({', '.join(repr(k.text) for k in only[:3])})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
