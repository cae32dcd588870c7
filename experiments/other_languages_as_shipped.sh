#!/usr/bin/env bash
# Run 5 of docs/other-languages.md: the bundled models read in Portuguese and French without
# adaptation, with and without TF-IDF evidence, in one run of experiments/other_languages.py.
#   bash experiments/other_languages_as_shipped.sh      # a few minutes on one CPU core
set -euo pipefail
cd "$(dirname "$0")/.."
models=()
for name in default fast multi; do
  for w in 0 0.5; do models+=(--model "$name-w$w=$name#tfidf_weight=$w"); done
done
python experiments/other_languages.py "${models[@]}" --json docs/other-languages-as-shipped.json
