"""Several trained taggers read as one model: their span marginals are averaged.

Two taggers trained alike but from different seeds agree on most spans and make partly
different mistakes; the mean of their marginals varies less than either (on the dev sets,
a seed alone moved one file's F1@M by 10 points: docs/default-model.md). Each member keeps
its own vocabularies, windows and weights and scores a document on its own. A span
occurrence's ensemble marginal is the mean over members, a member that scored it under the
candidate floor counting 0; a span is in the ensemble's best tag sequence when it is in
that of at least half the members. From there an ensemble is ranked like a single model,
with its own settings and phrase scorer, chosen by ``calibrate`` on the averaged marginals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .calibrate import calibrate
from .config import ModelConfig
from .data import Document
from .errors import InputError
from .extractor import Extractor, KeyphraseExtractor
from .memory import LONG_TEXT_TOKENS, release_free_memory
from .phrase_scorer import PhraseScorer
from .ranking import ScoredSpan, SpanList
from .tokenize import TokenizedText


class EnsembleExtractor(Extractor):
    """Taggers whose span marginals are averaged, ranked with the ensemble's own settings.

    ``config`` holds the ranking settings (aggregation, candidate floor, selection); its
    network fields are the first member's and are not used: each member reads its own."""

    def __init__(
        self,
        members: Sequence[KeyphraseExtractor],
        config: ModelConfig | None = None,
        meta: dict[str, Any] | None = None,
        phrase_scorer: PhraseScorer | None = None,
    ) -> None:
        if len(members) < 2:
            raise InputError(f"an ensemble needs at least two member models, got {len(members)}")
        self.members = list(members)
        self._config = config if config is not None else self.members[0].config
        self.phrase_scorer = phrase_scorer
        self.meta = dict(meta or {})
        self.tokenizer = self.members[0].tokenizer

    @property
    def config(self) -> ModelConfig:
        return self._config

    @config.setter
    def config(self, value: ModelConfig) -> None:
        self._config = value

    @property
    def taggers(self) -> list[KeyphraseExtractor]:
        return self.members

    def word_idf(self) -> Callable[[str], float]:
        """The first member's corpus IDF (members trained on the same data share it)."""
        return self.members[0].word_idf()

    def score_spans(
        self, documents: list[TokenizedText], batch_size: int = 64, min_prob: float | None = None
    ) -> tuple[list[SpanList], list[set[tuple[int, int]]]]:
        """The members' mean span marginals ≥ ``min_prob`` (default: the ensemble's
        ``candidate_min_prob``), and the spans in at least half the members' Viterbi paths."""
        floor = self.config.candidate_min_prob if min_prob is None else min_prob
        long_text = any(len(doc) > LONG_TEXT_TOKENS for doc in documents)
        # Members that read text alike (the bundled pair: one vocabulary) share one featurizing.
        first = self.members[0]
        arrays = [first.featurize(doc) for doc in documents] if all(map(first.reads_like, self.members[1:])) else None
        scored = []
        for member in self.members:  # each member's spans kept in parts (10 bytes a span) until averaged
            scored.append(member.score_span_parts(documents, batch_size, floor, arrays))
            if long_text:
                release_free_memory()  # what the member's batches left free, before the next one runs
        del arrays  # a long text's per-form arrays, before its spans are averaged
        spans, decoded = [], []
        for i in range(len(documents)):
            mean, viterbi = average_spans([SpanList.concatenate(list(member_parts[i])) for member_parts, _ in scored],
                                          [member_decoded[i] for _, member_decoded in scored], floor)
            spans.append(mean)
            decoded.append(viterbi)
        return spans, decoded


def average_spans(
    spans: Sequence[SpanList | Sequence[ScoredSpan]], decoded: Sequence[set[tuple[int, int]]],
    min_prob: float = 0.0,
) -> tuple[SpanList, set[tuple[int, int]]]:
    """One document's span occurrences from several members → their mean marginals that are
    at least ``min_prob`` (in text order; a member without a span counts 0), and the spans at
    least half decoded. A 10 MB text gives each member most of a million spans: they are
    matched through one sorted array of span keys, not a table of every member's spans."""
    members = [s if isinstance(s, SpanList) else SpanList.of(s) for s in spans]
    base = max(int(m.ends.max(initial=0)) for m in members) + 1

    def keys(m: SpanList) -> np.ndarray:  # one key per (start, end), sorting as text order does
        return m.starts.astype(np.int64) * base + m.ends

    unique = np.concatenate([keys(m) for m in members])
    unique.sort()
    unique = unique[np.concatenate([[True], unique[1:] != unique[:-1]])] if len(unique) else unique
    mean = np.zeros(len(unique))
    for m in members:  # sums in member order, as adding them one by one
        np.add.at(mean, np.searchsorted(unique, keys(m)), m.probs)
    mean /= len(members)
    keep = mean >= min_prob
    unique, mean = unique[keep], mean[keep]
    starts = (unique // base).astype(np.int32)
    unique %= base  # the ends, in place: a 10 MB text has most of a million spans
    votes: dict[tuple[int, int], int] = {}
    for member_decoded in decoded:
        for span in member_decoded:
            votes[span] = votes.get(span, 0) + 1
    return SpanList(starts, unique, mean), {span for span, n in votes.items() if 2 * n >= len(members)}


def build_ensemble(
    members: Sequence[Extractor],
    dev_sets: list[list[Document]],
    log: Callable[[str], None] = print,
    name: str = "ensemble",
    sources: Sequence[str] | None = None,
    dev_names: Sequence[str] = (),
    phrase_scorer: bool = True,
) -> EnsembleExtractor:
    """An ensemble of trained single models, calibrated on ``dev_sets``: the members' own
    phrase scorers were fitted to their own marginals, so the ensemble needs its own.
    ``sources`` (where each member came from) and ``dev_names`` go into its meta.json."""
    for i, member in enumerate(members):
        if not isinstance(member, KeyphraseExtractor):
            where = sources[i] if sources else f"member {i + 1}"
            raise InputError(f"{where} is itself an ensemble; pass its members (its member-N folders) instead")
    ensemble = EnsembleExtractor(list(members))  # type: ignore[arg-type]  (checked above)
    result = calibrate(ensemble, dev_sets, log=log, phrase_scorer=phrase_scorer)
    result.apply(ensemble)
    ensemble.meta = {
        "name": name,
        "description": f"Ensemble of {len(members)} taggers: a phrase's evidence is the mean of their probabilities "
                       "(kwextract ensemble).",
        "members": member_records(members, sources),
        "calibration": {**result.report, "dev_data": list(dev_names)},
    }
    return ensemble


def member_records(members: Sequence[Extractor], sources: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """What an ensemble's meta.json records of each member: where it came from, its name and
    its training (the model card lists them)."""
    return [{"source": sources[i] if sources else None, "name": m.meta.get("name"),
             "training": m.meta.get("training")} for i, m in enumerate(members)]
