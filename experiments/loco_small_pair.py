"""Run 13 of docs/unseen-domains.md: a pair of two 64-unit taggers against run 12's pair.

    python experiments/loco_small_pair.py
        [--small docs/loco-ensemble-29-small-a.json docs/loco-ensemble-29-small-b.json]
        [--reference docs/loco-ensemble-29a.json docs/loco-ensemble-29b.json]
        [--json docs/loco-small-pair.json]

Reads what ``experiments/loco_ensemble.py --measure-only`` wrote for the small pairs A' and B'
(``--hidden-size 64``) and for run 12's pairs A and B (128 units), averages each over its two
pairs, prints both tables and applies the rule written before the run: whether the small pair
goes on to the full recipe.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from statistics import mean

from loco_one_or_two import LEFT_OUT, print_table, rounded, seed_means

BELOW_PAIR = 0.005  # (1) mean left-out dev F1@10 at most half a point below run 12's pair
WORST = 0.01  # (2) on no corpus more than 1 point below run 12's pair
OVER_ONE = 0.01  # (3) at least 1 point above run 12's member 1 alone, on average


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=Path, nargs=2, default=[Path("docs/loco-ensemble-29-small-a.json"),
                                                                Path("docs/loco-ensemble-29-small-b.json")])
    parser.add_argument("--reference", type=Path, nargs=2,
                        default=[Path("docs/loco-ensemble-29a.json"), Path("docs/loco-ensemble-29b.json")])
    parser.add_argument("--json", type=Path, default=Path("docs/loco-small-pair.json"))
    args = parser.parse_args()
    small, big = seed_means(args.small, "run 13"), seed_means(args.reference, "run 12")
    if small is None or big is None:
        return 1
    print("64 units per direction (run 13):")
    print_table(small)
    print("\n128 units per direction (run 12):")
    print_table(big)

    def dev(table: dict, row: str, corpus: str) -> float:
        return table[corpus][row]["dev f1@10"]

    vs_pair = {c: dev(small, "pair", c) - dev(big, "pair", c) for c in LEFT_OUT}
    vs_one = {c: dev(small, "pair", c) - dev(big, "member 1 alone", c) for c in LEFT_OUT}
    test_vs_pair = {c: small[c]["pair"]["test f1@10"] - big[c]["pair"]["test f1@10"] for c in LEFT_OUT}
    rules = {"1_mean_at_most_half_a_point_below_the_pair": mean(vs_pair.values()) >= -BELOW_PAIR - 1e-9,
             "2_no_corpus_over_1_point_below_the_pair": min(vs_pair.values()) >= -WORST - 1e-9,
             "3_at_least_1_point_above_one_128_unit_tagger": mean(vs_one.values()) >= OVER_ONE - 1e-9}
    go_on = all(rules.values())
    for label, diff in (("small pair - run 12's pair, dev", vs_pair),
                        ("small pair - run 12's member 1 alone, dev", vs_one),
                        ("small pair - run 12's pair, test (reported)", test_vs_pair)):
        print(f"\n{label}, F1@10 points: " + ", ".join(f"{c} {100 * d:+.2f}" for c, d in diff.items())
              + f"; mean {100 * mean(diff.values()):+.2f}", end="")
    print()
    for rule, held in rules.items():
        print(f"  rule {rule}: {'holds' if held else 'fails'}")
    print("the small pair goes on to the full recipe" if go_on else "the small pair is not pursued")
    args.json.write_text(json.dumps({
        "small": [str(p) for p in args.small], "reference": [str(p) for p in args.reference],
        "small_table": rounded(small), "reference_table": rounded(big),
        "dev_f1@10_vs_pair": {c: round(d, 4) for c, d in vs_pair.items()},
        "dev_f1@10_vs_member_1": {c: round(d, 4) for c, d in vs_one.items()},
        "test_f1@10_vs_pair": {c: round(d, 4) for c, d in test_vs_pair.items()},
        "rules": rules, "go_on_to_full_recipe": go_on,
    }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
