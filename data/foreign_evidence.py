"""Give a model TF-IDF evidence for texts in other languages than its own: a weight
(``ModelConfig.foreign_tfidf_weight``) and the word lists whose ranks serve as that evidence's
IDF (rarity.py), from the ``wordfreq`` package (pip install wordfreq; the model keeps the lists,
so extraction does not need it). data/train_multi.sh runs it on the bundled ``multi``, for
which run 17 of docs/other-languages.md chose w = 0.5 and lists of 10,000 words.

    python data/foreign_evidence.py [kwextract/models/multi] [--weight 0.5] [--words 10000]

The model is loaded, given the setting and the lists, and saved in place (``save``);
its weights, vocabularies and calibration are unchanged, and so are its results on texts of
its own language.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from kwextract.extractor import KeyphraseExtractor
from kwextract.rarity import build_general_rarity
from kwextract.serialization import load, save, update_meta

RUN = "docs/other-languages.md, run 17"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, nargs="?", default=Path("kwextract/models/multi"))
    parser.add_argument("--weight", type=float, default=0.5)
    parser.add_argument("--words", type=int, default=10_000,
                        help="words kept per language (a model with --general-rarity keeps its own lists)")
    args = parser.parse_args()
    model = load(args.model)
    if not isinstance(model, KeyphraseExtractor):
        parser.error(f"{args.model}: an ensemble; give it to each member instead")
    # a model that reads word rarity as an input (--general-rarity) has lists already: they serve both
    lists = model.rarity if model.config.general_rarity else build_general_rarity(args.words)
    words = max(len(lists.words(lang)) for lang in lists.lists)
    model.config = replace(model.config, foreign_tfidf_weight=args.weight)
    model.rarity = lists
    save(model, args.model)
    update_meta(args.model, {"foreign_evidence": {"weight": args.weight, "words_per_language": words,
                                                  "languages": sorted(lists.lists), "source": lists.source,
                                                  "chosen_in": RUN}})
    print(f"{args.model}: foreign_tfidf_weight {args.weight}, {words:,} words of {len(lists.lists)} languages "
          f"({lists.source})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
