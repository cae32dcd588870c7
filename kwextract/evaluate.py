"""The evaluation protocol: present keyphrases, stems, P/R/F1 at 5, 10 and M.

Gold and predicted phrases are lowercased, tokenized with kwextract's tokenizer and
stemmed in the tokenizer's language (Porter for English, Snowball for the others); a prediction matches a gold phrase when the stem sequences are equal.
Only gold phrases present in the (stemmed) document count, predictions are deduplicated
after normalisation in rank order, P@k divides by k, and scores are macro-averaged over
the documents that have at least one present gold phrase.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .data import Document
from .extractor import Extractor
from .keyphrase import Keyphrase
from .language import rules, warn_if_another_language
from .normalize import stems_of
from .phrase_scorer import PhraseScorer
from .ranking import candidates, rank_candidates
from .tokenize import TokenizedText, Tokenizer

CUTOFFS: tuple[int | None, ...] = (5, 10, None)  # None = M, every prediction


def _label(k: int | None) -> str:
    return "M" if k is None else str(k)


def _contains(sequence: Sequence[str], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(tuple(sequence[i : i + n]) == part for i in range(len(sequence) - n + 1))


@dataclass
class ProtocolScorer:
    """Scores ranked phrase lists of documents against their gold keyphrases."""

    tokenizer: Tokenizer

    def key(self, phrase: str) -> tuple[str, ...]:
        stemmer = rules(self.tokenizer.lang).stem
        return tuple(stemmer(w) for w in self.tokenizer.words(phrase))

    def present_gold(self, doc: Document, tokens: TokenizedText) -> set[tuple[str, ...]]:
        stems = list(stems_of(tokens))  # a list: _contains slices it at every position
        keys = {self.key(p) for p in doc.keyphrases}
        return {k for k in keys if k and _contains(stems, k)}

    def score(self, gold: set[tuple[str, ...]], predicted: list[str], k: int | None) -> tuple[float, float, float]:
        seen: list[tuple[str, ...]] = []
        for phrase in predicted:
            key = self.key(phrase)
            if key and key not in seen:
                seen.append(key)
        top = seen if k is None else seen[:k]
        hits = sum(1 for key in top if key in gold)
        denominator = len(top) if k is None else k
        p = hits / denominator if denominator else 0.0
        r = hits / len(gold)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def macro_scores(
    docs: list[Document],
    tokens: list[TokenizedText],
    predict: Callable[[int, int | None], list[str]],
    scorer: ProtocolScorer,
    cutoffs: tuple[int | None, ...] = CUTOFFS,
) -> dict[str, float]:
    """Macro P/R/F1 at each cutoff; ``predict(i, k)`` returns document i's ranked phrases."""
    sums = {f"{m}@{_label(k)}": 0.0 for k in cutoffs for m in ("p", "r", "f1")}
    counted = 0
    for i, doc in enumerate(docs):
        gold = scorer.present_gold(doc, tokens[i])
        if not gold:
            continue
        counted += 1
        for k in cutoffs:
            p, r, f = scorer.score(gold, predict(i, k), k)
            sums[f"p@{_label(k)}"] += p
            sums[f"r@{_label(k)}"] += r
            sums[f"f1@{_label(k)}"] += f
    result = {name: (value / counted if counted else 0.0) for name, value in sums.items()}
    result["docs"] = counted
    return result


@dataclass
class ScoredDocuments:
    """Documents with the model's span scores computed once, to rank under several settings."""

    docs: list[Document]
    tokens: list[TokenizedText]
    spans: list
    decoded: list
    word_idf: Callable[[str], float]  # the extractor's, for the phrase scorer

    @classmethod
    def of(cls, extractor: Extractor, docs: list[Document], batch_size: int = 64,
           min_prob: float | None = None) -> "ScoredDocuments":
        """Score ``docs`` once, keeping span occurrences down to ``min_prob`` (default: the
        model's candidate floor)."""
        tokens = extractor.tokenizer.pipe([d.text for d in docs])
        warn_if_another_language(tokens, [d.id for d in docs])  # once: the same line warns each epoch
        spans, decoded = extractor.score_spans(tokens, batch_size, min_prob)
        return cls(docs, tokens, spans, decoded, extractor.word_idf())

    def spans_above(self, min_prob: float) -> list:
        """Each document's span occurrences with marginal at least ``min_prob``."""
        return [doc.above(min_prob) for doc in self.spans] if min_prob > 0 else self.spans

    def scores(self, scorer: ProtocolScorer, aggregation: str, select_threshold: float | None,
               cutoffs: tuple[int | None, ...] = CUTOFFS, min_prob: float = 0.0,
               phrase_scorer: PhraseScorer | Sequence[PhraseScorer] | None = None,
               selection: str = "threshold", tfidf_weight: float = 0.0,
               evidence_idf: Callable[[str], float] | None = None,
               fill: Callable[[list[TokenizedText], list[list[Keyphrase]]], list[list[Keyphrase]]] | None = None,
               ) -> dict[str, float]:
        """Protocol scores under these ranking settings (``min_prob`` drops weaker occurrences;
        ``phrase_scorer`` may be one per document, as in calibrate's cross-fitting;
        ``tfidf_weight`` and ``evidence_idf`` as ``Extractor.tfidf_evidence`` gives them; ``fill``
        completes the top 10s as ``Extractor.filled`` does)."""
        spans = self.spans_above(min_prob)
        per_doc = phrase_scorer if isinstance(phrase_scorer, Sequence) else [phrase_scorer] * len(self.docs)

        stems = [stems_of(t) for t in self.tokens]
        found = [candidates(t, stems[i], spans[i], self.decoded[i]) for i, t in enumerate(self.tokens)]

        def ranked_at(k: int | None) -> list:  # both cutoffs rank the same candidates
            return [rank_candidates(t, stems[i], found[i], k, 0.0, aggregation, select_threshold, per_doc[i],
                                    self.word_idf, selection, tfidf_weight, evidence_idf)
                    for i, t in enumerate(self.tokens)]

        ranked = ranked_at(10) if any(k is not None for k in cutoffs) else []
        if fill is not None and ranked:
            ranked = fill(self.tokens, ranked)
        own = ranked_at(None) if None in cutoffs else []

        def predict(i: int, k: int | None) -> list[str]:
            return [kp.text for kp in (own[i] if k is None else ranked[i])]

        return macro_scores(self.docs, self.tokens, predict, scorer, cutoffs)


def evaluate(extractor: Extractor, docs: list[Document], batch_size: int = 64) -> dict[str, float]:
    """The protocol's scores of a model: its top 10 for @5/@10 as ``extract(top_k=10)`` returns
    it (filled, ``Extractor.filled``), its own selection for @M."""
    scored = ScoredDocuments.of(extractor, docs, batch_size)
    config = extractor.config
    weight, evidence_idf = extractor.tfidf_evidence(extractor.tokenizer.lang)
    return scored.scores(ProtocolScorer(extractor.tokenizer), config.aggregation, config.select_threshold,
                         phrase_scorer=extractor.phrase_scorer, selection=config.selection,
                         tfidf_weight=weight, evidence_idf=evidence_idf,
                         fill=lambda tokens, ranked: extractor.filled(tokens, ranked, 10, 0.0, batch_size))
