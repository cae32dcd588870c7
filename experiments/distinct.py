"""What `distinct=True` (no keyphrase inside another, kwextract/distinct.py) costs under the protocol.

    python experiments/distinct.py [--model default] [--data ../shared/datasets] [--split dev]

A measurement for the README, not a model choice: the option is the user's, off by default.
For each visible corpus's split, the protocol scores the model's top 10 (F1@5, F1@10) and own
selection (F1@M) as ``extract_tokenized`` returns them, without and with ``distinct=True`` (the
10 best of 30 phrases that hold no other and lie in no other; the selection less such
pieces), with how many phrases the distinct top 10 keeps on average.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from kwextract import load
from kwextract.data import read_documents
from kwextract.evaluate import ProtocolScorer, macro_scores

CORPORA = ("inspec", "semeval2010", "semeval2017", "kpcrowd", "kdd", "nguyen2007")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = load(args.model)
    scorer = ProtocolScorer(model.tokenizer)
    print(f"{'corpus':<14}{'docs':>6}  {'F1@5':>13}  {'F1@10':>13}  {'F1@M':>13}  phrases@10")
    for corpus in CORPORA:
        docs = read_documents(Path(args.data) / corpus / f"{args.split}.jsonl")
        tokens = model.tokenizer.pipe([d.text for d in docs])
        ranked = model.extract_tokenized(tokens, top_k=10)
        own = model.extract_tokenized(tokens, top_k=None)
        walked = model.extract_tokenized(tokens, top_k=10, distinct=True)  # what extract(..., distinct=True) gives
        walked_own = model.extract_tokenized(tokens, top_k=None, distinct=True)

        def scores(top: list, selection: list) -> dict[str, float]:
            return macro_scores(docs, tokens, lambda i, k: [kp.text for kp in (selection[i] if k is None else top[i])],
                                scorer)

        plain, walked_scores = scores(ranked, own), scores(walked, walked_own)
        cells = [f"{plain[m]:.3f} → {walked_scores[m]:.3f}" for m in ("f1@5", "f1@10", "f1@M")]
        kept = sum(map(len, walked)) / len(walked)
        print(f"{corpus:<14}{plain['docs']:>6}  " + "  ".join(cells) + f"  {kept:.1f}")


if __name__ == "__main__":
    main()
