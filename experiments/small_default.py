"""Run 13, second stage (docs/unseen-domains.md): does the pair of two 64-unit taggers replace
the bundled pair?

    python experiments/small_default.py [--candidate runs/small-pair] [--data ../shared/datasets]
        [--rounds 7] [--json docs/small-default.json]

Reads the cross-fitted dev figures that ``kwextract ensemble`` recorded in the candidate's
``meta.json``, sets them beside the bundled pair's (as its card read when the rule was
written), measures the candidate's speed per core
against YAKE with ``benchmarks/speed.py``'s alternating rounds (run it on an idle machine), and
applies the rule written before the members were trained. Its first member alone (what
``load("fast")`` would become) is timed the same way, for the record.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import alternating_per_core  # noqa: E402

# The bundled pair's cross-fitted dev figures when the rule was written (its meta.json at 85b7263):
# constants, so that the comparison reruns the same after the bundled model changes.
BUNDLED_DEV = {"f1@10": 0.3287, "f1@M": 0.4147, "by_file": [
    {"docs": 500, "f1@10": 0.4689, "f1@M": 0.4999}, {"docs": 20, "f1@10": 0.2972, "f1@M": 0.3056},
    {"docs": 50, "f1@10": 0.4188, "f1@M": 0.5033}, {"docs": 40, "f1@10": 0.2163, "f1@M": 0.3897},
    {"docs": 50, "f1@10": 0.2402, "f1@M": 0.4571}, {"docs": 20, "f1@10": 0.3307, "f1@M": 0.3329}]}
MODELS = ROOT / "kwextract" / "models"
WITHIN = 0.005  # (1) dev F1@10 and F1@M at most half a point below the bundled pair
SPEED = 1.20  # (2) median per-core ratio to YAKE on Inspec test, batched
MAX_MB = 25.0  # (3) all bundled models together


def dev_figures(model: Path) -> dict:
    """The cross-fitted dev scores ``kwextract ensemble`` wrote when it calibrated ``model``."""
    scorer = json.loads((model / "meta.json").read_text())["calibration"]["phrase_scorer"]
    # the selection calibration chose: a rule by name, or a fixed threshold keyed by its value
    chosen = str(scorer["select_threshold"]) if scorer["selection"] == "threshold" else scorer["selection"]
    return {"f1@10": scorer["cross_fitted_dev_f1_10"],
            "f1@M": scorer["cross_fitted_dev_f1_M_by_selection"][chosen],
            "by_file": scorer["cross_fitted_dev_by_file"]}


def megabytes(*directories: Path) -> float:
    """Bytes of every file under ``directories``, links followed, in MB."""
    return sum(f.stat().st_size for d in directories for f in d.rglob("*") if f.is_file()) / 1e6


def speed_vs_yake(data: Path, model: Path, rounds: int) -> dict:
    """Median (and range) of YAKE's CPU seconds over the model's, round by round."""
    seconds = alternating_per_core(data, str(model), ["kwextract", "yake"], rounds)
    ratios = [y / k for y, k in zip(seconds["yake"], seconds["kwextract"])]
    return {"median": round(statistics.median(ratios), 3), "min": round(min(ratios), 3),
            "max": round(max(ratios), 3), "kwextract_cpu_s": [round(s, 3) for s in seconds["kwextract"]],
            "yake_cpu_s": [round(s, 3) for s in seconds["yake"]]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidate", type=Path, default=Path("runs/small-pair"))
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path, default=Path("docs/small-default.json"))
    args = parser.parse_args()
    if not (args.candidate / "meta.json").is_file():
        print(f"{args.candidate}: no trained pair there (docs/unseen-domains.md, run 13, second stage)",
              file=sys.stderr)
        return 1
    small, big = dev_figures(args.candidate), BUNDLED_DEV
    print("cross-fitted visible dev      small pair   bundled pair")
    for metric in ("f1@10", "f1@M"):
        print(f"  {metric:<27} {small[metric]:>10.4f}   {big[metric]:>12.4f}")
    for s, b in zip(small["by_file"], big["by_file"]):
        print(f"  {b['docs']:>4} docs, F1@10 / F1@M     {s['f1@10']:.4f} / {s['f1@M']:.4f}   "
              f"{b['f1@10']:.4f} / {b['f1@M']:.4f}")
    pair_speed = speed_vs_yake(args.data, args.candidate, args.rounds)
    fast_speed = speed_vs_yake(args.data, args.candidate / "member-1", args.rounds)
    print(f"per core vs YAKE, Inspec test batched, {args.rounds} rounds: small pair median "
          f"{pair_speed['median']:.2f}x ({pair_speed['min']:.2f}-{pair_speed['max']:.2f}); its first member "
          f"alone {fast_speed['median']:.2f}x ({fast_speed['min']:.2f}-{fast_speed['max']:.2f})")
    size = megabytes(args.candidate, *(d for d in MODELS.iterdir() if d.is_dir() and d.name != "default"))
    rules = {"1_dev_within_half_a_point": all(small[m] >= big[m] - WITHIN - 1e-9 for m in ("f1@10", "f1@M")),
             "2_at_least_1.2x_yake_per_core": pair_speed["median"] >= SPEED,
             "3_bundled_models_at_most_25_mb": size <= MAX_MB}
    for rule, held in rules.items():
        print(f"  rule {rule}: {'holds' if held else 'fails'}")
    adopt = all(rules.values())
    print(f"bundled models with the small pair: {size:.1f} MB")
    print("the small pair replaces the bundled pair" if adopt else "the bundled pair stays")
    args.json.write_text(json.dumps({
        "candidate": str(args.candidate), "dev_small": small, "dev_bundled": big,
        "speed_small_pair_vs_yake": pair_speed, "speed_small_member_1_vs_yake": fast_speed,
        "bundled_mb": round(size, 1), "rules": rules, "adopt": adopt,
    }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
