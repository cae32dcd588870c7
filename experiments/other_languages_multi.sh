#!/usr/bin/env bash
# Run 2 of docs/other-languages.md: the word-free tagger (data/train_multi.sh -> runs/multi) read
# in Portuguese and French, adapted to each language's raw texts, and continued on its labels;
# then every model of runs 1 and 2 scored in one run of experiments/other_languages.py.
#   bash experiments/other_languages_multi.sh      # about 30 minutes on 2 CPU cores
set -euo pipefail
# --learning-rate 0.0002 (controls): the rate these runs were made with; since run 10 of
# docs/other-languages.md, `train --base` continues a model of another language at 2e-3 by default
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
MULTI=${MULTI:-runs/multi}
export OMP_NUM_THREADS=1  # the two languages run side by side, one core each
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    [ -f "runs/lang/multi-adapt-$lang/config.json" ] || kwextract adapt --model "$MULTI" --lang "$lang" \
      --unlabeled "$DATA/$corpus/train.jsonl" -o "runs/lang/multi-adapt-$lang" -q
    [ -f "runs/lang/multi-base-$lang/config.json" ] || kwextract train --lang "$lang" --learning-rate 0.0002 --base "$MULTI" \
      --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "runs/lang/multi-base-$lang" -q
  ) > "runs/logs/multi-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --model default=default --model fast=fast \
  --model adapted=runs/lang/adapt-{lang} --model labelled=runs/lang/base-{lang} \
  --model multi="$MULTI" --model multi-adapted=runs/lang/multi-adapt-{lang} \
  --model multi-labelled=runs/lang/multi-base-{lang} --json docs/other-languages.json
