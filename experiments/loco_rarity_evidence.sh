#!/usr/bin/env bash
# Run 18 of docs/unseen-domains.md: TF-IDF evidence for text the model finds unfamiliar, reading
# each word's rarity in general English as its IDF. Trains run 15's reference taggers again
# (member 1's reduced recipe by today's code, seeds 13 and 14, without each of kpcrowd,
# semeval2010 and nguyen2007; two one-thread processes side by side, one a seed; finished
# taggers are reused and interrupted ones resume), then scores every variant and applies the rule.
#   bash experiments/loco_rarity_evidence.sh    # about an hour on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
mkdir -p runs/logs
export OMP_NUM_THREADS=1
pids=()
for seed in 13 14; do
  python experiments/leave_one_corpus_out.py --data "$DATA" --variant "baseline-36-s$seed" --seed "$seed" \
    --threads 1 --json runs/loco-rarity-evidence-taggers.json > "runs/logs/loco-rarity-evidence-s$seed.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done  # set -e: a failed seed fails the script
python experiments/loco_rarity_evidence.py --data "$DATA" --taggers runs/loco/baseline-36-s13 runs/loco/baseline-36-s14 \
  --json docs/loco-rarity-evidence.json
