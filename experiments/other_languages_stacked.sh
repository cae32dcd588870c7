#!/usr/bin/env bash
# Run 14 of docs/other-languages.md: the labelled tagger (train --lang L --base multi, 2e-3) with
# trees fitted on its training texts out of fold, beside the same tagger as calibrated today;
# scored with YAKE and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_stacked.sh [SEED]   # 13 (default) or 14; about 25 minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
SEED=${1:-13}
tag=""; [ "$SEED" = 13 ] || tag="-seed$SEED"
export OMP_NUM_THREADS=1  # the two languages run side by side, one core each
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    tagger="runs/lang/rate0.002$tag-base-$lang"
    [ -f "$tagger/config.json" ] || kwextract train --lang "$lang" --base multi --seed "$SEED" \
      --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "$tagger"
    python experiments/other_languages_stacked.py --model "$tagger" --lang "$lang" --seed "$SEED" --folds 4 \
      --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" \
      --work "runs/lang/stack-s$SEED-$lang" -o "runs/lang/stacked$tag-$lang"
  ) > "runs/logs/stacked$tag-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --data "$DATA" --model "control=runs/lang/rate0.002$tag-base-{lang}" \
  --model "stacked=runs/lang/stacked$tag-{lang}" --json "docs/other-languages-stacked$tag.json"
