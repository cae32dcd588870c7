"""How often a keyphrase is a piece cut out of a hyphenated word (``surface.cuts_hyphenated_word``:
"CRI" of "CRI-O") on the visible dev texts: gold keyphrases that occur only as such pieces
(the recall that dropping pieces could cost), and the bundled default's top 10s that hold one
(docs/default-model.md, "No keyphrase cut out of a hyphenated word").

    python experiments/hyphen_pieces.py [--data ../shared/datasets] [--model default]

A gold phrase occurs wherever its words appear in the text in order, separated by any
whitespace (case ignored), between non-word characters; it counts as a piece if it occurs and
every occurrence is cut out of a hyphenated word.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import kwextract
from kwextract.data import read_documents
from kwextract.surface import cuts_hyphenated_word

CORPORA = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    model = kwextract.load(args.model)
    for corpus in CORPORA:
        docs = list(read_documents(args.data / corpus / "dev.jsonl"))
        present = pieces = 0
        for doc in docs:
            for phrase in doc.keyphrases:
                words = phrase.split()
                if not words:
                    continue
                pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
                spans = [(m.start(), m.end()) for m in pattern.finditer(doc.text)]
                if spans:
                    present += 1
                    pieces += all(cuts_hyphenated_word(doc.text, s, e) for s, e in spans)
        results = model.extract_batch([doc.text for doc in docs], top_k=10)
        found = [(doc, k) for doc, keys in zip(docs, results) for k in keys if cuts_hyphenated_word(doc.text, k.start, k.end)]
        examples = ", ".join(repr(k.text) for _, k in found[:3])
        print(f"{corpus:12s} present gold phrases {present:5d}, only as pieces {pieces:3d}; "
              f"{args.model} top 10s of {len(docs)} texts: {len(found)} pieces in "
              f"{len({id(doc) for doc, _ in found})} texts ({examples})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
