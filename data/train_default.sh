#!/usr/bin/env bash
# Builds the bundled default model: two taggers trained on the train/dev splits of every data
# set in ../shared/datasets (data/train_member.sh), combined by `kwextract ensemble` and
# calibrated on the dev splits; then its test scores (with YAKE beside them) go into its card.
#   bash data/train_default.sh            # full run (about two hours on 2 CPU cores)
#   RESUME=1 bash data/train_default.sh   # continue: finished members are kept, an interrupted one resumes
#   OUT=elsewhere SCORE_TEST=0 bash ...   # another output directory / stop before the test splits
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
OUT=${OUT:-kwextract/models/default}
WORK=${WORK:-runs/default-members}  # where the members are trained
SCORE_TEST=${SCORE_TEST:-1}
SETS="inspec semeval2010 semeval2017 kpcrowd kdd nguyen2007"
# Member 1: seed 13, embeddings from random values; member 2: seed 15, skip-gram word vectors
# (docs/default-model.md, tenth session). A member already written is kept.
[ -f "$WORK/member-1/config.json" ] || OUT="$WORK/member-1" SEED=13 WORD_VECTORS=0 SCORE_TEST=0 bash data/train_member.sh
[ -f "$WORK/member-2/config.json" ] || OUT="$WORK/member-2" SEED=15 WORD_VECTORS=5 SCORE_TEST=0 bash data/train_member.sh
dev=(); for s in $SETS; do dev+=(--dev "$DATA/$s/dev.jsonl"); done
kwextract ensemble "$WORK/member-1" "$WORK/member-2" --output "$OUT" --name default "${dev[@]}"
python data/describe_default.py "$OUT"  # the card's texts: what it is, how to load it, its limits
[ "$SCORE_TEST" = 0 ] || python benchmarks/quality.py --model "$OUT" --data "$DATA" --write-card
