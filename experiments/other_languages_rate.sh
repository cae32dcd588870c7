#!/usr/bin/env bash
# Run 8 of docs/other-languages.md: run 2's labelled recipe (train --base multi) with learning
# rates 0.001 and 0.002 beside the control (0.0002, runs/lang/control-base-L); scored with YAKE
# and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_rate.sh [SEED]   # SEED 13 (run 8, default) or 14 (run 10);
#   about 40 minutes on 2 CPU cores
set -euo pipefail
# --learning-rate 0.0002 (controls): the rate these runs were made with; since run 10 of
# docs/other-languages.md, `train --base` continues a model of another language at 2e-3 by default
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
SEED=${1:-13}
tag=""; control=control-base; [ "$SEED" = 13 ] || { tag="-seed$SEED"; control=seed$SEED-base; }
export OMP_NUM_THREADS=1  # the two languages train side by side, one core each
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    [ -f "runs/lang/$control-$lang/config.json" ] || kwextract train --lang "$lang" --learning-rate 0.0002 --base multi --seed "$SEED" \
      --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "runs/lang/$control-$lang"
    for rate in 0.001 0.002; do
      out="runs/lang/rate$rate$tag-base-$lang"
      [ -f "$out/config.json" ] || kwextract train --lang "$lang" --base multi --learning-rate "$rate" --seed "$SEED" \
        --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "$out"
    done
  ) > "runs/logs/rate$tag-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --model "control=runs/lang/$control-{lang}" \
  --model "rate0.001=runs/lang/rate0.001$tag-base-{lang}" --model "rate0.002=runs/lang/rate0.002$tag-base-{lang}" \
  --json "docs/other-languages-rate$tag.json"
