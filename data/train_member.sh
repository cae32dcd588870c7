#!/usr/bin/env bash
# Trains one tagger on the train/dev splits of every data set in ../shared/datasets and
# calibrates it on the dev splits: a member of the bundled ensemble (data/train_default.sh
# runs this once per member), or a single model to try a change on. Until the tenth session
# this was data/train_default.sh, which built the bundled model as one tagger (the commands in
# docs/default-model.md that name it ran this recipe).
#   OUT=runs/m bash data/train_member.sh          # one tagger (about 60 minutes on 2 CPU cores)
#   RESUME=1 OUT=runs/m bash ...                  # continue an interrupted run from its checkpoint
#   WINDOWS=4 ...                                 # windows sampled per paper per epoch
#   LR_DECAY=0.5 ...                              # learning-rate decay (train --lr-decay)
#   SEED=14 ...                                   # another random seed (initial weights, batch order, dropout)
#   WORD_VECTORS=5 ...                            # start from skip-gram word vectors (train --word-vector-epochs)
#   HIDDEN=64 ...                                 # encoder units per direction (train --hidden-size)
#   LAYERS=1 ...                                  # encoder layers (train --num-layers)
#   SCORE_TEST=1 ...                              # also score the test splits into its model card
#   REPEAT="kdd kpcrowd" ...                      # these sets' train files read twice per epoch (oversampled)
#   WORD_DIM=0 EPOCHS=5 PATIENCE=2 NAME=multi ... # data/train_multi.sh: no word identities, a shorter run
#   RARITY=1 ...                                  # each word's rarity in its text's language (train --general-rarity)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
OUT=${OUT:?set OUT to the output directory}
WINDOWS=${WINDOWS:-8}  # windows sampled per long document (full paper) per epoch
LR_DECAY=${LR_DECAY:-1}  # learning-rate factor after an epoch without a better dev score
SEED=${SEED:-13}
WORD_VECTORS=${WORD_VECTORS:-0}  # epochs of skip-gram word vectors before training (0: random start)
SCORE_TEST=${SCORE_TEST:-0}  # 1: score the test splits (for the record, never to choose)
HIDDEN=${HIDDEN:-128}  # encoder units per direction
LAYERS=${LAYERS:-2}  # encoder layers
WORD_DIM=${WORD_DIM:-64}  # 0: no word vectors and no corpus IDF (a model for other languages)
EPOCHS=${EPOCHS:-25}
PATIENCE=${PATIENCE:-4}
NAME=${NAME:-default}
REPEAT=${REPEAT:-}  # data sets whose train split is sampled twice per epoch
RARITY=${RARITY:-0}  # 1: read each word's rarity in its text's language (needs: pip install wordfreq)
SETS="inspec semeval2010 semeval2017 kpcrowd kdd nguyen2007"
args=()
for s in $SETS; do args+=(--train "$DATA/$s/train.jsonl" --dev "$DATA/$s/dev.jsonl"); done
for s in $REPEAT; do args+=(--train "$DATA/$s/train.jsonl"); done
kwextract train "${args[@]}" --output "$OUT" --seed "$SEED" --epochs "$EPOCHS" --patience "$PATIENCE" \
  --max-windows-per-doc "$WINDOWS" --lr-decay "$LR_DECAY" --word-dim "$WORD_DIM" --hidden-size "$HIDDEN" --num-layers "$LAYERS" \
  --word-vector-epochs "$WORD_VECTORS" --window-tokens 256 --name "$NAME" \
  ${RESUME:+--resume} $([ "$RARITY" = 0 ] || echo --general-rarity)
# train already calibrates on the dev splits; repeating it is idempotent and applies the same
# inference settings to a model trained by an earlier kwextract.
dev=(); for s in $SETS; do dev+=(--dev "$DATA/$s/dev.jsonl"); done
kwextract calibrate --model "$OUT" "${dev[@]}"
[ "$SCORE_TEST" = 0 ] || python benchmarks/quality.py --model "$OUT" --data "$DATA" --write-card
