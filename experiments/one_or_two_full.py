"""Run 17 (docs/default-model.md, thirty-seventh session): with the full recipe, does member 1
retrained by today's code replace the bundled pair as the default, alone?

    python experiments/one_or_two_full.py [--candidate runs/r17/member-1]
        [--reference runs/r17/pair] [--fast runs/r17/fast] [--json docs/one-or-two-full.json]

Reads the cross-fitted dev figures that calibration wrote to each model's ``meta.json``: the
candidate (trained and calibrated by ``data/train_member.sh``), the reference (the bundled
pair's two members combined and calibrated again by ``kwextract ensemble``) and, for the
record, the bundled member 1 calibrated again alone. Applies the rule written before the
candidate was trained. ``bash experiments/one_or_two_full.sh`` makes all three and runs this.
No test split is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from oversample_default import SETS, WITHIN, by_set
from small_default import dev_figures

METRICS = ("f1@10", "f1@M")
EPS = 1e-9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidate", type=Path, default=Path("runs/r17/member-1"))
    parser.add_argument("--reference", type=Path, default=Path("runs/r17/pair"))
    parser.add_argument("--fast", type=Path, default=Path("runs/r17/fast"))
    parser.add_argument("--json", type=Path, default=Path("docs/one-or-two-full.json"))
    args = parser.parse_args()
    models = {"retrained member 1": args.candidate, "bundled pair": args.reference, "bundled member 1": args.fast}
    missing = [str(path) for path in models.values() if not (path / "meta.json").is_file()]
    if missing:
        print(f"no calibrated model in {', '.join(missing)}: run bash experiments/one_or_two_full.sh",
              file=sys.stderr)
        return 1
    figures = {name: dev_figures(path) for name, path in models.items()}
    print("cross-fitted visible dev, F1@10 / F1@M   " + "   ".join(f"{name:>18}" for name in figures))
    rows = [("mean of six files", figures)]
    rows += [(s, {name: by_set(f)[s] for name, f in figures.items()}) for s in SETS]
    for label, cells in rows:
        print(f"  {label:<37} " + "   ".join(f"   {c['f1@10']:.4f} / {c['f1@M']:.4f}" for c in cells.values()))
    new, old = figures["retrained member 1"], figures["bundled pair"]
    rules = {
        "1_mean_within_half_a_point": all(new[m] >= old[m] - WITHIN - EPS for m in METRICS),
        "2_inspec_within_half_a_point": all(by_set(new)["inspec"][m] >= by_set(old)["inspec"][m] - WITHIN - EPS
                                            for m in METRICS),
    }
    for rule, held in rules.items():
        print(f"  rule {rule}: {'holds' if held else 'fails'}")
    adopt = all(rules.values())
    print("the retrained member 1 becomes the bundled default, alone" if adopt else "the bundled pair stays")
    args.json.write_text(json.dumps({
        "models": {name: str(path) for name, path in models.items()}, "dev": figures,
        "rules": rules, "adopt": adopt}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
