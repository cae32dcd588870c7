"""Write the bundled model's card texts (what it is, how to load it, where it falls short) into
its meta.json and its first member's; data/train_default.sh runs it after building the model,
and data/train_multi.sh with --multi for the model for other languages.

    python data/describe_default.py [kwextract/models/default]
    python data/describe_default.py --multi [kwextract/models/multi]

Weights, vocabularies, calibration and scores are not touched. The limits quoted are measured
by experiments/leave_one_corpus_out.py (docs/unseen-domains.md, docs/loco.json).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kwextract.serialization import update_meta

SCOPE = ("English only. Trained on six corpora: scientific abstracts (inspec, semeval2017, kdd), full "
         "scientific papers (semeval2010, nguyen2007) and news (kpcrowd). On a domain none of them covers, "
         "expect lower scores: ")
ADVICE = (" (docs/unseen-domains.md). To fit it to your texts: kwextract train --base default on labelled "
          "documents, or kwextract adapt on unlabelled ones.")
# Measured on corpora left out of training, means of two seeds of each tagger's recipe
# (experiments/leave_one_corpus_out.py, loco_ensemble.py, loco_one_or_two.py: run 12).
LIMITS = (SCOPE + "the same two-tagger recipe trained without news scored F1@10 0.120 on news, below TF-IDF's "
          "0.156, and trained without nguyen2007's papers scored 0.273 on them, above TF-IDF's 0.210" + ADVICE)
FAST_LIMITS = (SCOPE + "the same recipe trained without news scored F1@10 0.110 on news, below TF-IDF's 0.156, and "
               "trained without nguyen2007's papers scored 0.279 on them, above TF-IDF's 0.210" + ADVICE)


def main(folder: Path) -> None:
    update_meta(folder, {
        "description": "The bundled English model (`kwextract.load()`): two BiLSTM-CRF taggers whose keyphrase "
                       "probabilities are averaged. Built by `bash data/train_default.sh`.",
        "load_as": "default",
        "limitations": LIMITS,
        "members": [
            {**member, "source": source} for member, source in zip(
                json.loads((folder / "meta.json").read_text())["members"],
                ("SEED=13 bash data/train_member.sh", "SEED=15 WORD_VECTORS=5 bash data/train_member.sh"))
        ],
    })
    update_meta(folder / "member-1", {
        "description": "The bundled model's first tagger alone (`kwextract.load(\"fast\")`): about twice as fast "
                       "as the default, a little less accurate. Built by `SEED=13 bash data/train_member.sh`.",
        "load_as": "fast",
        "limitations": FAST_LIMITS,
    })


MULTI_LIMITS = ("Reads no word identities, only characters, casing, digits, punctuation, the language's stop words, "
                "recurrence and position; trained on English only (six corpora of scientific abstracts, papers and "
                "news). Read as it ships, it is below the English default on English text. Read in another language, "
                "it re-ranks its best phrases with TF-IDF evidence that knows which words are common in that language: "
                "F1@10 0.346 on French news (YAKE 0.313, TF-IDF 0.391) and 0.267 on Portuguese news (YAKE 0.243, "
                "TF-IDF 0.272); adapted to a few dozen raw texts of the language (kwextract adapt --model multi "
                "--lang fr --unlabeled texts/) it scored 0.356 and 0.303; continued on 50-60 labelled documents "
                "(kwextract train --base multi --lang fr ...), 0.366 and 0.348 (docs/other-languages.md).")


def describe_multi(folder: Path) -> None:
    update_meta(folder, {
        "description": "The bundled model for other languages (`kwextract.load(\"multi\", lang=\"fr\")`, "
                       "`--model multi --lang fr`): one BiLSTM-CRF tagger that reads no word identities, meant to "
                       "be adapted to raw texts of your language. Built by `bash data/train_multi.sh`.",
        "load_as": "multi",
        "limitations": MULTI_LIMITS,
    })


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--multi"]
    if "--multi" in sys.argv[1:]:
        describe_multi(Path(args[0]) if args else Path("kwextract/models/multi"))
    else:
        main(Path(args[0]) if args else Path("kwextract/models/default"))
