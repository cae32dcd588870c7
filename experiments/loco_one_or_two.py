"""Run 12 of docs/unseen-domains.md: one tagger or two on unseen text, with two seeds of each recipe.

    python experiments/loco_one_or_two.py [--pairs docs/loco-ensemble-29a.json docs/loco-ensemble-29b.json]
        [--json docs/loco-one-or-two.json]

Reads what ``experiments/loco_ensemble.py --measure-only`` wrote for pair A (member 1 seed 13 +
member 2 seed 15) and pair B (member 1 seed 14 + member 2 seed 16): each left-out corpus's dev
and test scores of the pair, its first tagger alone and its second alone. Prints the table,
applies the rule written before the run (run 5's, on seed means) and writes both to ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from statistics import mean

LEFT_OUT = ("kpcrowd", "semeval2010", "nguyen2007")
GAIN = 0.01  # the pair's mean left-out dev F1@10 at least 1 point above member 1's
WORST = 0.01  # and on no left-out corpus more than 1 point below
ROWS = {"pair": ("pair",), "member 1 alone": ("first",), "member 2 alone": ("second",),
        "any single (4)": ("first", "second")}


def seed_means(paths: list[Path], run: str) -> dict | None:
    """Left-out dev/test F1@10 and F1@M of the pair, each member alone and any single tagger,
    averaged over the pairs in ``paths`` (loco_ensemble.py --measure-only JSONs), with TF-IDF
    and YAKE beside them; None (and a message) if a pair or corpus is missing."""
    try:
        runs = [json.loads(path.read_text())["left_out"] for path in paths]
    except FileNotFoundError as error:
        print(f"{run} is not complete: {error}", file=sys.stderr)
        return None
    missing = [(str(path), c) for path, scores in zip(paths, runs) for c in LEFT_OUT if c not in scores]
    if missing:
        print(f"{run} is not complete: no scores for {missing}", file=sys.stderr)
        return None

    def seed_mean(models: tuple[str, ...], corpus: str, split: str, key: str) -> float:
        return mean(scores[corpus][split][m][key] for scores in runs for m in models)

    table = {corpus: {row: {f"{split} {key}": seed_mean(models, corpus, split, key)
                            for split in ("dev", "test") for key in ("f1@10", "f1@M")}
                      for row, models in ROWS.items()}
             for corpus in LEFT_OUT}
    for corpus in LEFT_OUT:
        for baseline in ("tfidf", "yake"):
            table[corpus][baseline] = {f"{split} f1@10": runs[0][corpus][split][baseline]["f1@10"]
                                       for split in ("dev", "test")}
    return table


def print_table(table: dict) -> None:
    print(f"{'left out':<13}{'model':<17}{'dev F1@10':>10}{'dev F1@M':>10}{'test F1@10':>11}{'test F1@M':>10}"
          "   (means over the pairs)")
    for corpus in LEFT_OUT:
        for row, figures in table[corpus].items():
            print(f"{corpus:<13}{row:<17}" + "".join(
                f"{figures[key]:>{w}.4f}" if key in figures else " " * w
                for key, w in (("dev f1@10", 10), ("dev f1@M", 10), ("test f1@10", 11), ("test f1@M", 10))))


def rounded(table: dict) -> dict:
    return {c: {row: {k: round(v, 4) for k, v in figures.items()} for row, figures in rows.items()}
            for c, rows in table.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, nargs=2,
                        default=[Path("docs/loco-ensemble-29a.json"), Path("docs/loco-ensemble-29b.json")])
    parser.add_argument("--json", type=Path, default=Path("docs/loco-one-or-two.json"))
    args = parser.parse_args()
    table = seed_means(args.pairs, "run 12")
    if table is None:
        return 1
    print_table(table)

    gain = {c: table[c]["pair"]["dev f1@10"] - table[c]["member 1 alone"]["dev f1@10"] for c in LEFT_OUT}
    over_any = {c: table[c]["pair"]["dev f1@10"] - table[c]["any single (4)"]["dev f1@10"] for c in LEFT_OUT}
    test_gain = {c: table[c]["pair"]["test f1@10"] - table[c]["member 1 alone"]["test f1@10"] for c in LEFT_OUT}
    rules = {"mean_dev_gain_at_least_1_point": mean(gain.values()) >= GAIN - 1e-9,
             "no_corpus_below_minus_1_point": min(gain.values()) >= -WORST - 1e-9}
    pair_stays = all(rules.values())
    print("\npair - member 1 alone, dev F1@10 points: "
          + ", ".join(f"{c} {100 * g:+.2f}" for c, g in gain.items()) + f"; mean {100 * mean(gain.values()):+.2f}")
    print("pair - any single (reading only):        "
          + ", ".join(f"{c} {100 * g:+.2f}" for c, g in over_any.items()) + f"; mean {100 * mean(over_any.values()):+.2f}")
    print("pair - member 1 alone, test (reported):  "
          + ", ".join(f"{c} {100 * g:+.2f}" for c, g in test_gain.items()) + f"; mean {100 * mean(test_gain.values()):+.2f}")
    for rule, held in rules.items():
        print(f"  rule {rule}: {'holds' if held else 'fails'}")
    print("the pair stays the bundled default" if pair_stays else "the bundled default becomes member 1 alone")
    args.json.write_text(json.dumps({
        "pairs": [str(p) for p in args.pairs], "table": rounded(table),
        "dev_f1@10_gain_over_member_1": {c: round(g, 4) for c, g in gain.items()},
        "dev_f1@10_gain_over_any_single": {c: round(g, 4) for c, g in over_any.items()},
        "test_f1@10_gain_over_member_1": {c: round(g, 4) for c, g in test_gain.items()},
        "rules": rules, "pair_stays_default": pair_stays,
    }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
