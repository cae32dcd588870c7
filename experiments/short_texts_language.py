"""Which language ``--lang auto`` reads short texts in: the rule before the thirty-ninth
session (every text of under 20 words in the fallback) against the library's rule since, which
reads a text of 6 to 19 words in another language when that language's stop words outnumber
the fallback's by two (docs/other-languages.md, "Short texts under --lang auto": the plan and
the measurement that adopted it).

    python experiments/short_texts_language.py [--data ../shared/datasets] [--json docs/short-texts-language.json]

Short texts are made from the dev splits of the shared corpora: each dev text cut after its
6th, 10th and 15th alphabetic word, and its first sentence when that has 6 to 19 alphabetic
words. Each is read with English as the fallback, by ``old_rule`` and by ``candidate`` (the
library's ``detect_language``, as ``kwextract.language_of`` reads a text), and compared with
the corpus's language (its lines' ``"lang"``, else English). The script prints the rule's verdict.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from kwextract.data import read_documents
from kwextract.language import GUARD_MIN_WORDS, GUARD_WORDS, SHORT_MARGIN, SHORT_MIN_WORDS, detect_language
from kwextract.tokenize import LANGUAGE_SAMPLE_CHARS, Tokenizer, shared_tokenizer

CUTS = (6, 10, 15)
FALLBACK = "en"


def old_rule(words: tuple[str, ...], fallback: str) -> str:
    """``detect_language`` as it was: a text of under GUARD_MIN_WORDS alphabetic words is read
    in the fallback (from 20 words on, the two rules are the same)."""
    if sum(w.isalpha() for w in words[:GUARD_WORDS]) < GUARD_MIN_WORDS:
        return fallback
    return detect_language(words, fallback)


def candidate(words: tuple[str, ...], fallback: str) -> str:
    """The rule measured, now the library's (``language.detect_language``: SHORT_MIN_WORDS,
    SHORT_MARGIN)."""
    return detect_language(words, fallback)


def short_texts(text: str, tokenizer: Tokenizer) -> dict[str, str]:
    """The short texts made of one dev text, by kind."""
    tokens = tokenizer(text)
    alphabetic = [i for i, w in enumerate(tokens.words) if w.isalpha()]
    made = {f"first {n} words": text[:tokens.ends[alphabetic[n - 1]]] for n in CUTS if len(alphabetic) >= n}
    second = next((i for i in range(1, len(tokens)) if tokens.sentence_starts[i]), len(tokens))
    first_sentence = sum(tokens.words[i].isalpha() for i in range(second))
    if SHORT_MIN_WORDS <= first_sentence < GUARD_MIN_WORDS:
        made["first sentence"] = text[:tokens.ends[second - 1]]
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--json", type=Path, default=Path("docs/short-texts-language.json"))
    args = parser.parse_args()
    reader = shared_tokenizer(FALLBACK)
    results: dict = {"fallback": FALLBACK, "short_min_words": SHORT_MIN_WORDS, "margin": SHORT_MARGIN, "corpora": {}}
    pooled: dict[str, Counter] = {}
    for path in sorted(args.data.glob("*/dev.jsonl")):
        docs = read_documents(path)
        with path.open(encoding="utf-8") as lines:  # a corpus's lines name one language: the first says which
            lang = json.loads(lines.readline() or "{}").get("lang", "en")
        own = shared_tokenizer(lang)
        counts: dict[str, Counter] = {}
        for doc in docs:
            for kind, text in short_texts(doc.text, own).items():
                words = reader(text[:LANGUAGE_SAMPLE_CHARS]).words
                now, new = old_rule(words, FALLBACK), candidate(words, FALLBACK)
                c = counts.setdefault(kind, Counter())
                c.update({"texts": 1, "now_right": now == lang, "candidate_right": new == lang})
                group = pooled.setdefault("en" if lang == "en" else lang, Counter())
                group.update({"texts": 1, "now_right": now == lang, "candidate_right": new == lang})
        results["corpora"][path.parent.name] = {"lang": lang, **{k: dict(v) for k, v in counts.items()}}
        for kind, c in counts.items():
            print(f"{path.parent.name:12s} {kind:16s} {c['texts']:4d} texts: old rule {c['now_right'] / c['texts']:6.1%} "
                  f"in {lang!r}, candidate {c['candidate_right'] / c['texts']:6.1%}", flush=True)
    shares = {lang: {"texts": c["texts"], "now": c["now_right"] / c["texts"], "candidate": c["candidate_right"] / c["texts"]}
              for lang, c in pooled.items()}
    results["pooled"] = shares
    wrong_en = 1 - shares["en"]["candidate"]
    rule1 = wrong_en <= 0.005
    rule2 = all(shares[lang]["candidate"] >= 0.75 for lang in ("pt", "fr"))
    results["decision"] = {"english_read_otherwise": round(wrong_en, 4), "rule_1": rule1, "rule_2": rule2,
                           "adopted": rule1 and rule2}
    for lang, s in shares.items():
        print(f"pooled {lang}: {s['texts']} texts, old rule {s['now']:.1%} read in it, candidate {s['candidate']:.1%}")
    print(f"rule 1 (English short texts read otherwise at most 0.5 %: {wrong_en:.2%}) {'holds' if rule1 else 'fails'}; "
          f"rule 2 (Portuguese and French at least 75 %) {'holds' if rule2 else 'fails'}: "
          f"{'adopted' if rule1 and rule2 else 'not adopted'}")
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
