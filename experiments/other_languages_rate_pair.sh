#!/usr/bin/env bash
# Run 11 of docs/other-languages.md: seeds 13 and 14 of the labelled recipe at the learning rate
# run 10 adopted (2e-3), joined by kwextract ensemble, beside seed 13 alone; scored with YAKE and
# TF-IDF in one run of experiments/other_languages.py. Makes the taggers first if missing.
#   bash experiments/other_languages_rate_pair.sh      # about 10 minutes on 2 CPU cores with the taggers made
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
export OMP_NUM_THREADS=1
bash experiments/other_languages_rate_taggers.sh  # the two seeds' taggers (runs 8 and 10), if missing
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  out="runs/lang/rate0.002-pair-base-$lang"
  [ -f "$out/config.json" ] || kwextract ensemble "runs/lang/rate0.002-base-$lang" "runs/lang/rate0.002-seed14-base-$lang" \
    --dev "$DATA/$corpus/dev.jsonl" --lang "$lang" -o "$out" > "runs/logs/rate-pair-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --model "labelled=runs/lang/rate0.002-base-{lang}" \
  --model "pair=runs/lang/rate0.002-pair-base-{lang}" --json docs/other-languages-rate-pair.json
