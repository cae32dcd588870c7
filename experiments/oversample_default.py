"""Oversampling KDD and kpcrowd (docs/default-model.md, thirty-first session): does the pair
trained with those two train splits read twice per epoch replace the bundled pair?

    python experiments/oversample_default.py [--candidate runs/repeat-pair]
        [--json docs/oversample-default.json]

Reads the cross-fitted dev figures that ``kwextract ensemble`` recorded in the candidate's
``meta.json``, sets them beside the bundled pair's (``small_default.BUNDLED_DEV``: as its card
read when run 13's rule was written, unchanged since) and applies the rule written before the
members were trained. No test split is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from small_default import BUNDLED_DEV, MAX_MB, MODELS, dev_figures, megabytes

# The order of the dev files in data/train_default.sh, which is the order of "by_file".
SETS = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")
TARGETS = ("kdd", "kpcrowd")
GAIN = 0.01  # (1) mean dev F1@10 gain on the two targets, neither falling
WITHIN = 0.005  # (2) mean of the six files, (3) Inspec: at most half a point below


def by_set(figures: dict) -> dict[str, dict]:
    return dict(zip(SETS, figures["by_file"], strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidate", type=Path, default=Path("runs/repeat-pair"))
    parser.add_argument("--json", type=Path, default=Path("docs/oversample-default.json"))
    args = parser.parse_args()
    if not (args.candidate / "meta.json").is_file():
        print(f"{args.candidate}: no trained pair there (docs/default-model.md, oversampling KDD and kpcrowd)",
              file=sys.stderr)
        return 1
    new, old = dev_figures(args.candidate), BUNDLED_DEV
    new_sets, old_sets = by_set(new), by_set(old)
    print("cross-fitted visible dev, F1@10 / F1@M   oversampled        bundled pair")
    print(f"  {'mean of six files':<36} {new['f1@10']:.4f} / {new['f1@M']:.4f}   {old['f1@10']:.4f} / {old['f1@M']:.4f}")
    for name in SETS:
        n, o = new_sets[name], old_sets[name]
        print(f"  {name:<12} ({o['docs']:>3} docs)              {n['f1@10']:.4f} / {n['f1@M']:.4f}   "
              f"{o['f1@10']:.4f} / {o['f1@M']:.4f}")
    gains = {name: round(new_sets[name]["f1@10"] - old_sets[name]["f1@10"], 4) for name in TARGETS}
    size = megabytes(args.candidate, *(d for d in MODELS.iterdir() if d.is_dir() and d.name != "default"))
    eps = 1e-9
    rules = {
        "1_targets_gain_1_point_none_falls": sum(gains.values()) / len(gains) >= GAIN - eps
        and min(gains.values()) >= -eps,
        "2_mean_within_half_a_point": all(new[m] >= old[m] - WITHIN - eps for m in ("f1@10", "f1@M")),
        "3_inspec_within_half_a_point": all(new_sets["inspec"][m] >= old_sets["inspec"][m] - WITHIN - eps
                                            for m in ("f1@10", "f1@M")),
        "4_bundled_models_at_most_25_mb": size <= MAX_MB,
    }
    print("dev F1@10 gains: " + ", ".join(f"{k} {v * 100:+.2f}" for k, v in gains.items()) + " points")
    for rule, held in rules.items():
        print(f"  rule {rule}: {'holds' if held else 'fails'}")
    adopt = all(rules.values())
    print(f"bundled models with the oversampled pair: {size:.1f} MB")
    print("the oversampled pair replaces the bundled pair" if adopt else "the bundled pair stays")
    args.json.write_text(json.dumps({
        "candidate": str(args.candidate), "dev_oversampled": new, "dev_bundled": old, "target_gains": gains,
        "bundled_mb": round(size, 1), "rules": rules, "adopt": adopt,
    }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
