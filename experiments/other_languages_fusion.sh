#!/usr/bin/env bash
# Run 3 of docs/other-languages.md: the adapted models of runs 1 and 2 (made by
# experiments/other_languages_multi.sh) with TF-IDF evidence in their ranking at each weight,
# scored beside YAKE and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_fusion.sh      # a few minutes on one CPU core
#   RECIPE_WEIGHT=0.5 bash experiments/other_languages_fusion.sh  # and the chosen recipe, made and scored by the CLI
set -euo pipefail
cd "$(dirname "$0")/.."
models=()
for w in 0 0.1 0.2 0.3 0.5; do
  models+=(--model "adapted-w$w=runs/lang/adapt-{lang}#tfidf_weight=$w")
  models+=(--model "multi-adapted-w$w=runs/lang/multi-adapt-{lang}#tfidf_weight=$w")
done
python experiments/other_languages.py "${models[@]}" --json docs/other-languages-fusion.json
# The chosen recipe as a user runs it: one adapt command with --tfidf-weight, then kwextract
# evaluate on the test split (its F1@10 should be the table's for that candidate).
if [ -n "${RECIPE_WEIGHT:-}" ]; then
  export OMP_NUM_THREADS=1
  for corpus in pt-news fr-wikinews; do
    lang=${corpus%%-*}
    (
      [ -f "runs/lang/recipe-$lang/config.json" ] || kwextract adapt --lang "$lang" \
        --unlabeled "../shared/datasets/$corpus/train.jsonl" --tfidf-weight "$RECIPE_WEIGHT" -o "runs/lang/recipe-$lang" -q
      kwextract evaluate --model "runs/lang/recipe-$lang" --data "../shared/datasets/$corpus/test.jsonl" --json \
        > "runs/lang/recipe-$lang.test.json"
    ) &
  done
  wait
  for lang in pt fr; do echo "recipe ($lang test): $(cat runs/lang/recipe-$lang.test.json)"; done
fi
