#!/usr/bin/env bash
# Run 15 of docs/unseen-domains.md: member 1's reduced recipe with --general-rarity (each word's
# rarity in general English, from wordfreq's lists) against the same recipe without it, both
# trained by today's code, seeds 13 and 14, left out in turn: kpcrowd, semeval2010, nguyen2007.
# Two one-thread processes side by side (one a seed); each trains its baseline, then its
# candidate. Reruns reuse finished taggers and resume interrupted ones.
#   pip install wordfreq && bash experiments/loco_rarity.sh   # about 2 hours on 2 cores
#   python experiments/loco_word_dropout.py --loco docs/loco-rarity.json --baseline "baseline-36-s{seed}" \
#       --candidate "general rarity=rarity-s{seed}" --json docs/loco-rarity-rule.json
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
    python experiments/leave_one_corpus_out.py --data "$DATA" --variant "rarity-s$seed" --seed "$seed" \
      --general-rarity --threads 1 --json docs/loco-rarity.json
  ) > "runs/logs/loco-rarity-s$seed.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done  # set -e: a failed seed fails the script
