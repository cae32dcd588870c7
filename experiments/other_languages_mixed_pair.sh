#!/usr/bin/env bash
# Run 9 of docs/other-languages.md: the labelled tagger joined with the no-label recipe
# (the first tagger of runs/lang/recipe-L, run 3) by kwextract ensemble, beside the labelled tagger alone; scored with
# YAKE and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_mixed_pair.sh [LABELLED]   # LABELLED: a path with {lang},
#   default runs/lang/control-base-{lang} (run 2's recipe); about 10 minutes on 2 CPU cores
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
LABELLED=${1:-runs/lang/control-base-{lang}}
export OMP_NUM_THREADS=1
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  labelled=${LABELLED//\{lang\}/$lang}
  for needed in "$labelled" "runs/lang/recipe-$lang/member-1"; do
    [ -f "$needed/config.json" ] || { echo "missing $needed: make it first (docs/other-languages.md)" >&2; exit 1; }
  done
  out="runs/lang/mixed-pair-$(basename "${LABELLED//\{lang\}/L}")-$lang"
  [ -f "$out/config.json" ] || kwextract ensemble "$labelled" "runs/lang/recipe-$lang/member-1" \
    --dev "$DATA/$corpus/dev.jsonl" --lang "$lang" -o "$out" > "runs/logs/mixed-pair-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --model "labelled=$LABELLED" \
  --model "mixed-pair=runs/lang/mixed-pair-$(basename "${LABELLED//\{lang\}/L}")-{lang}" \
  --json docs/other-languages-mixed-pair.json
