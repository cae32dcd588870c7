"""Peak memory of ``kwextract batch`` as the input grows: it should stay flat.

    python benchmarks/batch_memory.py [--sizes 1000 10000 100000] [--model DIR] [--new-words 20]

For each size, writes a JSONL of that many short documents (sentences of the README's
sample abstract), runs the batch command in a fresh process and prints its peak RSS.
Streaming input and bounded work in flight keep memory independent of corpus size.
``--new-words N`` adds N made-up words to every document that no other document has (as
names, numbers and identifiers are in a real corpus), so that every string the tokenizer
keeps is new: memory must stay flat there too.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "abstract.txt"
RUNNER = """
import resource, sys
from kwextract.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("PEAK_RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--model", default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--new-words", type=int, default=0, help="made-up words, new to the corpus, per document")
    args = parser.parse_args()
    sentences = [s.strip() for s in SAMPLE.read_text().replace("\n", " ").split(".") if s.strip()]
    print(f"{'documents':>10} {'seconds':>9} {'docs/s':>8} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            source = Path(tmp) / f"docs{size}.jsonl"
            with source.open("w") as out:
                rng = random.Random(size)
                for i in range(size):
                    text = ". ".join(sentences[(i + j) % len(sentences)] for j in range(3)) + "."
                    if args.new_words:
                        text += " Codes " + " ".join(f"x{rng.getrandbits(48):x}" for _ in range(args.new_words)) + "."
                    out.write(json.dumps({"id": f"d{i}", "text": text}) + "\n")
            cmd = [sys.executable, "-c", RUNNER, "batch", str(source), "-o", str(Path(tmp) / "out.jsonl"),
                   "-q", "-w", str(args.workers)] + (["-m", args.model] if args.model else [])
            started = time.time()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            seconds = time.time() - started
            peak = [line for line in proc.stdout.splitlines() if line.startswith("PEAK_RSS_MB")]
            if proc.returncode != 0 or not peak:
                print(f"{size:>10} failed: {proc.stderr.strip()[-200:]}")
                continue
            print(f"{size:>10} {seconds:>9.1f} {size / seconds:>8.1f} {float(peak[0].split()[1]):>12.0f}", flush=True)


if __name__ == "__main__":
    main()
