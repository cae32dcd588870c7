"""How many gold keyphrases of the visible dev texts occur only across a line break after a
short line (``surface.breaks_after_short_line``): the recall that parting phrases there could
cost (docs/default-model.md, "No phrase across a line break after a short line").

    python experiments/short_lines.py [--data ../shared/datasets]

A gold phrase occurs wherever its words appear in the text in order, separated by any
whitespace (case ignored); it is counted as lost if it occurs, at least one occurrence spans
a line break, and every occurrence spans a short line's break.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from kwextract.data import read_documents
from kwextract.surface import breaks_after_short_line, wrap_width

CORPORA = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    args = parser.parse_args()
    for corpus in CORPORA:
        present = across = lost = 0
        for doc in read_documents(args.data / corpus / "dev.jsonl"):
            width = None
            for phrase in doc.keyphrases:
                words = phrase.split()
                if not words:
                    continue
                pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
                spans = [(m.start(), m.end()) for m in pattern.finditer(doc.text)]
                if not spans:
                    continue
                present += 1
                if not any("\n" in doc.text[s:e] for s, e in spans):
                    continue
                across += 1
                width = wrap_width(doc.text) if width is None else width
                if all(breaks_after_short_line(doc.text, s, e, width) for s, e in spans):
                    lost += 1
        print(f"{corpus:12s} present gold phrases {present:5d}, some occurrence across a line break {across:4d}, "
              f"only across a short line's break {lost:3d}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
