"""Runs 10, 14 and 15 of docs/unseen-domains.md: does a single-tagger recipe beat member 1's on
text of unseen corpora? Run 10: word dropout 0.25 (the default ``--candidate``); run 14: no word
identities; run 15: each word's rarity in general English, against baselines retrained by that
session's code (``--baseline``).

    python experiments/loco_word_dropout.py [--loco docs/loco.json] [--runs runs/loco]
        [--json docs/loco-word-dropout.json]
    python experiments/loco_word_dropout.py --candidate "no word identities=noword-s{seed}"
        --in-domain-rule-off --json docs/loco-noword.json
    python experiments/loco_word_dropout.py --loco docs/loco-rarity.json --baseline "baseline-36-s{seed}"
        --candidate "general rarity=rarity-s{seed}" --json docs/loco-rarity-rule.json

Reads what ``experiments/leave_one_corpus_out.py`` wrote for the baseline's variants
(``baseline-28-sS`` unless ``--baseline``) and the candidate's (seeds 13 and 14; the commands are in docs/unseen-domains.md): each left-out
corpus's dev and test scores from ``--loco``, and each tagger's in-domain early-stopping score
(``best_dev_f1_10`` in its meta.json under ``--runs``: its five training corpora's dev splits).
Prints the table, applies the rule written before the run, and writes both to ``--json``.
Every figure of the rule is the mean of the two seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from statistics import mean

LEFT_OUT = ("kpcrowd", "semeval2010", "nguyen2007")
SEEDS = (13, 14)
GAIN = 0.01  # rule (1): mean left-out dev F1@10 at least 1 point above the baseline's
WORST = 0.01  # rule (2): no left-out corpus's dev F1@10 more than 1 point below
IN_DOMAIN = 0.005  # rule (3): in-domain best_dev_f1_10 no more than 0.5 point below


def figures(loco: dict, runs: Path, variant: str) -> dict:
    """One tagger recipe and seed: left-out dev/test F1@10 and F1@M, baselines, in-domain score."""
    results = loco[variant]["results"]
    out = {}
    for corpus in LEFT_OUT:
        r = results[corpus]
        meta = json.loads((runs / variant / f"without-{corpus}" / "meta.json").read_text())
        out[corpus] = {
            "dev_f1@10": r["dev"]["kwextract"]["f1@10"], "dev_f1@M": r["dev"]["kwextract"]["f1@M"],
            "test_f1@10": r["kwextract"]["f1@10"], "test_f1@M": r["kwextract"]["f1@M"],
            "dev_tfidf_f1@10": r["dev"]["tfidf"]["f1@10"], "test_tfidf_f1@10": r["tfidf"]["f1@10"],
            "test_yake_f1@10": r["yake"]["f1@10"],
            "in_domain_best_dev_f1_10": meta["training"]["best_dev_f1_10"],
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loco", type=Path, default=Path("docs/loco.json"))
    parser.add_argument("--runs", type=Path, default=Path("runs/loco"))
    parser.add_argument("--json", type=Path, default=Path("docs/loco-word-dropout.json"))
    parser.add_argument("--candidate", default="word dropout 0.25=wd25-s{seed}",
                        help="NAME=VARIANT the recipe under test ({seed} stands for the seed)")
    parser.add_argument("--baseline", default="baseline-28-s{seed}",
                        help="VARIANT of member 1's recipe compared with ({seed} stands for the seed)")
    parser.add_argument("--in-domain-rule-off", action="store_true",
                        help="rule (3) reported, not applied (run 14's rule has only (1) and (2))")
    args = parser.parse_args()
    cand, variant = args.candidate.split("=", 1)
    base = "baseline"
    recipes = {base: args.baseline, cand: variant}
    loco = json.loads(args.loco.read_text())
    try:
        by = {name: {seed: figures(loco, args.runs, pattern.format(seed=seed)) for seed in SEEDS}
              for name, pattern in recipes.items()}
    except (KeyError, FileNotFoundError) as missing:
        print(f"not every tagger of the run is trained and scored yet ({missing})", file=sys.stderr)
        return 1

    def seed_mean(name: str, corpus: str, key: str) -> float:
        return mean(by[name][seed][corpus][key] for seed in SEEDS)

    print(f"{'left out':<13}{'recipe':<19}{'dev F1@10':>10}{'dev F1@M':>10}{'test F1@10':>11}{'test F1@M':>10}"
          f"{'in-domain':>10}   (means of seeds {SEEDS[0]} and {SEEDS[1]})")
    for corpus in LEFT_OUT:
        for name in recipes:
            print(f"{corpus:<13}{name[:18]:<19}" + "".join(
                f"{seed_mean(name, corpus, key):>{w}.4f}" for key, w in
                (("dev_f1@10", 10), ("dev_f1@M", 10), ("test_f1@10", 11), ("test_f1@M", 10),
                 ("in_domain_best_dev_f1_10", 10))))
        print(f"{corpus:<13}{'TF-IDF, YAKE':<19}{seed_mean('baseline', corpus, 'dev_tfidf_f1@10'):>10.4f}{'':>10}"
              f"{seed_mean('baseline', corpus, 'test_tfidf_f1@10'):>11.4f}  YAKE {seed_mean('baseline', corpus, 'test_yake_f1@10'):.4f}")

    change = {c: seed_mean(cand, c, "dev_f1@10") - seed_mean(base, c, "dev_f1@10") for c in LEFT_OUT}
    in_domain = {name: mean(by[name][s][c]["in_domain_best_dev_f1_10"] for s in SEEDS for c in LEFT_OUT)
                 for name in recipes}
    rules = {
        "1_mean_left_out_dev_gain_at_least_1_point": mean(change.values()) >= GAIN,
        "2_no_left_out_dev_loss_over_1_point": min(change.values()) >= -WORST,
        "3_in_domain_loss_at_most_half_a_point": in_domain[cand] - in_domain[base] >= -IN_DOMAIN,
    }
    applied = {k: v for k, v in rules.items() if not (args.in_domain_rule_off and k.startswith("3_"))}
    adopted = all(applied.values())
    print("\nchange of left-out dev F1@10, points: " + ", ".join(f"{c} {100 * d:+.2f}" for c, d in change.items())
          + f"; mean {100 * mean(change.values()):+.2f}")
    print(f"in-domain best_dev_f1_10: baseline {in_domain[base]:.4f}, {cand} {in_domain[cand]:.4f} "
          f"({100 * (in_domain[cand] - in_domain[base]):+.2f} points)")
    for rule, held in rules.items():
        print(f"  rule {rule}: {'holds' if held else 'fails'}{'' if rule in applied else ' (reported only)'}")
    print("adopted" if adopted else "not adopted")
    args.json.write_text(json.dumps({
        "recipes": recipes, "seeds": SEEDS, "by_recipe_seed_corpus": by,
        "dev_f1@10_change_by_corpus": {c: round(d, 4) for c, d in change.items()},
        "in_domain_best_dev_f1_10": {k: round(v, 4) for k, v in in_domain.items()},
        "rules": rules, "adopted": adopted,
    }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
