#!/usr/bin/env bash
# Continue the bundled single tagger's training at a tenth of its learning rate (kwextract train --base),
# on the train/dev splits it was trained on, and report what calibrate makes of the result.
#   bash experiments/continue_default.sh [OUT]     # about 15 minutes on 2 CPU cores
# Rule (docs/default-model.md): the result would replace the bundled model only if calibrate's
# cross-fitted dev F1@10 + F1@M beat the bundled model's. Its run on 2026-11-26 returned the base
# unchanged (dev F1@10 0.3033 at epoch 0; 0.3001 and 0.3013 after epochs 1 and 2). That tagger was
# then the bundled model; since the tenth session it is the bundled ensemble's first member, 'fast'.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
OUT=${1:-runs/continued-default}
args=()
for s in inspec semeval2010 semeval2017 kpcrowd kdd nguyen2007; do
  args+=(--train "$DATA/$s/train.jsonl" --dev "$DATA/$s/dev.jsonl")
done
kwextract train --base fast "${args[@]}" --output "$OUT" --seed 13 --epochs 6 --patience 2 \
  --max-windows-per-doc 8 --name default
