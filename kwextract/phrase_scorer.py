"""A phrase's score learned from the tagger's own statistics.

The CRF gives each span *occurrence* a marginal probability. Whether a *phrase* is a
keyphrase depends on more than that: how many of its occurrences the model scored and how
high, where it first occurs, whether the best (Viterbi) tag sequence holds it, whether a
longer phrase around it or a shorter one inside it scored higher, how much probability
the whole document spreads over candidates. A small ensemble of gradient-boosted trees
(scikit-learn's ``HistGradientBoostingClassifier``) maps these statistics to the
probability that the phrase is a gold keyphrase.

It is fitted by ``calibrate`` on the model's predictions for *dev* documents: on its own
training documents the tagger's marginals are over-confident. The fitted trees are stored
as plain arrays (``phrase_scorer.pt``, tensors only) and evaluated with numpy, so loading a
model never unpickles a scikit-learn object.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import torch

from .language import rules
from .memory import release_free_memory
from .normalize import occurrences, stems_of
from .tokenize import TokenizedText

# One row per candidate phrase of a document, in this order. Saved trees address columns by
# index, so a new feature goes at the end (older trees then simply never test it).
PHRASE_FEATURES = (
    "noisy_or",  # 1 - prod(1 - p) over the phrase's scored occurrences
    "max_marginal",  # its best occurrence
    "sum_marginal",  # expected number of its occurrences tagged as a keyphrase
    "scored_occurrences",  # occurrences with marginal >= candidate_min_prob
    "viterbi",  # 1 if the best tag sequence holds it
    "length",  # tokens
    "first_position",  # first scored occurrence / document length
    "first_token",  # first scored occurrence, token index
    "mean_idf",  # corpus IDF of its words (the tagger's own IDF table)
    "log_doc_tokens",
    "doc_noisy_or_sum",  # how much probability the document spreads over all candidates
    "rank",  # rank by noisy_or within the document (0 = best)
    "relative",  # noisy_or / best noisy_or of the document
    "inside_better",  # a longer candidate holding it scored at least as high
    "contains_better",  # a shorter candidate inside it scored at least as high
    "max_outer",  # best noisy_or of longer candidates holding it
    "max_inner",  # best noisy_or of shorter candidates inside it
    "sum_outer",
    "line_breaks",  # line breaks inside its first scored occurrence (hard-wrapped text has many)
    "crosses_first_line",  # that occurrence runs from the first line (often a title) into the next
    # Added later: whole-text statistics, whether or not the tagger scored an occurrence.
    "log_frequency",  # log(1 + occurrences of its stems anywhere in the text)
    "scored_share",  # scored_occurrences / occurrences in the text
    "spread",  # (last occurrence - first occurrence) / document length
    "in_first_sentence",  # it occurs in the first sentence (a title, or a news lead)
    "min_idf",
    "max_idf",
    "log_head_frequency",  # log(1 + occurrences of its last word's stem): how central its head noun is
    "capitalised",  # share of its words (first occurrence) that start with a capital letter
    # Added later (issue 18): the TF-IDF baseline's score, so that trees can fall back on it
    # where the tagger is unsure (text unlike its training data).
    "tfidf",  # as kwextract.unsupervised.TfidfScorer scores it, with the tagger's IDF table
    "tfidf_rank",  # rank by tfidf within the document (0 = best)
    "tfidf_relative",  # tfidf / best tfidf of the document
)
FIRST_FEATURES = 20  # the features of models calibrated before the whole-text statistics


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase (its stems) with the statistics of its scored occurrences: one row of ``Candidates``."""

    key: tuple[str, ...]
    first: int  # token index of its first scored occurrence
    log_miss: float = 0.0  # sum of log(1 - p): noisy-or = 1 - exp(log_miss)
    best: float = 0.0
    total: float = 0.0
    occurrences: int = 0
    viterbi: bool = False

    @property
    def noisy_or(self) -> float:
        return -math.expm1(self.log_miss)


class Candidates(Sequence[Candidate]):
    """A document's candidate phrases, in order of first appearance, with the statistics of
    their scored occurrences as parallel arrays: a 10 MB text has 100,000s of them, and as
    objects each would cost some 250 bytes. Indexing or iterating yields ``Candidate`` rows."""

    def __init__(self, keys: Iterable[tuple[str, ...]], first: Iterable[int], log_miss: Iterable[float],
                 best: Iterable[float], total: Iterable[float], occurrences: Iterable[int],
                 viterbi: Iterable[bool]) -> None:
        self.keys = list(keys)
        self.first = np.asarray(first, dtype=np.int64).reshape(-1)
        self.log_miss = np.asarray(log_miss, dtype=np.float64).reshape(-1)
        self.best = np.asarray(best, dtype=np.float64).reshape(-1)
        self.total = np.asarray(total, dtype=np.float64).reshape(-1)
        self.occurrences = np.asarray(occurrences, dtype=np.int64).reshape(-1)
        self.viterbi = np.asarray(viterbi, dtype=bool).reshape(-1)
        if any(len(a) != len(self.keys) for a in (self.first, self.log_miss, self.best, self.total,
                                                   self.occurrences, self.viterbi)):
            raise ValueError("Candidates need one value of each statistic per key")

    @classmethod
    def of(cls, rows: Iterable[Candidate]) -> Candidates:
        """The candidates of these rows, in their order."""
        rows = list(rows)
        return cls(*([getattr(c, name) for c in rows] for name in
                      ("key", "first", "log_miss", "best", "total", "occurrences", "viterbi")))

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return Candidates.of(self[i] for i in range(*index.indices(len(self))))
        return Candidate(self.keys[index], int(self.first[index]), float(self.log_miss[index]),
                         float(self.best[index]), float(self.total[index]), int(self.occurrences[index]),
                         bool(self.viterbi[index]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Candidates) and list(self) == list(other)

    @property
    def noisy_or(self) -> np.ndarray:
        """1 - prod(1 - p) over each phrase's scored occurrences."""
        return -np.expm1(self.log_miss)


def phrase_features(
    candidates: Candidates | Sequence[Candidate], tokens: TokenizedText, word_idf: Callable[[str], float],
    stems: Sequence[str] | None = None, columns: int = len(PHRASE_FEATURES),
) -> np.ndarray:
    """The first ``columns`` of the PHRASE_FEATURES matrix, shape (len(candidates), columns),
    for the candidates of one document; ``word_idf`` gives a token's corpus IDF, ``stems``
    the tokens' Porter stems (computed when needed and not given). The whole-text
    statistics after FIRST_FEATURES are computed only when ``columns`` asks for them."""
    blocks = list(feature_blocks(candidates, tokens, word_idf, stems, columns))
    return np.concatenate(blocks) if blocks else np.zeros((0, columns))


ROWS_AT_ONCE = 4096  # feature rows made at once (a long text has 100,000s of candidates)


def feature_blocks(
    candidates: Candidates | Sequence[Candidate], tokens: TokenizedText, word_idf: Callable[[str], float],
    stems: Sequence[str] | None = None, columns: int = len(PHRASE_FEATURES), rows: int = ROWS_AT_ONCE,
) -> Iterator[np.ndarray]:
    """``phrase_features``, ``rows`` rows at a time, so that a long text's whole matrix is never
    held: what depends on all candidates (ranks, nesting, sums) is computed first, one vector each."""
    found = candidates if isinstance(candidates, Candidates) else Candidates.of(candidates)
    words, keys = tokens.words, found.keys
    m, n = len(found), max(len(words), 1)
    noise = found.noisy_or
    max_outer, max_inner, sum_outer = _nesting(keys, noise)
    idf: dict[str, float] = {}
    for w in {w for f, k in zip(found.first.tolist(), keys) for w in words[f : f + len(k)]}:
        idf[w] = word_idf(w)
    rank = np.empty(m)
    rank[np.argsort(-noise, kind="stable")] = np.arange(m)
    relative = noise / max(noise.max(initial=0.0), 1e-12)
    spread = noise.sum()  # how much probability the document spreads over all candidates
    whole = None
    if columns > FIRST_FEATURES:
        whole = _whole_text_features(found, tokens, idf, stems if stems is not None else stems_of(tokens))
    first_break = tokens.text.find("\n")
    for lo in range(0, m, rows):
        block = slice(lo, min(lo + rows, m))
        block_firsts, block_keys = found.first[block].tolist(), keys[block]
        x = np.empty((len(block_keys), FIRST_FEATURES))
        x[:, 0], x[:, 1], x[:, 2], x[:, 3] = noise[block], found.best[block], found.total[block], found.occurrences[block]
        x[:, 4], x[:, 5] = found.viterbi[block], [len(k) for k in block_keys]
        x[:, 6], x[:, 7] = found.first[block] / n, found.first[block]
        x[:, 8] = [sum(idf[w] for w in words[f : f + len(k)]) / len(k) for f, k in zip(block_firsts, block_keys)]
        x[:, 9], x[:, 10], x[:, 11], x[:, 12] = math.log(n), spread, rank[block], relative[block]
        x[:, 15], x[:, 16], x[:, 17] = max_outer[block], max_inner[block], sum_outer[block]
        x[:, 13] = (x[:, 15] > 0) & (x[:, 15] >= x[:, 0])
        x[:, 14] = (x[:, 16] > 0) & (x[:, 16] >= x[:, 0])
        for i, (f, k) in enumerate(zip(block_firsts, block_keys)):
            start, end = tokens.starts[f], tokens.ends[f + len(k) - 1]
            x[i, 18] = tokens.text.count("\n", start, end)
            x[i, 19] = start < first_break < end
        yield x[:, :columns] if whole is None else np.concatenate([x, whole[block]], axis=1)[:, :columns]


def _nesting(keys: list[tuple[str, ...]], noisy: np.ndarray, rows: int = ROWS_AT_ONCE
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each candidate, the best and the summed noisy-or of the longer candidates holding it,
    and the best of the shorter ones inside it (contiguous stems). The pairs (a candidate, one
    inside it) are found in Python for ``rows`` candidates at a time and summed with numpy in
    the order they were found."""
    index = {k: i for i, k in enumerate(keys)}
    max_outer, max_inner, sum_outer = np.zeros(len(keys)), np.zeros(len(keys)), np.zeros(len(keys))
    for lo in range(0, len(keys), rows):
        outer, inner = array("i"), array("i")  # outer[p] holds inner[p]
        for i in range(lo, min(lo + rows, len(keys))):  # every shorter candidate inside this one
            key = keys[i]
            size = len(key)
            for length in range(1, size):
                for start in range(size - length + 1):
                    j = index.get(key[start : start + length])
                    if j is not None:
                        outer.append(i)
                        inner.append(j)
        holder, held = np.frombuffer(outer, dtype=np.int32), np.frombuffer(inner, dtype=np.int32)
        np.maximum.at(max_outer, held, noisy[holder])
        np.add.at(sum_outer, held, noisy[holder])
        np.maximum.at(max_inner, holder, noisy[held])
    if len(keys) > rows:
        del index
        release_free_memory()  # a long text's index of phrases, before the feature rows are made
    return max_outer, max_inner, sum_outer


def _whole_text_features(found: Candidates, tokens: TokenizedText, idf: dict[str, float],
                         stems: Sequence[str]) -> np.ndarray:
    """Columns FIRST_FEATURES onwards: statistics of each candidate over the whole text."""
    words, n = tokens.words, max(len(tokens.words), 1)
    found_at = occurrences(stems, found.keys)
    heads = Counter(stems)
    is_content = rules(tokens.lang).is_content
    second_sentence = next((i for i, s in enumerate(tokens.sentence_starts) if s and i > 0), n)
    x = np.empty((len(found), len(PHRASE_FEATURES) - FIRST_FEATURES))
    for i, (key, first, scored) in enumerate(zip(found.keys, found.first.tolist(), found.occurrences.tolist())):
        span = words[first : first + len(key)]
        idfs = [idf[w] for w in span]
        starts = found_at[key] or [first]  # a candidate always occurs; guard odd stemming
        count = max(len(starts), scored)
        x[i, 0] = math.log1p(count)
        x[i, 1] = scored / count
        x[i, 2] = (max(starts[-1], first) - min(starts[0], first)) / n
        x[i, 3] = min(starts[0], first) < second_sentence
        x[i, 4], x[i, 5] = min(idfs), max(idfs)
        x[i, 6] = math.log1p(heads[key[-1]])
        x[i, 7] = sum(w[:1].isupper() for w in span) / len(span)
        content = [j for j, w in enumerate(span) if is_content(w)] or range(len(span))
        weight = sum(math.log1p(heads[key[j]]) * idfs[j] for j in content) / math.sqrt(len(content))
        position = 1.0 + 1.0 / (1.0 + 10.0 * min(starts[0], first) / n)  # earlier is better, as in TF-IDF
        x[i, 8] = weight * math.log1p(count) * position
    tfidf = x[:, 8]
    x[np.argsort(-tfidf, kind="stable"), 9] = np.arange(len(found))
    x[:, 10] = tfidf / max(tfidf.max(initial=0.0), 1e-12)
    return x


@dataclass(frozen=True)
class PhraseScorer:
    """Boosted regression trees as arrays; ``predict`` gives probabilities in [0, 1].

    Node arrays have shape (trees, nodes). A row goes to ``left`` when its feature value is
    at most ``threshold``, else to ``right``; a leaf points to itself, so walking ``depth``
    steps from the root ends at a leaf in every tree. The probability is the logistic of
    ``bias`` plus the sum of the leaves' ``value``.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    bias: float
    depth: int

    @cached_property
    def columns(self) -> int:
        """How many leading PHRASE_FEATURES the trees read (``phrase_features(columns=...)``)."""
        return int(self.feature.max(initial=0)) + 1

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The node arrays flattened, with node ids made global (tree * nodes + node); a node's
        two children side by side (``children[2 * node]`` left, ``+ 1`` right), so that one
        lookup per step finds where a row goes."""
        trees, nodes = self.feature.shape
        offset = np.arange(trees)[:, None] * nodes
        children = np.stack([(self.left + offset).ravel(), (self.right + offset).ravel()], axis=1).ravel()
        return (offset.ravel(), self.feature.ravel().astype(np.intp), self.threshold.ravel(), children,
                self.value.ravel())

    def predict(self, x: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """Probabilities for the rows of ``x`` (walked ``chunk`` rows at a time: bounded memory)."""
        if len(x) > chunk:
            return np.concatenate([self.predict(x[i : i + chunk], chunk) for i in range(0, len(x), chunk)])
        roots, feature, threshold, children, value = self._flat
        node = np.repeat(roots[None, :], len(x), axis=0)
        flat_x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        row_start = (np.arange(len(x)) * x.shape[1])[:, None]
        for _ in range(self.depth):
            go_right = ~(flat_x.take(row_start + feature.take(node)) <= threshold.take(node))  # NaN goes right
            node = children.take(2 * node + go_right)
        return 1.0 / (1.0 + np.exp(-(self.bias + value.take(node).sum(axis=1))))

    @classmethod
    def from_sklearn(cls, model) -> "PhraseScorer":  # noqa: ANN001  (a fitted HistGradientBoostingClassifier)
        """Copy a fitted binary ``HistGradientBoostingClassifier``'s trees into arrays.

        Reads its tree predictors (``_predictors``, whose layout scikit-learn has kept since
        1.0); ``tests/test_phrase_scorer.py`` checks the copy against ``predict_proba``."""
        trees = [predictors[0].nodes for predictors in model._predictors]
        size = max(len(t) for t in trees)
        shape = (len(trees), size)
        feature, left, right = (np.zeros(shape, dtype=np.int64) for _ in range(3))
        threshold, value = np.zeros(shape), np.zeros(shape)
        depth = 0
        for t, nodes in enumerate(trees):
            k = len(nodes)
            own = np.arange(size)
            leaf = np.ones(size, dtype=bool)
            leaf[:k] = nodes["is_leaf"].astype(bool)
            feature[t, :k] = np.where(leaf[:k], 0, nodes["feature_idx"])
            threshold[t, :k] = nodes["num_threshold"]
            left[t] = np.where(leaf, own, np.pad(nodes["left"].astype(np.int64), (0, size - k)))
            right[t] = np.where(leaf, own, np.pad(nodes["right"].astype(np.int64), (0, size - k)))
            value[t, :k] = np.where(leaf[:k], nodes["value"], 0.0)
            depth = max(depth, int(nodes["depth"].max()))
        bias = float(np.asarray(model._baseline_prediction).ravel()[0])
        return cls(feature, threshold, left, right, value, bias, depth)

    def save(self, path: str | Path) -> None:
        tensors = {name: torch.from_numpy(np.ascontiguousarray(getattr(self, name)))
                   for name in ("feature", "threshold", "left", "right", "value")}
        tensors["bias"] = torch.tensor(self.bias, dtype=torch.float64)
        tensors["depth"] = torch.tensor(self.depth)
        torch.save(tensors, path)

    @classmethod
    def load(cls, path: str | Path) -> "PhraseScorer":
        """Read a file written by ``save`` (``weights_only=True``: tensors, no code)."""
        t = torch.load(path, map_location="cpu", weights_only=True)
        scorer = cls(*(t[name].numpy() for name in ("feature", "threshold", "left", "right", "value")),
                     float(t["bias"]), int(t["depth"]))
        if scorer.feature.ndim != 2 or scorer.feature.max(initial=0) >= len(PHRASE_FEATURES):
            raise ValueError(f"trees test features this kwextract does not compute ({len(PHRASE_FEATURES)} known)")
        return scorer


def fit_phrase_scorer(x: np.ndarray, y: np.ndarray, seed: int = 0,
                      sample_weight: np.ndarray | None = None) -> PhraseScorer:
    """Fit the trees on candidate features ``x`` and labels ``y`` (1 = a gold keyphrase),
    each row weighted by ``sample_weight`` (default: all equal)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    if len(set(y.tolist())) < 2:
        raise ValueError("the phrase scorer needs both keyphrases and non-keyphrases among the candidates")
    # 100 trees of depth 4: as good on the dev data as deeper or more trees, and cheap to walk.
    model = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_depth=4,
                                           early_stopping=False, random_state=seed)
    return PhraseScorer.from_sklearn(model.fit(x, y, sample_weight=sample_weight))
