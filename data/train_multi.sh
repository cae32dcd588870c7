#!/usr/bin/env bash
# Builds the bundled "multi" model (kwextract.load("multi")): one tagger that reads no word
# identities (--word-dim 0: no word vectors, no corpus IDF), only characters, casing, position,
# recurrence and the language's stop words, so that what it learned from the six English corpora
# carries to other languages (docs/other-languages.md, run 2). Trained on the train/dev splits of
# ../shared/datasets (data/train_member.sh), 5 epochs (a shorter run than the default's members).
# Installed, it gets TF-IDF evidence for texts in other languages (data/foreign_evidence.py:
# pip install wordfreq; docs/other-languages.md, run 17).
#   bash data/train_multi.sh                 # about 70 minutes on one CPU thread
#   RESUME=1 bash data/train_multi.sh        # continue an interrupted run from its checkpoint
#   WORK=runs/multi INSTALL=0 bash ...       # train only; do not copy it into the package
#   RARITY=1 ...                             # with each word's rarity in its language (docs/other-languages.md, run 16)
# (An existing $WORK is trained again unless RESUME=1; the package copy is what ships.)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-runs/multi}
INSTALL=${INSTALL:-1}
OUT="$WORK" RARITY=${RARITY:-0} WORD_DIM=0 EPOCHS=${EPOCHS:-5} PATIENCE=2 NAME=multi SEED=13 SCORE_TEST=0 bash data/train_member.sh
if [ "$INSTALL" = 1 ]; then
  rm -rf kwextract/models/multi
  mkdir -p kwextract/models/multi
  cp "$WORK"/{config.json,meta.json,weights.pt,words.json,chars.json,MODEL_CARD.md} kwextract/models/multi/
  for optional in phrase_scorer.pt rarity.json.gz; do
    [ ! -f "$WORK/$optional" ] || cp "$WORK/$optional" kwextract/models/multi/
  done
  python data/foreign_evidence.py kwextract/models/multi  # TF-IDF evidence for other languages (run 17; needs wordfreq)
  python data/describe_default.py --multi kwextract/models/multi  # the card's texts
fi
