"""The extractor users hold: text → tokens → tensors → tags and marginals → ranked keyphrases."""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any

import numpy as np
import torch

from .batching import Batch, Window, collate, length_batches
from .bio import batch_spans
from .config import ModelConfig, check_extract_options
from .distinct import DISTINCT_POOL
from .distinct import distinct as distinct_phrases
from .errors import InputError
from .language import AUTO, warn_if_another_language
from .featurize import DocumentArrays, featurize
from .keyphrase import Keyphrase
from .memory import LONG_TEXT_TOKENS, release_free_memory
from .model import KeyphraseTagger
from .normalize import stems_of
from .phrase_scorer import Candidates, PhraseScorer
from .rarity import GeneralRarity
from .ranking import SpanList, candidates, candidates_from_parts, rank_candidates
from .tokenize import AutoTokenizer, TokenizedText, Tokenizer, windows
from .vocab import Vocab


def _one_thread_in_forked_children() -> None:
    """A process forked after torch's OpenMP pool ran deadlocks in its first parallel op
    (spaCy's ``nlp.pipe(n_process=2)`` forks); one intra-op thread in such children avoids it."""
    torch.set_num_threads(1)


os.register_at_fork(after_in_child=_one_thread_in_forked_children)


INFERENCE_BATCH_TOKENS = 8192  # padded tokens a batch may hold: the network's memory (~6 KB a token) stays flat
# A text of more than LONG_TEXT_TOKENS is tagged in batches of LONG_TEXT_BATCH_TOKENS: a quarter of
# the working memory for some speed (small batches use the CPU less well), where memory is the limit.
LONG_TEXT_BATCH_TOKENS = 2048
RESCUE_MIN_PROB = 1e-6  # the candidate floor for filling a top k the model's own floor leaves short (``filled``)
STREAM_TEXTS = 256  # texts an extract_stream reads at once: memory stays flat, windows still fill batches


class Extractor:
    """What every extractor shares: text → tokens → scored spans → ranked keyphrases.

    A subclass says how spans are scored (``score_spans``), which settings rank them
    (``config``) and a word's corpus IDF (``word_idf``); ranking, batching and input checks
    are the same for all."""

    tokenizer: Tokenizer
    phrase_scorer: PhraseScorer | None  # None: a phrase's score is its aggregated marginal
    meta: dict[str, Any]

    @property
    def config(self) -> ModelConfig:
        raise NotImplementedError

    @property
    def taggers(self) -> list[KeyphraseExtractor]:
        """The single-tagger models that score its spans (training and adaptation work on these)."""
        raise NotImplementedError

    def word_idf(self) -> Callable[[str], float]:
        """A token's corpus IDF (an input of the phrase scorer)."""
        raise NotImplementedError

    def set_language(self, lang: str) -> None:
        """Make this a model of ``lang`` (ISO 639-1): it reads texts with that language's
        tokenizer, stop words and stemmer, and is saved as a model of that language (what
        ``train --base``, ``adapt`` and ``calibrate`` with ``--lang`` do). ``"auto"`` makes it
        read each text in the language it is written in (``tokenize.AutoTokenizer``), to
        extract from; it stays a model of its own language."""
        tokenizer = AutoTokenizer(fallback=self.config.lang) if lang == AUTO else Tokenizer(lang=lang)
        for model in {id(m): m for m in [self, *self.taggers]}.values():
            if lang != AUTO:  # read each text in its own language, the model stays one of its own
                model.config = replace(model.config, lang=lang)
            model.tokenizer = tokenizer

    def score_spans(
        self, documents: list[TokenizedText], batch_size: int = 64, min_prob: float | None = None
    ) -> tuple[list[SpanList], list[set[tuple[int, int]]]]:
        """Every span occurrence with marginal ≥ ``min_prob`` (default: the config's
        ``candidate_min_prob``), and the Viterbi spans, per document."""
        raise NotImplementedError

    def score_span_parts(
        self, documents: list[TokenizedText], batch_size: int = 64, min_prob: float | None = None
    ) -> tuple[list[Iterator[SpanList]], list[set[tuple[int, int]]]]:
        """``score_spans`` with each document's spans in parts, to be read once: a model that
        finds them a batch at a time lets each part go as it is read (``extract`` merges them
        into candidates so, and a long text's spans are never all held at once)."""
        spans, decoded = self.score_spans(documents, batch_size, min_prob)
        return [iter([found]) for found in spans], decoded

    def extract(self, text: str, top_k: int | None = 10, min_score: float = 0.0,
                distinct: bool = False) -> list[Keyphrase]:
        """Ranked keyphrases of one text; ``top_k=None`` keeps the model's own selection;
        ``distinct=True`` returns no phrase inside another (``distinct.py``)."""
        if not isinstance(text, str):
            raise InputError(f"the text is a {type(text).__name__}, not a str")
        return self.extract_batch([text], top_k=top_k, min_score=min_score, distinct=distinct)[0]

    def extract_batch(
        self, texts: list[str], top_k: int | None = 10, min_score: float = 0.0, batch_size: int = 64,
        distinct: bool = False,
    ) -> list[list[Keyphrase]]:
        """Keyphrases of many texts, one list per text: what ``extract`` gives for each, up to
        floating-point rounding. Windows of several texts go through the network together, which
        changes its rounding (about 1e-5 in a span's probability); a phrase score can then move by
        up to about 0.01 where the phrase scorer's trees split near that value. On 100 Inspec
        abstracts the ranked phrases were the same (tests/test_bundled_model.py)."""
        check_extract_options(top_k, min_score, batch_size)  # before tokenizing (extract_tokenized checks too)
        return self.extract_tokenized(self.tokenize(texts), top_k, min_score, batch_size, distinct)

    def tokenize(self, texts: list[str]) -> list[TokenizedText]:
        """``texts`` as this model reads them (each ``TokenizedText.lang`` says in which language),
        or an InputError naming the first that is not a str."""
        if isinstance(texts, str):  # a str is a sequence too: it would be read as one text a character
            raise InputError("extract_batch takes a list of texts and got one str; use extract(text) for one text")
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise InputError(f"text number {i} (counting from 0) is a {type(text).__name__}, not a str")
        return self.tokenizer.pipe(texts)

    def extract_stream(
        self, texts: Iterable[str], top_k: int | None = 10, min_score: float = 0.0, batch_size: int = 64,
        texts_at_once: int = STREAM_TEXTS, distinct: bool = False,
    ) -> Iterator[list[Keyphrase]]:
        """Keyphrases of each text that ``texts`` gives (any iterable: a generator, a file's
        lines, a database cursor), one list per text and in order, as they are done:
        ``extract_batch`` of ``texts_at_once`` texts at a time, so memory stays flat however
        many texts come, and the first results come back before the last text is read. Texts
        that were given before one that is not a str keep their results."""
        check_extract_options(top_k, min_score, batch_size)  # now, not when the first result is asked for
        if isinstance(texts, str):
            raise InputError("extract_stream takes an iterable of texts and got one str; use extract(text)")
        if not isinstance(texts_at_once, int) or texts_at_once < 1:
            raise InputError(f"texts_at_once must be a positive int, not {texts_at_once!r}")
        return self._stream(iter(texts), top_k, min_score, batch_size, texts_at_once, distinct)

    def _stream(self, texts: Iterator[str], top_k: int | None, min_score: float, batch_size: int,
                texts_at_once: int, distinct: bool) -> Iterator[list[Keyphrase]]:
        read = 0
        while chunk := list(islice(texts, texts_at_once)):
            for i, text in enumerate(chunk):
                if not isinstance(text, str):
                    yield from self.extract_batch(chunk[:i], top_k, min_score, batch_size, distinct) if i else ()
                    raise InputError(f"text number {read + i} (counting from 0) is a {type(text).__name__}, "
                                     "not a str")
            read += len(chunk)
            yield from self.extract_batch(chunk, top_k, min_score, batch_size, distinct)

    def rank(self, tokens: TokenizedText, spans: SpanList, decoded: set[tuple[int, int]],
             top_k: int | None, min_score: float = 0.0,
             word_idf: Callable[[str], float] | None = None) -> list[Keyphrase]:
        """One document's scored spans → its ranked keyphrases, with this model's settings
        (``word_idf``: ``self.word_idf()``, made once for many documents)."""
        stems = stems_of(tokens)
        return self.rank_candidates(tokens, stems, candidates(tokens, stems, spans, decoded), top_k, min_score,
                                    word_idf)

    def rank_candidates(self, tokens: TokenizedText, stems: Sequence[str], found: Candidates, top_k: int | None,
                        min_score: float = 0.0, word_idf: Callable[[str], float] | None = None) -> list[Keyphrase]:
        """``rank`` from a document's candidate phrases, merged from its spans by
        ``ranking.candidates`` (``stems``: ``normalize.stems_of(tokens)``)."""
        config = self.config
        weight, evidence_idf = self.tfidf_evidence(tokens.lang)
        return rank_candidates(tokens, stems, found, top_k, min_score, config.aggregation, config.select_threshold,
                               self.phrase_scorer, word_idf or self.word_idf(), config.selection, weight,
                               evidence_idf)

    def tfidf_evidence(self, lang: str) -> tuple[float, Callable[[str], float] | None]:
        """The weight of TF-IDF evidence in this model's top-k lists for a text in ``lang``, and
        the IDF that evidence reads (None: the model's own, ``word_idf``). A text in another
        language than the model's own gets ``foreign_tfidf_weight``, where the model has one,
        with each word's rarity in the text's language as its IDF: an English IDF table knows
        few words of another language (docs/other-languages.md, run 17)."""
        config = self.config
        if lang == config.lang or not config.foreign_tfidf_weight:
            return config.tfidf_weight, None
        lists = self.taggers[0].rarity
        if lists is None:
            raise InputError(f"foreign_tfidf_weight reads word lists that this model does not carry (rarity.json.gz) "
                             f"to rank a text in {lang!r}; set it to 0, or give the model the lists (kwextract's "
                             "source: data/foreign_evidence.py)")
        return config.foreign_tfidf_weight, lists.idf(lang)

    def filled(self, documents: list[TokenizedText], results: list[list[Keyphrase]], top_k: int,
               min_score: float = 0.0, batch_size: int = 64, below: int | None = None) -> list[list[Keyphrase]]:
        """``results`` (each document's ranked keyphrases) with every list shorter than
        ``below`` (default ``top_k``) filled from the document's spans scored again below the
        model's candidate floor (down to RESCUE_MIN_PROB): the best further clean phrases, after
        the model's own, until ``top_k`` or none is left. A short text (a title) may have few or
        no spans above the floor; the places left empty could only miss. A filled phrase's
        score is at most the score before it, so scores still fall down the list; ``min_score``
        still applies."""
        below = top_k if below is None else below
        short = [i for i, found in enumerate(results) if len(found) < below and len(documents[i])]
        if not short:
            return results
        results = list(results)
        idf = self.word_idf()
        again, again_decoded = self.score_spans([documents[i] for i in short], batch_size, RESCUE_MIN_PROB)
        for j, i in enumerate(short):
            doc, stems = documents[i], stems_of(documents[i])
            have = {_stem_key(doc, stems, kp) for kp in results[i]}
            kept = list(results[i])
            for kp in self.rank(doc, again[j], again_decoded[j], top_k + len(kept), min_score, idf):
                if len(kept) == top_k:
                    break
                key = _stem_key(doc, stems, kp)
                if key not in have:
                    have.add(key)
                    kept.append(replace(kp, score=min(kp.score, kept[-1].score)) if kept else kp)
            results[i] = kept
        return results

    def extract_tokenized(
        self,
        documents: list[TokenizedText],
        top_k: int | None = 10,
        min_score: float = 0.0,
        batch_size: int = 64,
        distinct: bool = False,
    ) -> list[list[Keyphrase]]:
        """Keyphrases of already tokenized documents (used by the spaCy component too); with
        ``distinct``, the DISTINCT_POOL × ``top_k`` best walked by ``distinct.distinct``."""
        check_extract_options(top_k, min_score, batch_size)
        asked = top_k
        if distinct and top_k is not None:
            top_k = DISTINCT_POOL * top_k
        warn_if_another_language(documents)
        parts, decoded = self.score_span_parts(documents, batch_size)
        if any(len(doc) > LONG_TEXT_TOKENS for doc in documents):
            release_free_memory()  # the network's batches and the document arrays, before ranking
        idf = self.word_idf()
        results = []
        for i, doc in enumerate(documents):
            stems = stems_of(doc)
            found = candidates_from_parts(doc, stems, parts[i], decoded[i])  # the spans go as they are merged
            results.append(self.rank_candidates(doc, stems, found, top_k, min_score, idf))
        if top_k is not None:
            # with distinct, a text short of the k asked is filled to the pool distinct walks
            results = self.filled(documents, results, top_k, min_score, batch_size, below=asked)
        if distinct:
            own, words = self.tokenizer.lang, self.tokenizer.words  # each text's language (lang="auto": its own)
            results = [distinct_phrases(found, asked, doc.lang, words if doc.lang == own else None)
                       for found, doc in zip(results, documents)]
        return results


def _stem_key(tokens: TokenizedText, stems: Sequence[str], keyphrase: Keyphrase) -> tuple[str, ...]:
    """The stems of the tokens ``keyphrase`` spans: the key rank_candidates merges phrases by."""
    first = bisect_left(tokens.starts, keyphrase.start)
    return tuple(stems[first : bisect_left(tokens.starts, keyphrase.end, lo=first)])


class KeyphraseExtractor(Extractor):
    """A trained BiLSTM-CRF (or other encoder) with its vocabularies, ready to extract."""

    def __init__(
        self,
        tagger: KeyphraseTagger,
        words: Vocab,
        chars: Vocab,
        meta: dict[str, Any] | None = None,
        tokenizer: Tokenizer | None = None,
        phrase_scorer: PhraseScorer | None = None,
        rarity: GeneralRarity | None = None,
    ) -> None:
        if tagger.config.general_rarity and rarity is None:
            raise ValueError("a tagger with general_rarity needs the word lists (rarity)")
        self.tagger = tagger
        self.phrase_scorer = phrase_scorer
        self.words = words
        self.chars = chars
        self.rarity = rarity  # word lists: an input (general_rarity) and/or foreign TF-IDF evidence's IDF
        self.meta = dict(meta or {})
        self.tokenizer = tokenizer if tokenizer is not None else Tokenizer()

    @property
    def config(self) -> ModelConfig:
        return self.tagger.config

    @config.setter
    def config(self, value: ModelConfig) -> None:
        self.tagger.config = value

    @property
    def taggers(self) -> list[KeyphraseExtractor]:
        return [self]

    def featurize(self, tokens: TokenizedText) -> DocumentArrays:
        rarity = self.rarity if self.config.general_rarity else None  # else the lists serve TF-IDF evidence only
        return featurize(tokens, self.words, self.chars, self.config.max_word_chars, rarity)

    def reads_like(self, other: KeyphraseExtractor) -> bool:
        """Whether ``other`` turns tokens into the same arrays as this one (``featurize``): the
        same word and character vocabularies, word length and word lists, as the bundled pair's members."""
        if other.config.max_word_chars != self.config.max_word_chars:
            return False
        if other.rarity is not self.rarity and other.rarity != self.rarity:  # shared at load, as the vocabularies
            return False
        if other.words is self.words and other.chars is self.chars:  # shared at load: no list to compare per call
            return True
        return other.words.itos == self.words.itos and other.chars.itos == self.chars.itos

    def word_idf(self) -> Callable[[str], float]:
        """A token's corpus IDF as the tagger sees it (an input of the phrase scorer)."""
        idf, words = self.tagger.idf.numpy(), self.words
        return lambda word: float(idf[words[word.lower()]])

    def score_spans(
        self, documents: list[TokenizedText], batch_size: int = 64, min_prob: float | None = None
    ) -> tuple[list[SpanList], list[set[tuple[int, int]]]]:
        """Every span occurrence with marginal ≥ ``min_prob`` (default: the config's
        ``candidate_min_prob``), and the Viterbi spans, per document. Windows of all documents
        are batched together by length."""
        found, decoded = self._score(documents, batch_size, min_prob)
        return [columns.join() for columns in found], decoded

    def score_span_parts(
        self, documents: list[TokenizedText], batch_size: int = 64, min_prob: float | None = None,
        arrays: list[DocumentArrays] | None = None,
    ) -> tuple[list[Iterator[SpanList]], list[set[tuple[int, int]]]]:
        """``arrays``: the documents already featurized by a model that ``reads_like`` this one."""
        found, decoded = self._score(documents, batch_size, min_prob, arrays)
        return [columns.drain() for columns in found], decoded

    def tag_windows(
        self, documents: list[TokenizedText], batch_size: int,
        on_batch: Callable[[list[Window], Batch, torch.Tensor], None], arrays: list[DocumentArrays] | None = None,
    ) -> None:
        """Run the tagger over every window of ``documents``, windows of all documents batched
        together by length, in inference mode; ``on_batch(windows, batch, emissions)`` takes
        each batch's emission scores (span scoring here, a teacher's tag probabilities in
        distill.py). The padded size of a batch is bounded, more tightly for long texts.
        ``arrays``: the documents' ``featurize`` output, when already made."""
        config = self.config
        if arrays is None:
            arrays = [self.featurize(doc) for doc in documents]
        all_windows = [
            Window(i, s, e) for i, doc in enumerate(documents) for s, e in windows(doc, config.window_tokens)
        ]
        was_training = self.tagger.training
        self.tagger.eval()
        try:
            with torch.inference_mode():
                longest = max(map(len, documents), default=0)
                cap = LONG_TEXT_BATCH_TOKENS if longest > LONG_TEXT_TOKENS else INFERENCE_BATCH_TOKENS
                for group in length_batches(all_windows, batch_size, cap):
                    batch = collate(arrays, group)
                    on_batch(group, batch, self.tagger(batch.word_ids, batch.char_ids, batch.features, batch.mask))
                    release_free_memory()
        finally:
            self.tagger.train(was_training)

    def _score(
        self, documents: list[TokenizedText], batch_size: int, min_prob: float | None,
        arrays: list[DocumentArrays] | None = None,
    ) -> tuple[list[_Columns], list[set[tuple[int, int]]]]:
        floor = self.config.candidate_min_prob if min_prob is None else min_prob
        found = [_Columns() for _ in documents]  # each document's spans, a batch at a time
        decoded: list[set[tuple[int, int]]] = [set() for _ in documents]
        self.tag_windows(documents, batch_size,
                         lambda group, batch, emissions: self._score_group(group, batch, emissions, found, decoded, floor),
                         arrays)
        return found, decoded

    def _score_group(
        self,
        group: list[Window],
        batch: Batch,
        emissions: torch.Tensor,
        found: list[_Columns],
        decoded: list[set[tuple[int, int]]],
        floor: float,
    ) -> None:
        config = self.config
        crf = self.tagger.crf
        probs = crf.span_log_probs(emissions, batch.mask, config.max_span_tokens).exp()
        rows, starts, lengths = torch.nonzero(probs >= floor, as_tuple=True)  # in row order
        values = probs[rows, starts, lengths].numpy()
        rows_np = rows.numpy()
        starts_np = starts.numpy() + np.array([w.start for w in group])[rows_np]  # token positions in the document
        lengths_np = lengths.numpy()  # a span's length less one
        # One part per document and batch (not per window: a 10 MB text has 15,000 windows),
        # its spans in the order of the batch's rows.
        docs = np.array([w.doc for w in group])[rows_np]
        order = np.argsort(docs, kind="stable")
        docs, starts_np, lengths_np, values = docs[order], starts_np[order], lengths_np[order], values[order]
        bounds = [0, *(np.flatnonzero(np.diff(docs)) + 1).tolist(), len(docs)]
        for a, b in zip(bounds[:-1], bounds[1:]):
            if a < b:
                found[int(docs[a])].append(starts_np[a:b], lengths_np[a:b], values[a:b])
        rows, span_starts, span_ends = batch_spans(crf.viterbi(emissions, batch.mask).numpy())
        for row, s, e in zip(rows.tolist(), span_starts.tolist(), span_ends.tolist()):
            if e - s <= config.max_span_tokens:
                w = group[row]
                decoded[w.doc].add((w.start + s, w.start + e))


class _Columns:
    """One document's spans as they come, a batch at a time, in 10 bytes a span: its start
    (int32), its length less one (uint16) and its marginal as the network gave it (float32);
    ``SpanList``s (16 bytes a span, the same values) are made from them when read."""

    def __init__(self) -> None:
        self.columns: tuple[list[np.ndarray], ...] = ([], [], [])

    def append(self, starts: np.ndarray, lengths: np.ndarray, probs: np.ndarray) -> None:
        for column, values, dtype in zip(self.columns, (starts, lengths, probs), (np.int32, np.uint16, np.float32)):
            column.append(values.astype(dtype, copy=False))

    def drain(self) -> Iterator[SpanList]:
        """The spans a batch at a time, in the order they came, each let go here as it is handed out."""
        for column in self.columns:
            column.reverse()
        starts, lengths, probs = self.columns
        while starts:
            start = starts.pop()
            yield SpanList(start, start + lengths.pop() + 1, probs.pop())

    def join(self) -> SpanList:
        """All the spans, in the order they came. Each column's parts are let go once it is
        joined, before the next: a 10 MB text's spans are never held twice over."""
        joined = []
        for column in self.columns:
            joined.append(np.concatenate(column) if column else np.zeros(0, dtype=np.int32))
            column.clear()
        starts, lengths, probs = joined
        return SpanList(starts, starts + lengths + 1, probs)
