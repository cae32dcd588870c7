#!/usr/bin/env bash
# Run 12 of docs/other-languages.md: the labelled recipe's four taggers (seeds 13 and 14, pt and
# fr) calibrated again, and their base model's phrase scorer weighed as a third choice; then
# scored with YAKE and TF-IDF in one run of experiments/other_languages.py. Makes the taggers
# first if missing (experiments/other_languages_rate.sh, about 40 minutes a seed).
#   bash experiments/other_languages_inherited.sh      # about 10 minutes on 2 CPU cores with the taggers made
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1
bash experiments/other_languages_rate_taggers.sh  # the two seeds' taggers (runs 8 and 10), if missing
python experiments/other_languages_inherited.py
python experiments/other_languages.py \
  --model "control-seed13=runs/lang/inherit-control-seed13-{lang}" --model "inherited-seed13=runs/lang/inherit-seed13-{lang}" \
  --model "control-seed14=runs/lang/inherit-control-seed14-{lang}" --model "inherited-seed14=runs/lang/inherit-seed14-{lang}" \
  --json docs/other-languages-inherited.json
