#!/usr/bin/env bash
# Run 7 of docs/other-languages.md: run 2's labelled recipe with a second seed, joined with the
# first into a pair (kwextract ensemble), beside the first alone; scored with YAKE and TF-IDF in
# one run of experiments/other_languages.py.
#   bash experiments/other_languages_pair.sh      # about 20 minutes on 2 CPU cores
set -euo pipefail
# --learning-rate 0.0002 (controls): the rate these runs were made with; since run 10 of
# docs/other-languages.md, `train --base` continues a model of another language at 2e-3 by default
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
export OMP_NUM_THREADS=1  # the two languages train side by side, one core each
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    for seed in 13 14; do
      out="runs/lang/control-base-$lang"; [ "$seed" = 13 ] || out="runs/lang/seed$seed-base-$lang"
      [ -f "$out/config.json" ] || kwextract train --lang "$lang" --learning-rate 0.0002 --base multi --seed "$seed" \
        --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "$out"
    done
    [ -f "runs/lang/pair-base-$lang/config.json" ] || kwextract ensemble "runs/lang/control-base-$lang" \
      "runs/lang/seed14-base-$lang" --dev "$DATA/$corpus/dev.jsonl" --lang "$lang" -o "runs/lang/pair-base-$lang"
  ) > "runs/logs/pair-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --model "control=runs/lang/control-base-{lang}" \
  --model "pair=runs/lang/pair-base-{lang}" --json docs/other-languages-pair.json
