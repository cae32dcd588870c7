"""Write the bundled model's card texts (what it is, how to load it, where it falls short) into
its meta.json and its first member's; data/train_default.sh runs it after building the model.

    python data/describe_default.py [kwextract/models/default]

Weights, vocabularies, calibration and scores are not touched. The limits quoted are measured
by experiments/leave_one_corpus_out.py (docs/unseen-domains.md, docs/loco.json).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kwextract.serialization import update_meta

LIMITS = ("English only. Trained on six corpora: scientific abstracts (inspec, semeval2017, kdd), full "
          "scientific papers (semeval2010, nguyen2007) and news (kpcrowd). On a domain none of them covers, "
          "expect lower scores: the same recipe trained without news scored F1@10 0.113 on news, below "
          "TF-IDF's 0.156, and trained without nguyen2007's papers scored 0.252 on them, above TF-IDF's 0.210 "
          "(docs/unseen-domains.md). To fit it to your texts: kwextract train --base default on labelled "
          "documents, or kwextract adapt on unlabelled ones.")


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
        "limitations": LIMITS,
    })


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("kwextract/models/default"))
