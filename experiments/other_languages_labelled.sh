#!/usr/bin/env bash
# Run 4 of docs/other-languages.md: labelled training in the language, with TF-IDF evidence and
# from run 3's no-label model (runs/lang/recipe-L, made by
# RECIPE_WEIGHT=0.5 bash experiments/other_languages_fusion.sh); then every labelled candidate
# scored with YAKE and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_labelled.sh      # about 20 minutes on 2 CPU cores
set -euo pipefail
# --learning-rate 0.0002 (controls): the rate these runs were made with; since run 10 of
# docs/other-languages.md, `train --base` continues a model of another language at 2e-3 by default
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
export OMP_NUM_THREADS=1  # the two languages train side by side, one core each
mkdir -p runs/logs
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  [ -f "runs/lang/recipe-$lang/config.json" ] || { echo "runs/lang/recipe-$lang missing: run run 3 first" >&2; exit 1; }
  [ -f "runs/lang/recipe-base-$lang/config.json" ] || kwextract train --lang "$lang" --learning-rate 0.0002 --base "runs/lang/recipe-$lang" \
    --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "runs/lang/recipe-base-$lang" -q \
    > "runs/logs/recipe-base-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py \
  --model "labelled-w0=runs/lang/base-{lang}#tfidf_weight=0" --model "labelled-w0.5=runs/lang/base-{lang}#tfidf_weight=0.5" \
  --model "multi-labelled-w0=runs/lang/multi-base-{lang}#tfidf_weight=0" \
  --model "multi-labelled-w0.5=runs/lang/multi-base-{lang}#tfidf_weight=0.5" \
  --model "recipe-labelled-w0.5=runs/lang/recipe-base-{lang}#tfidf_weight=0.5" \
  --model "recipe-labelled-w0=runs/lang/recipe-base-{lang}#tfidf_weight=0" --json docs/other-languages-labelled.json
