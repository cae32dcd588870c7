#!/usr/bin/env bash
# Run 15 of docs/other-languages.md: the labelled recipe (train --lang L --base multi, 2e-3) with
# --new-characters (the training texts' letters the base does not know join its character
# vocabulary), seeds 13 and 14, beside the same seeds' controls; scored with YAKE and TF-IDF in
# one run of experiments/other_languages.py.
#   bash experiments/other_languages_characters.sh   # about 20 minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
export OMP_NUM_THREADS=1  # the two languages train side by side, one core each
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    for seed in 13 14; do
      tag=""; [ "$seed" = 13 ] || tag="-seed$seed"
      for variant in control characters; do
        out="runs/lang/rate0.002$tag-base-$lang"; extra=()
        [ "$variant" = control ] || { out="runs/lang/characters$tag-$lang"; extra=(--new-characters); }
        [ -f "$out/config.json" ] || kwextract train --lang "$lang" --base multi --seed "$seed" "${extra[@]}" \
          --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "$out"
      done
    done
  ) > "runs/logs/characters-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --data "$DATA" \
  --model "control=runs/lang/rate0.002-base-{lang}" --model "characters=runs/lang/characters-{lang}" \
  --model "control-seed14=runs/lang/rate0.002-seed14-base-{lang}" \
  --model "characters-seed14=runs/lang/characters-seed14-{lang}" --json docs/other-languages-characters.json
