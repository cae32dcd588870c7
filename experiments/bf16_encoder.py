"""What running the BiLSTM in bfloat16 would buy on a CPU that computes it natively (AMX or
AVX512-BF16): a measurement for issue 19, not a feature.

    python experiments/bf16_encoder.py [--data ../shared/datasets] [--repeats 3]

For the bundled model and ``load("fast")``, on Inspec's test split batched (top 10, torch on
one thread): CPU seconds with the float32 encoder and with ``load(..., precision="bfloat16")``
(the encoder in bfloat16, inputs cast to it and states back; everything else unchanged), best
of ``--repeats`` alternating
runs; how many top-10 lists stay identical; and F1@10 / F1@M under the quality protocol on
Inspec's dev and test splits with each. Needs a CPU where
``torch.ops.mkldnn._is_mkldnn_bf16_supported()`` holds; elsewhere bfloat16 is emulated and slow.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

import kwextract
from kwextract.data import read_documents
from kwextract.evaluate import evaluate


def cpu_seconds(extractor, texts: list[str]) -> tuple[float, list[list[str]]]:
    started = time.process_time()
    found = extractor.extract_batch(texts, top_k=10)
    return time.process_time() - started, [[k.text for k in f] for f in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, CPU capability {torch.backends.cpu.get_cpu_capability()}, "
          f"native bfloat16: {torch.ops.mkldnn._is_mkldnn_bf16_supported()}")
    test = read_documents(args.data / "inspec" / "test.jsonl")
    dev = read_documents(args.data / "inspec" / "dev.jsonl")
    texts = [d.text for d in test]
    results = {}
    for name in ("default", "fast"):
        models = {precision: kwextract.load(name, precision=precision) for precision in ("float32", "bfloat16")}
        for model in models.values():
            cpu_seconds(model, texts[:50])  # warm-up
        times: dict[str, list[float]] = {"float32": [], "bfloat16": []}
        top: dict[str, list[list[str]]] = {}
        for _ in range(args.repeats):
            for precision, model in models.items():
                seconds, top[precision] = cpu_seconds(model, texts)
                times[precision].append(seconds)
        top_float, top_bf16 = top["float32"], top["bfloat16"]
        scores = {precision: {split: evaluate(model, docs) for split, docs in (("dev", dev), ("test", test))}
                  for precision, model in models.items()}
        same = sum(a == b for a, b in zip(top_float, top_bf16))
        best = {k: min(v) for k, v in times.items()}
        results[name] = {"cpu_seconds": best, "same_top10": same, "docs": len(texts),
                         "scores": {p: {s: {m: round(v[m], 4) for m in ("f1@10", "f1@M")} for s, v in by.items()}
                                    for p, by in scores.items()}}
        print(f"{name}: Inspec test batched, one thread: float32 {best['float32']:.2f} CPU s, bfloat16 encoder "
              f"{best['bfloat16']:.2f} ({best['float32'] / best['bfloat16']:.2f}x); identical top 10 on {same} of "
              f"{len(texts)} texts")
        for split in ("dev", "test"):
            f, b = scores["float32"][split], scores["bfloat16"][split]
            print(f"  Inspec {split} F1@10 / F1@M: float32 {f['f1@10']:.4f} / {f['f1@M']:.4f}, "
                  f"bfloat16 {b['f1@10']:.4f} / {b['f1@M']:.4f}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
