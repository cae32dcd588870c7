"""Why a BiLSTM? Six encoders trained the same way, measured side by side.

    python experiments/encoders.py [--data ../shared/datasets] [--epochs 6] [--out docs/encoders.json]

rnn / gru / lstm, each unidirectional and bidirectional, trained on the Inspec and
SemEval-2017 train splits (early stopping on their dev splits) with the same seed, epochs
and about the same number of recurrent parameters (hidden sizes are chosen to match the
BiLSTM's budget). Reported: test F1@5/@10/@M on both data sets, training time, inference
speed, and how much gradient reaches the first time steps of a long input: the norm of
d(output at the last step)/d(input at step t), relative to t = last, for a trained model.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import torch

from kwextract.batching import Window, collate
from kwextract.config import ModelConfig
from kwextract.data import read_documents
from kwextract.evaluate import evaluate
from kwextract.train import TrainConfig, train

GATES = {"rnn": 1, "gru": 3, "lstm": 4}
VARIANTS = [(e, b) for e in ("rnn", "gru", "lstm") for b in (False, True)]


def recurrent_params(encoder: str, bidirectional: bool, hidden: int, inputs: int) -> int:
    per_direction = GATES[encoder] * (hidden * (inputs + hidden) + 2 * hidden)
    return per_direction * (2 if bidirectional else 1)


def matched_hidden(encoder: str, bidirectional: bool, budget: int, inputs: int) -> int:
    """The hidden size whose recurrent parameter count is closest to ``budget``."""
    return min(range(8, 1024), key=lambda h: abs(recurrent_params(encoder, bidirectional, h, inputs) - budget))


def gradient_reach(extractor, text: str, steps: tuple[int, ...]) -> dict[str, float]:
    """||d out[T-1] / d x[t]|| / ||d out[T-1] / d x[T-1]|| for one long window, dropout off."""
    tagger = extractor.tagger
    tokens = extractor.tokenizer(text)
    arrays = [extractor.featurize(tokens)]
    length = len(tokens)
    batch = collate(arrays, [Window(0, 0, length)])
    tagger.eval()
    x = tagger.embed(batch.word_ids, batch.char_ids, batch.features).detach().requires_grad_(True)
    out, _ = tagger.encoder(x)
    out[0, length - 1].sum().backward()
    norms = x.grad[0].norm(dim=1)
    last = float(norms[length - 1]) or 1e-30
    reach = {f"t={t}": float(norms[t]) / last for t in steps if t < length}
    return {"input_tokens": length, **reach}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lstm-hidden", type=int, default=64, help="BiLSTM hidden size that sets the budget")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path("docs/encoders.json"))
    args = parser.parse_args()
    data = Path(args.data)
    sets = ("inspec", "semeval2017")
    base = ModelConfig(num_layers=1, dropout=0.3)
    inputs = base.word_dim + base.char_filters + 10
    budget = recurrent_params("lstm", True, args.lstm_hidden, inputs)
    tests = {s: read_documents(data / s / "test.jsonl") for s in sets}
    long_text = " ".join(d.text for d in tests["inspec"][:12])  # about 1,500 tokens
    steps = (0, 50, 200, 500, 1000)
    results = []
    for encoder, bidirectional in VARIANTS:
        hidden = matched_hidden(encoder, bidirectional, budget, inputs)
        config = TrainConfig(train=tuple(str(data / s / "train.jsonl") for s in sets),
                             dev=tuple(str(data / s / "dev.jsonl") for s in sets),
                             epochs=args.epochs, patience=args.epochs, seed=args.seed,
                             phrase_scorer=False)  # the encoders are compared on their own marginals
        model_config = ModelConfig(encoder=encoder, bidirectional=bidirectional, hidden_size=hidden,
                                   num_layers=1, window_tokens=2048)
        name = f"{'bi' if bidirectional else 'uni'}-{encoder}"
        with tempfile.TemporaryDirectory() as tmp:
            started = time.time()
            extractor = train(config, model_config, Path(tmp) / name, log=lambda m: None)
            train_seconds = time.time() - started
        row = {"encoder": name, "hidden": hidden,
               "recurrent_params": recurrent_params(encoder, bidirectional, hidden, inputs),
               "train_seconds": round(train_seconds, 1)}
        for s in sets:
            started = time.time()
            scores = evaluate(extractor, tests[s])
            seconds = time.time() - started
            row[s] = {k: round(scores[k], 4) for k in ("f1@5", "f1@10", "f1@M")}
            row[s]["docs_per_s"] = round(len(tests[s]) / seconds, 1)
        row["gradient_reach"] = gradient_reach(extractor, long_text, steps)
        results.append(row)
        print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print()
    n = results[0]["gradient_reach"]["input_tokens"]
    print(f"Gradient columns: relative gradient reaching input step t of a {n}-token input from the last step "
          f"(t=1000 is {n - 1 - 1000} steps back, t=500 {n - 1 - 500}, t=0 {n - 1}).")
    print("| encoder | hidden | recurrent params | Inspec F1@5 | F1@10 | F1@M | SemEval-2017 F1@5 | F1@10 | F1@M "
          "| train s | Inspec docs/s | gradient at t=0 | t=200 | t=1000 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        g = r["gradient_reach"]
        i, s = r["inspec"], r["semeval2017"]
        print(f"| {r['encoder']} | {r['hidden']} | {r['recurrent_params']:,} | {i['f1@5']:.3f} | {i['f1@10']:.3f} "
              f"| {i['f1@M']:.3f} | {s['f1@5']:.3f} | {s['f1@10']:.3f} | {s['f1@M']:.3f} | {r['train_seconds']:.0f} "
              f"| {i['docs_per_s']:.0f} | {g.get('t=0', float('nan')):.1e} | {g.get('t=200', float('nan')):.1e} "
              f"| {g.get('t=1000', float('nan')):.1e} |")


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
