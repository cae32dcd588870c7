"""Peak memory of ``kwextract extract`` on one text as the text grows: it should stay bounded.

    python benchmarks/huge_document.py [--sizes 10000 1000000 10000000] [--model DIR]
    python benchmarks/huge_document.py --stages 10000000 [--model DIR]

For each size (characters), writes one text of that size made of the English texts of
``../shared/datasets`` (every split, corpus after corpus, so the text is real prose with a
growing vocabulary, not one paper repeated), runs ``kwextract extract --file`` on it in a
fresh process with one torch thread, and prints its peak RSS, the growth over the smallest
size's, and the time. Issue 19's goal: a 10 MB text within 100 MB of a 10 kB text's peak.

``--stages SIZE`` shows where that memory goes instead: it runs the stages of ``extract`` one
by one in this process (tokens, scored spans, candidates, ranking) and prints resident and peak memory
after each, and the peak of Python's own allocations (tracemalloc) during ranking.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPORA = ("semeval2010", "nguyen2007", "kdd", "semeval2017", "inspec", "kpcrowd")
RUNNER = """
import resource, sys
import torch
torch.set_num_threads(1)
from kwextract.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("PEAK_RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def english_text(data: Path, size: int) -> str:
    """``size`` characters of the English corpora's texts, joined by blank lines."""
    parts, total = [], 0
    for corpus in CORPORA:
        for split in ("train", "dev", "test"):
            path = data / corpus / f"{split}.jsonl"
            if not path.exists():
                continue
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    parts.append(json.loads(line)["text"])
                    total += len(parts[-1]) + 2
                    if total >= size:
                        return "\n\n".join(parts)[:size]
    if not parts:
        raise SystemExit(f"no English corpus under {data}")
    text = "\n\n".join(parts)
    return (text + "\n\n") * (size // (len(text) + 2)) + text[: size % (len(text) + 2)]  # repeat if short


def stages(data: Path, size: int, model: str | None) -> None:
    """Resident and peak memory (MB) after each stage of ``extract`` on one text of ``size`` characters."""
    import resource
    import tracemalloc

    import torch

    import kwextract
    from kwextract.memory import release_free_memory
    from kwextract.normalize import stems_of
    from kwextract.ranking import candidates_from_parts

    torch.set_num_threads(1)

    def report(stage: str) -> None:
        resident = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {stage:<44}{resident:>9.0f}{peak:>9.0f}", flush=True)

    print(f"stages of extract on {size:,} characters, model {model or 'default'} (MB):")
    print(f"  {'after':<44}{'resident':>9}{'peak':>9}")
    extractor = kwextract.load(model)
    extractor.extract("A first short text about neural networks.")
    report("loading the model and one short text")
    text = english_text(data, size)
    report("building the text")
    tokens = extractor.tokenizer(text)
    release_free_memory()
    report(f"tokenizing ({len(tokens):,} tokens)")
    parts, decoded = extractor.score_span_parts([tokens])  # as extract does: spans handed over a batch at a time
    report("scoring spans")
    stems = stems_of(tokens)
    found = candidates_from_parts(tokens, stems, parts[0], decoded[0])  # each part let go once merged
    report(f"merging them into {len(found):,} candidate phrases")
    ranked = extractor.rank_candidates(tokens, stems, found, 10, 0.0, extractor.word_idf())
    report("ranking")
    tracemalloc.start()  # ranking again, traced: tracemalloc's own records would inflate the figures above
    extractor.rank_candidates(tokens, stems, found, 10, 0.0, extractor.word_idf())
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"  ranking's own allocations at their peak (tracemalloc, a second run): {python_peak:.0f} MB; top 3: "
          + ", ".join(k.text for k in ranked[:3]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 1_000_000, 10_000_000])
    parser.add_argument("--model", default=None)
    parser.add_argument("--stages", type=int, metavar="SIZE", help="where the memory of one SIZE goes, stage by stage")
    args = parser.parse_args()
    if args.stages:
        stages(Path(args.data), args.stages, args.model)
        return
    print(f"{'characters':>12} {'tokens/s':>9} {'seconds':>8} {'peak RSS MB':>12} {'growth MB':>10}  top 3")
    smallest = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            source = Path(tmp) / f"text{size}.txt"
            text = english_text(Path(args.data), size)
            source.write_text(text, encoding="utf-8")
            cmd = [sys.executable, "-c", RUNNER, "extract", "--file", str(source), "--format", "json",
                   "--top-k", "10"] + (["--model", args.model] if args.model else [])
            started = time.time()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            seconds = time.time() - started
            lines = proc.stdout.splitlines()
            peak = [float(line.split()[1]) for line in lines if line.startswith("PEAK_RSS_MB")]
            if proc.returncode != 0 or not peak:
                print(f"{size:>12} failed: {proc.stderr.strip()[-300:]}")
                continue
            found = json.loads("\n".join(line for line in lines if not line.startswith("PEAK_RSS_MB")))
            top = ", ".join(k["text"] for k in found[:3])
            smallest = peak[0] if smallest is None else smallest
            tokens = len(text.split())
            print(f"{size:>12,} {tokens / seconds:>9,.0f} {seconds:>8.1f} {peak[0]:>12.0f} {peak[0] - smallest:>10.0f}  {top}",
                  flush=True)
    print("(tokens/s: whitespace-separated words over the whole command, start-up and model loading included)")


if __name__ == "__main__":
    main()
