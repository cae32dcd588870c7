#!/usr/bin/env bash
# Run 3 of docs/other-languages.md: the adapted models of runs 1 and 2 (made by
# experiments/other_languages_multi.sh) with TF-IDF evidence in their ranking at each weight,
# scored beside YAKE and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_fusion.sh      # a few minutes on one CPU core
set -euo pipefail
cd "$(dirname "$0")/.."
models=()
for w in 0 0.1 0.2 0.3 0.5; do
  models+=(--model "adapted-w$w=runs/lang/adapt-{lang}#tfidf_weight=$w")
  models+=(--model "multi-adapted-w$w=runs/lang/multi-adapt-{lang}#tfidf_weight=$w")
done
python experiments/other_languages.py "${models[@]}" --json docs/other-languages-fusion.json
