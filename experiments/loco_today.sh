#!/usr/bin/env bash
# Run 16 of docs/unseen-domains.md: the README's left-out table (run 12's pairs of member 1 and
# member 2, two seeds each) measured again with today's code. Member 1's taggers are run 15's
# (experiments/loco_rarity.sh trains them if absent); member 2's are trained here, two one-thread
# processes side by side; then both pairs are combined, calibrated and scored.
#   bash experiments/loco_today.sh   # about an hour on 2 cores (two more without run 15's taggers)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
mkdir -p runs/logs
export OMP_NUM_THREADS=1
pids=()
for seed in 13 14; do
  (
    python experiments/leave_one_corpus_out.py --data "$DATA" --variant "baseline-36-s$seed" --seed "$seed" \
      --threads 1 --json docs/loco-rarity.json
    python experiments/leave_one_corpus_out.py --data "$DATA" --variant "member2-36-s$((seed + 2))" \
      --seed "$((seed + 2))" --word-vector-epochs 5 --threads 1 --json docs/loco-36.json
    pair=$([ "$seed" = 13 ] && echo a || echo b)
    python experiments/loco_ensemble.py --data "$DATA" --first "runs/loco/baseline-36-s$seed" \
      --second "runs/loco/member2-36-s$((seed + 2))" --pairs "runs/loco/pair-36$pair" --threads 1 \
      --measure-only --json "docs/loco-ensemble-36$pair.json"
  ) > "runs/logs/loco-today-s$seed.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done  # set -e: a failed seed fails the script
python experiments/loco_one_or_two.py --pairs docs/loco-ensemble-36a.json docs/loco-ensemble-36b.json \
  --json docs/loco-one-or-two-36.json
