#!/usr/bin/env bash
# Run 17 of docs/other-languages.md: the bundled models read in Portuguese and French without
# adaptation, as shipped (w = 0), with TF-IDF evidence (w = 0.5) and the model's English IDF,
# and with the same evidence reading each word's rarity in the text's language (wordfreq's
# 10,000 most frequent words: pip install wordfreq), in one run of experiments/other_languages.py.
#   bash experiments/other_languages_rarity_evidence.sh      # about ten minutes on one CPU core
set -euo pipefail
cd "$(dirname "$0")/.."
models=()
for name in default fast multi; do
  models+=(--model "$name-w0=$name#tfidf_weight=0" --model "$name-w0.5=$name#tfidf_weight=0.5"
           --model "$name-w0.5-rarity=$name#tfidf_weight=0.5#evidence=rarity")
done
python experiments/other_languages.py "${models[@]}" --json docs/other-languages-rarity-evidence.json
