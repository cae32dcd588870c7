#!/usr/bin/env bash
# Run 16 of docs/other-languages.md: multi's recipe with --general-rarity (each word's rarity in
# its text's language, from wordfreq's lists) as the base of the labelled recipe (train --lang L
# --base <it>, 2e-3), seeds 13 and 14, beside run 15's controls on the bundled multi; scored with
# YAKE and TF-IDF in one run of experiments/other_languages.py.
#   pip install wordfreq && bash experiments/other_languages_rarity.sh   # about 80 minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
BASE=runs/multi-rarity
mkdir -p runs/logs runs/lang
# 1. the candidate base: multi's recipe and seed with the new input (two threads: it runs alone)
CHECKPOINT=runs/.multi-rarity.checkpoint.pt  # kwextract train's, beside its output
if [ ! -f "$BASE/config.json" ] || [ -f "$CHECKPOINT" ]; then
  resume=""; [ ! -f "$CHECKPOINT" ] || resume=1
  OMP_NUM_THREADS=2 DATA="$DATA" WORK="$BASE" INSTALL=0 RARITY=1 RESUME=$resume bash data/train_multi.sh \
    > runs/logs/multi-rarity.log 2>&1
fi
# 2. the labelled recipe on it, and the controls on the bundled multi (kept from run 15 if there)
export OMP_NUM_THREADS=1  # the two languages train side by side, one core each
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    for seed in 13 14; do
      tag=""; [ "$seed" = 13 ] || tag="-seed$seed"
      for base in multi "$BASE"; do
        out="runs/lang/rate0.002$tag-base-$lang"
        [ "$base" = multi ] || out="runs/lang/rarity$tag-$lang"
        [ -f "$out/config.json" ] || kwextract train --lang "$lang" --base "$base" --seed "$seed" \
          --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "$out"
      done
    done
  ) > "runs/logs/rarity-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --data "$DATA" \
  --model "control=runs/lang/rate0.002-base-{lang}" --model "rarity=runs/lang/rarity-{lang}" \
  --model "control-seed14=runs/lang/rate0.002-seed14-base-{lang}" --model "rarity-seed14=runs/lang/rarity-seed14-{lang}" \
  --model "multi=multi" --model "multi-rarity=$BASE" --json docs/other-languages-rarity.json
