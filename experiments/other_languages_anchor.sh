#!/usr/bin/env bash
# Run 13 of docs/other-languages.md: the labelled recipe (train --base multi, 2e-3) with an L2
# pull towards multi's weights (--anchor-weight 0.0001, adapt's default), seeds 13 and 14, beside
# the same seeds' taggers without it; all scored with YAKE and TF-IDF in one run of
# experiments/other_languages.py. Makes the controls first if missing.
#   bash experiments/other_languages_anchor.sh      # about 20 minutes on 2 CPU cores with the controls made
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
export OMP_NUM_THREADS=1  # the two languages train side by side, one core each
bash experiments/other_languages_rate_taggers.sh  # the two seeds' taggers (runs 8 and 10), if missing
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    for seed in 13 14; do
      out="runs/lang/anchor-seed$seed-base-$lang"
      [ -f "$out/config.json" ] || kwextract train --lang "$lang" --base multi --anchor-weight 0.0001 --seed "$seed" \
        --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "$out"
    done
  ) > "runs/logs/anchor-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py \
  --model "control-seed13=runs/lang/rate0.002-base-{lang}" --model "anchor-seed13=runs/lang/anchor-seed13-base-{lang}" \
  --model "control-seed14=runs/lang/rate0.002-seed14-base-{lang}" --model "anchor-seed14=runs/lang/anchor-seed14-base-{lang}" \
  --json docs/other-languages-anchor.json
