#!/usr/bin/env bash
# The labelled recipe's taggers at 2e-3, seeds 13 and 14 (runs 8 and 10 of docs/other-languages.md:
# runs/lang/rate0.002-base-L and runs/lang/rate0.002-seed14-base-L), made by
# experiments/other_languages_rate.sh where missing. Runs 11 to 13 start from them.
#   bash experiments/other_languages_rate_taggers.sh      # nothing to do when they are made; else ~40 minutes a seed
set -euo pipefail
cd "$(dirname "$0")/.."
for seed in 13 14; do
  tag=""; [ "$seed" = 13 ] || tag="-seed$seed"
  for lang in pt fr; do
    if [ ! -f "runs/lang/rate0.002$tag-base-$lang/config.json" ]; then
      bash experiments/other_languages_rate.sh "$seed"  # both languages of the seed
      break
    fi
  done
done
