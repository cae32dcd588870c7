#!/usr/bin/env bash
# Member 1 of the bundled pair continued on the six train splits, early stopping and
# calibration on the six dev splits: with the pair as its teacher (TEACHER=default: a student
# distilled from it) or without (the control). docs/default-model.md, twenty-second session.
#   TEACHER=default OUT=runs/distill/student bash experiments/distill_member.sh
#   OUT=runs/distill/control bash experiments/distill_member.sh
#   RESUME=1 ...            # continue an interrupted run from its checkpoint
# Run with OMP_NUM_THREADS=1 when two run side by side on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
OUT=${OUT:?set OUT to the output directory}
EPOCHS=${EPOCHS:-5}
PATIENCE=${PATIENCE:-3}
WEIGHT=${WEIGHT:-0.5}  # the teacher's share of the loss
SETS="inspec semeval2010 semeval2017 kpcrowd kdd nguyen2007"
args=()
for s in $SETS; do args+=(--train "$DATA/$s/train.jsonl" --dev "$DATA/$s/dev.jsonl"); done
kwextract train "${args[@]}" --base kwextract/models/default/member-1 --output "$OUT" --seed 13 \
  --epochs "$EPOCHS" --patience "$PATIENCE" --max-windows-per-doc 8 --name distilled \
  ${TEACHER:+--teacher "$TEACHER" --teacher-weight "$WEIGHT"} ${RESUME:+--resume}
python -c "import json,sys; m=json.load(open(sys.argv[1]+'/meta.json')); print(json.dumps({k: m.get(k) for k in ('training', 'calibration')}, indent=1))" "$OUT"
