#!/usr/bin/env bash
# Run 17 (docs/default-model.md, thirty-seventh session): member 1 retrained by today's code
# against the bundled pair, both calibrated by today's code on the six visible dev splits.
#   bash experiments/one_or_two_full.sh       # about 80 minutes on 2 CPU cores (run 17), then the rule
#   RESUME=1 bash experiments/one_or_two_full.sh   # continue an interrupted training
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
WORK=${WORK:-runs/r17}
SETS="inspec semeval2010 semeval2017 kpcrowd kdd nguyen2007"
BUNDLED=kwextract/models/default
dev=(); for s in $SETS; do dev+=(--dev "$DATA/$s/dev.jsonl"); done
mkdir -p "$WORK"
# the candidate: member 1's recipe (seed 13), trained and calibrated by today's code
[ -f "$WORK/member-1/meta.json" ] || DATA="$DATA" OUT="$WORK/member-1" SEED=13 bash data/train_member.sh
# the reference: the bundled pair's members, combined and calibrated again by today's code
if [ ! -f "$WORK/pair/meta.json" ]; then
  rm -rf "$WORK/bundled-1" "$WORK/bundled-2"
  cp -r "$BUNDLED/member-1" "$WORK/bundled-1" && cp -r "$BUNDLED/member-2" "$WORK/bundled-2"
  kwextract ensemble "$WORK/bundled-1" "$WORK/bundled-2" --output "$WORK/pair" --name default "${dev[@]}"
fi
# for the record: the bundled member 1 (load("fast")) calibrated again alone
[ -f "$WORK/fast/meta.json" ] || kwextract calibrate --model "$BUNDLED/member-1" --output "$WORK/fast" "${dev[@]}"
python experiments/one_or_two_full.py --candidate "$WORK/member-1" --reference "$WORK/pair" --fast "$WORK/fast"
