#!/usr/bin/env bash
# Run 6 of docs/other-languages.md: labelled training in the language from the bundled `multi`,
# with run 3's no-label model as a teacher (--teacher) and without (run 2's recipe, the
# control); then both scored with YAKE and TF-IDF in one run of experiments/other_languages.py.
#   bash experiments/other_languages_teacher.sh      # about 40 minutes on 2 CPU cores
set -euo pipefail
# --learning-rate 0.0002 (controls): the rate these runs were made with; since run 10 of
# docs/other-languages.md, `train --base` continues a model of another language at 2e-3 by default
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
export OMP_NUM_THREADS=1  # the two languages run side by side, one core each
mkdir -p runs/logs runs/lang
for corpus in pt-news fr-wikinews; do
  lang=${corpus%%-*}
  (
    [ -f "runs/lang/recipe-$lang/config.json" ] || kwextract adapt --lang "$lang" \
      --unlabeled "$DATA/$corpus/train.jsonl" --tfidf-weight 0.5 -o "runs/lang/recipe-$lang" -q
    [ -f "runs/lang/teacher-base-$lang/config.json" ] || kwextract train --lang "$lang" --learning-rate 0.0002 --base multi \
      --teacher "runs/lang/recipe-$lang" --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" \
      -o "runs/lang/teacher-base-$lang" -q
    [ -f "runs/lang/control-base-$lang/config.json" ] || kwextract train --lang "$lang" --learning-rate 0.0002 --base multi \
      --train "$DATA/$corpus/train.jsonl" --dev "$DATA/$corpus/dev.jsonl" -o "runs/lang/control-base-$lang" -q
  ) > "runs/logs/teacher-$lang.log" 2>&1 &
done
wait
python experiments/other_languages.py --model "control=runs/lang/control-base-{lang}" \
  --model "student=runs/lang/teacher-base-{lang}" --model "teacher=runs/lang/recipe-{lang}" \
  --json docs/other-languages-teacher.json
