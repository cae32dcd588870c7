"""Scored span occurrences → ranked, deduplicated keyphrases.

Score of a phrase. Each occurrence of a span gets its CRF marginal: the probability,
over all tag sequences, that exactly those tokens form one keyphrase. Occurrences whose
words share Porter stems ("neural network", "Neural Networks") are one phrase, and its
score is by default the noisy-or of its occurrences, 1 - prod(1 - p): the probability
that the model tags at least one occurrence, treating occurrences as independent. With
``aggregation="max"`` it is the best single occurrence instead. A model calibrated with a
phrase scorer (``phrase_scorer.py``) replaces that score by the probability its trees give
from the phrase's statistics (its noisy-or among them).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from .keyphrase import Keyphrase
from .language import rules
from .memory import LONG_TEXT_TOKENS, release_free_memory
from .normalize import occurrences, stems_of
from .phrase_scorer import Candidates, PhraseScorer, feature_blocks
from .surface import (SPAN_BREAK, breaks_after_short_line, crosses_sentence, cuts_hyphenated_word, dedup_key,
                      is_clean, is_section_label, letter_formulas, wrap_width)
from .tfidf import tfidf_scores
from .tokenize import TokenizedText, phrase_text


@dataclass(frozen=True, slots=True)  # slots: a long paper has tens of thousands of these
class ScoredSpan:
    """Tokens ``start:end`` of a document with their span marginal."""

    start: int
    end: int
    prob: float


class SpanList(Sequence[ScoredSpan]):
    """One document's scored span occurrences, in the order they were found, stored as three
    arrays (16 bytes a span: a 10 MB text has most of a million of them). Iterating yields
    ``ScoredSpan``s; ``rows`` yields plain ``(start, end, prob)`` tuples, faster."""

    def __init__(self, starts: Iterable[int] = (), ends: Iterable[int] = (), probs: Iterable[float] = ()) -> None:
        self.starts = np.asarray(starts, dtype=np.int32)
        self.ends = np.asarray(ends, dtype=np.int32)
        self.probs = np.asarray(probs, dtype=np.float64)
        if not len(self.starts) == len(self.ends) == len(self.probs):
            raise ValueError("a SpanList needs as many ends and probabilities as starts")

    @classmethod
    def of(cls, spans: Iterable[ScoredSpan]) -> SpanList:
        """The list of these spans (as they come)."""
        spans = list(spans)
        return cls([s.start for s in spans], [s.end for s in spans], [s.prob for s in spans])

    @classmethod
    def concatenate(cls, parts: Sequence[SpanList]) -> SpanList:
        if not parts:
            return cls()
        return cls(*(np.concatenate([getattr(part, name) for part in parts]) for name in ("starts", "ends", "probs")))

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return SpanList(self.starts[index], self.ends[index], self.probs[index])
        return ScoredSpan(int(self.starts[index]), int(self.ends[index]), float(self.probs[index]))

    def __iter__(self) -> Iterator[ScoredSpan]:
        return (ScoredSpan(*row) for row in self.rows())

    def rows(self, chunk: int = 65536) -> Iterator[tuple[int, int, float]]:
        """``(start, end, prob)`` of every span, made as Python values a chunk at a time."""
        for i in range(0, len(self), chunk):
            yield from zip(self.starts[i : i + chunk].tolist(), self.ends[i : i + chunk].tolist(),
                           self.probs[i : i + chunk].tolist())

    def above(self, min_prob: float) -> SpanList:
        """The spans whose probability is at least ``min_prob``, in the same order."""
        return self.where(self.probs >= min_prob)

    def where(self, keep: np.ndarray) -> SpanList:
        """The spans where ``keep`` (one bool per span) is true, in the same order."""
        return SpanList(self.starts[keep], self.ends[keep], self.probs[keep])


EXPECTED_F1_RULES = ("expected_f1", "exact_expected_f1")


def candidates(
    tokens: TokenizedText, stems: Sequence[str], spans: SpanList | Iterable[ScoredSpan], decoded: set[tuple[int, int]]
) -> Candidates:
    """Span occurrences merged by stems into candidate phrases, in order of first appearance.

    A span that starts or ends with a stop word (of the text's language) or a symbol is not a
    candidate. Each occurrence is visited once in Python (to find its phrase); the statistics
    are then summed per phrase with numpy, in the same order, a chunk of spans at a time."""
    return candidates_from_parts(tokens, stems, [spans if isinstance(spans, SpanList) else SpanList.of(spans)],
                                 decoded)


def candidates_from_parts(
    tokens: TokenizedText, stems: Sequence[str], parts: Iterable[SpanList], decoded: set[tuple[int, int]]
) -> Candidates:
    """``candidates`` of spans that come in parts (a batch of windows each), read one at a time:
    a part nobody else holds is freed once it is summed, so a long text's spans (most of a
    million) are never all held beside its candidates."""
    can_bound = _Memo(rules(tokens.lang).is_content)  # once per distinct word at a span's ends
    words = tokens.words
    number: dict[tuple[str, ...], int] = {}  # a phrase's stems → its number, in order of first appearance
    sums = _PhraseSums()
    read, long_text = 0, len(tokens) > LONG_TEXT_TOKENS
    for part in parts:
        if long_text and read // SPANS_AT_ONCE != (read + len(part)) // SPANS_AT_ONCE:
            release_free_memory()  # what the parts read so far held (phrases, small objects, never reuse it)
        read += len(part)
        for lo in range(0, len(part), SPANS_AT_ONCE):  # ufunc.at adds in order, as a loop over the spans would
            chunk = part[lo : lo + SPANS_AT_ONCE]
            ids = np.fromiter((number.setdefault(tuple(stems[s:e]), len(number))
                               if can_bound[words[s]] and can_bound[words[e - 1]] else -1
                               for s, e, _ in chunk.rows(SPAN_ROWS_AT_ONCE)), dtype=np.int32, count=len(chunk))
            is_candidate = ids >= 0
            sums.add(ids[is_candidate], chunk.where(is_candidate), decoded, len(number))
    return sums.candidates(number)


class _PhraseSums:
    """The statistics of each phrase's occurrences, summed as they come; the arrays grow (to
    twice their size) as new phrases appear."""

    FILLS = {"log_miss": 0.0, "best": 0.0, "total": 0.0, "first": np.iinfo(np.int64).max, "occurrences": 0,
             "viterbi": False}

    def __init__(self) -> None:
        self.arrays = {name: np.full(0, fill) for name, fill in self.FILLS.items()}

    def add(self, ids: np.ndarray, chunk: SpanList, decoded: set[tuple[int, int]], phrases: int) -> None:
        """Add the occurrences ``chunk`` of phrases ``ids`` (``phrases`` are known so far)."""
        if phrases > len(self.arrays["best"]):
            grown = max(phrases, 2 * len(self.arrays["best"]))
            for name, values in self.arrays.items():
                self.arrays[name] = np.concatenate([values, np.full(grown - len(values), self.FILLS[name])])
        a = self.arrays
        p = np.clip(chunk.probs, 0.0, 1.0 - 1e-12)
        np.add.at(a["log_miss"], ids, np.log1p(-p))
        np.maximum.at(a["best"], ids, p)
        np.add.at(a["total"], ids, p)
        np.add.at(a["occurrences"], ids, 1)
        np.minimum.at(a["first"], ids, chunk.starts)
        in_best_path = np.fromiter(((s, e) in decoded for s, e, _ in chunk.rows(SPAN_ROWS_AT_ONCE)), dtype=bool,
                                   count=len(chunk))
        np.logical_or.at(a["viterbi"], ids, in_best_path)

    def candidates(self, number: dict[tuple[str, ...], int]) -> Candidates:
        """The candidates numbered by ``number`` (every phrase added), with their sums."""
        a = {name: values[: len(number)].copy() for name, values in self.arrays.items()}
        return Candidates(number, a["first"], a["log_miss"], a["best"], a["total"], a["occurrences"], a["viterbi"])


class _Memo(dict):
    """A function's value per argument, computed when first looked up."""

    def __init__(self, function: Callable[[str], bool]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> bool:
        value = self[key] = self.function(key)
        return value


SPANS_AT_ONCE = 65536  # span occurrences summed at once (a 10 MB text has most of a million)
SPAN_ROWS_AT_ONCE = 4096  # span occurrences made Python values at once (each costs some 100 bytes so)


def rank(
    tokens: TokenizedText,
    spans: SpanList | Iterable[ScoredSpan],
    decoded: set[tuple[int, int]],
    top_k: int | None,
    min_score: float = 0.0,
    aggregation: str = "noisy_or",
    select_threshold: float | None = None,
    phrase_scorer: PhraseScorer | None = None,
    word_idf: Callable[[str], float] | None = None,
    selection: str = "threshold",
    tfidf_weight: float = 0.0,
) -> list[Keyphrase]:
    """Merge span occurrences into phrases (``candidates``) and rank them by score
    (``rank_candidates``, which says how)."""
    stems = stems_of(tokens)
    return rank_candidates(tokens, stems, candidates(tokens, stems, spans, decoded), top_k, min_score, aggregation,
                           select_threshold, phrase_scorer, word_idf, selection, tfidf_weight)


def rank_candidates(
    tokens: TokenizedText,
    stems: Sequence[str],
    found: Candidates,
    top_k: int | None,
    min_score: float = 0.0,
    aggregation: str = "noisy_or",
    select_threshold: float | None = None,
    phrase_scorer: PhraseScorer | None = None,
    word_idf: Callable[[str], float] | None = None,
    selection: str = "threshold",
    tfidf_weight: float = 0.0,
    evidence_idf: Callable[[str], float] | None = None,
) -> list[Keyphrase]:
    """A document's candidate phrases (``candidates``; ``stems``: its tokens' stems) ranked by score.

    With ``top_k=None`` the model decides how many keyphrases the document has. With
    ``selection="threshold"``: the phrases scored at least ``select_threshold`` (calibrated
    on dev data), or, without a threshold, the phrases of the best (Viterbi) tag sequence.
    With ``selection="expected_f1"``: the best-scored phrases, as many as maximise the
    document's expected F1 when each phrase is a keyphrase with its score as probability.
    ``phrase_scorer`` needs ``word_idf``, a token's corpus IDF.

    ``tfidf_weight`` w > 0 (with ``top_k``) re-ranks the FUSION_POOL best phrases by
    (score + w · tfidf / best tfidf among them) / (1 + w), ``tfidf`` being the TF-IDF
    baseline's score with ``word_idf`` (tfidf.py), or with ``evidence_idf`` where given (a
    text in another language than the model's: each word's rarity in the text's language,
    ``Extractor.tfidf_evidence``); that is the score they then carry.
    """
    if len(tokens) > LONG_TEXT_TOKENS:
        release_free_memory()  # what merging a long text's spans left free, before its features are made
    if phrase_scorer is not None and found:
        if word_idf is None:
            raise ValueError("a phrase scorer needs word_idf")
        probs = np.concatenate([phrase_scorer.predict(block) for block in
                                feature_blocks(found, tokens, word_idf, stems, phrase_scorer.columns)])
    else:
        probs = found.best if aggregation == "max" else found.noisy_or
    keys, first = found.keys, found.first
    ordered = np.lexsort((first, -probs))  # best first; ties: the phrase scored earlier, then the one found earlier
    if top_k is None and selection in EXPECTED_F1_RULES:  # the expectation weighs every clean phrase
        ordered = clean_keys(ordered, keys, first, tokens, stems)
    if top_k is not None or selection in EXPECTED_F1_RULES:
        chosen = ordered[probs[ordered] >= min_score]
    elif select_threshold is not None:
        chosen = ordered[probs[ordered] >= max(min_score, select_threshold)]
    else:
        chosen = ordered[found.viterbi[ordered] & (probs[ordered] >= min_score)]
    fuse = top_k is not None and tfidf_weight > 0
    if top_k is not None or selection not in EXPECTED_F1_RULES:
        # only as far down as will be returned (or re-ranked)
        chosen = clean_keys(chosen, keys, first, tokens, stems, limit=max(top_k, FUSION_POOL) if fuse else top_k)
    scores = {keys[c]: p for c, p in zip(chosen.tolist(), probs[chosen].tolist())}  # from here on, by phrase
    keys = list(scores)
    found_at: dict[tuple[str, ...], list[int]] | None = None
    if fuse:
        found_at = occurrences(stems, keys)  # of the whole pool: the kept keys are among them
        keys, scores = _fuse_tfidf(keys, scores, tokens, stems, found_at,
                                   evidence_idf or word_idf or (lambda word: 1.0), tfidf_weight)
    if top_k is not None:
        keys = keys[:top_k]
    elif selection == "expected_f1":
        keys = keys[: expected_f1_count([scores[k] for k in keys], sum(probs[ordered].tolist()))]
    elif selection == "exact_expected_f1":
        keys = keys[: exact_expected_f1_count(probs[ordered].tolist(), len(keys))]
    if found_at is None:
        found_at = occurrences(stems, keys)
    result = []
    for k in keys:
        at = found_at[k][0]
        start, end = tokens.starts[at], tokens.ends[at + len(k) - 1]
        result.append(Keyphrase(phrase_text(tokens, at, len(k)), round(scores[k], 6), start, end, len(found_at[k])))
    return result


FUSION_POOL = 50  # phrases re-ranked with TF-IDF evidence (ModelConfig.tfidf_weight)


def _fuse_tfidf(keys: list[tuple[str, ...]], scores: dict[tuple[str, ...], float], tokens: TokenizedText,
                stems: Sequence[str], found_at: dict[tuple[str, ...], list[int]], word_idf: Callable[[str], float],
                weight: float) -> tuple[list[tuple[str, ...]], dict[tuple[str, ...], float]]:
    """``keys`` (best first) re-ranked by their fused score, and the fused scores (see ``rank``);
    ``found_at``: each key's occurrences (``normalize.occurrences``)."""
    tfidf = tfidf_scores(tokens, stems, [(found_at[k][0], len(k), len(found_at[k])) for k in keys], word_idf)
    top = max(tfidf, default=0.0)
    fused = {k: (scores[k] + weight * (t / top if top > 0 else 0.0)) / (1.0 + weight) for k, t in zip(keys, tfidf)}
    order = sorted(range(len(keys)), key=lambda j: (-fused[keys[j]], j))  # ties: the model's order
    return [keys[j] for j in order], fused


def clean_keys(order: np.ndarray, keys: list[tuple[str, ...]], first: np.ndarray, tokens: TokenizedText,
               stems: Sequence[str], limit: int | None = None) -> np.ndarray:
    """``order`` (candidate numbers, best first) less the candidates whose surface is not clean
    (surface.py), that span a paragraph break or a tab in the text (``surface.SPAN_BREAK``) or
    a line break after a short line (``surface.breaks_after_short_line``), or run from one
    sentence into the next (``surface.crosses_sentence``), that
    head a section as its label at their first occurrence (``surface.is_section_label``), that
    occur only cut out of hyphenated words (``surface.cuts_hyphenated_word``: "CRI" where the
    text says "CRI-O"), that occur only in a letter's salutation or closing line or the
    signature under it (``surface.letter_formulas``: "Hi team,", "Best regards,"), or
    that repeat a better-ranked phrase up to case, whitespace and punctuation; at
    most ``limit`` of them. ``keys`` and ``first``: each candidate's stems and first token;
    ``stems``: the text's."""
    kept: list[int] = []
    seen: set[str] = set()
    width: float | None = None  # the text's wrap width, read when a candidate first spans a line break
    closings: list[tuple[int, int]] | None = None  # the text's salutation, closing and signature lines, read once
    for c in map(int, order):
        if limit is not None and len(kept) >= limit:
            break
        i = int(first[c])
        surface = phrase_text(tokens, i, len(keys[c]))
        start, end = tokens.starts[i], tokens.ends[i + len(keys[c]) - 1]
        if not is_clean(surface) or SPAN_BREAK.search(tokens.text, start, end) \
                or is_section_label(tokens.text, start, end) or crosses_sentence(tokens.words[i : i + len(keys[c])]):
            continue
        if tokens.text.find("\n", start, end) != -1:
            width = wrap_width(tokens.text) if width is None else width
            if breaks_after_short_line(tokens.text, start, end, width):
                continue
        if cuts_hyphenated_word(tokens.text, start, end) and _occurs_only(
                keys[c], tokens, stems, lambda s, e: cuts_hyphenated_word(tokens.text, s, e)):
            continue
        closings = letter_formulas(tokens.text) if closings is None else closings
        # the scored occurrence first: reading every occurrence is a pass over the whole text
        if _within(closings, start, end) and _occurs_only(keys[c], tokens, stems,
                                                           lambda s, e: _within(closings, s, e)):
            continue
        dedup = dedup_key(surface)
        if dedup not in seen:
            seen.add(dedup)
            kept.append(c)
    return np.array(kept, dtype=np.int64)


def _occurs_only(key: tuple[str, ...], tokens: TokenizedText, stems: Sequence[str],
                 where: Callable[[int, int], bool]) -> bool:
    """Whether every occurrence of ``key`` (a phrase's stems) in the text, as (start, end) in
    its characters, is ``where`` says: only cut out of hyphenated words, only in a letter's
    salutation or signature. A phrase that also stands elsewhere ("MPEG-7" of "MPEG-7-based"
    and of "MPEG-7 descriptors"; a team's name in the body and in the signature) is a phrase
    of the text, however the occurrence the tagger scored reads."""
    return all(where(tokens.starts[at], tokens.ends[at + len(key) - 1]) for at in occurrences(stems, [key])[key])


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` lies inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)


def expected_f1_count(probs: list[float], expected_gold: float) -> int:
    """How many of ``probs`` (best first) to keep to maximise the expected F1.

    Keeping the first n, the expected number of hits is sum(probs[:n]) and F1 = 2 hits /
    (n + gold); with ``expected_gold`` (the sum of every candidate's probability) in place of
    the gold count, E[F1] ≈ 2 sum(probs[:n]) / (n + expected_gold)."""
    best_n, best, hits = 0, 0.0, 0.0
    for n, p in enumerate(probs, start=1):
        hits += p
        value = 2 * hits / (n + expected_gold)
        if value > best:
            best_n, best = n, value
    return best_n


MAX_EXACT_SELECTION = 200  # the exact rule keeps at most this many phrases (its cost grows with the square)


def exact_expected_f1_count(probs: list[float], max_keep: int | None = None) -> int:
    """How many of ``probs`` (every candidate's, best first) to keep to maximise the expected
    F1, computed exactly when each candidate is a keyphrase independently with its probability.

    Keeping the first n, hits H (among them) and misses R (gold among the others) are
    Poisson-binomial; E[F1] = sum over h, r of P(H=h) P(R=r) 2h / (n + h + r), which unlike
    ``expected_f1_count``'s ratio of expectations counts how likely few gold phrases are
    (a document whose every candidate is doubtful). At most ``max_keep`` and
    MAX_EXACT_SELECTION are kept."""
    p = np.clip(np.asarray(probs, dtype=np.float64), 0.0, 1.0)
    limit = min(len(p), MAX_EXACT_SELECTION, len(p) if max_keep is None else max_keep)
    if limit == 0:
        return 0
    tail = p[limit:]
    size = int(tail.sum() + 10 * math.sqrt(float((tail * (1 - tail)).sum())) + 10) + limit
    misses = [np.zeros(size + 1)]  # misses[j]: distribution of gold among candidates limit - j onwards
    misses[0][0] = 1.0
    for q in tail:
        _add_bernoulli(misses[0], q)
    for q in p[limit - 1 :: -1]:
        misses.append(_add_bernoulli(misses[-1].copy(), q))
    hits = np.ones(1)
    best_n, best = 0, 0.0
    for n in range(1, limit + 1):
        hits = np.append(hits * (1 - p[n - 1]), 0.0) + np.append(0.0, hits * p[n - 1])
        rest = misses[limit - n]
        h, r = _support(hits), _support(rest)  # where the probability is (a few dozen counts, not hundreds)
        value = float(hits[h] @ (2 * h[:, None] / (n + h[:, None] + r[None, :])) @ rest[r])
        if value > best:
            best_n, best = n, value
    return best_n


def _support(dist: np.ndarray, floor: float = 1e-15) -> np.ndarray:
    """The counts from the first to the last whose probability exceeds ``floor``."""
    where = np.flatnonzero(dist > floor)
    return np.arange(where[0], where[-1] + 1) if len(where) else np.arange(1)


def _add_bernoulli(dist: np.ndarray, q: float) -> np.ndarray:
    """``dist`` (a count's distribution, truncated to its length) after adding a Bernoulli(q) count, in place."""
    dist[1:] = dist[1:] * (1 - q) + dist[:-1] * q
    dist[0] *= 1 - q
    return dist
