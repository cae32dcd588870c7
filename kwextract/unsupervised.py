"""Learning without labels: a TF-IDF phrase scorer, silver labels, self-training adaptation.

``TfidfScorer`` is the statistical teacher: candidate phrases are runs of up to
``max_words`` content words (no stop words or symbols at either end, hyphens allowed
inside), scored by the TF-IDF of their words fitted with scikit-learn on the unlabelled
corpus itself, with a bonus for phrases that appear early. Its top phrases become silver
keyphrases: ``train_unsupervised`` trains a fresh BiLSTM-CRF on them (with
``TrainConfig.pretrain_epochs``, after pre-training its encoder as a language model on the
same texts: pretrain.py), and ``adapt``
self-trains an existing model on a new domain from its own confident spans plus the
scorer's best, fine-tuning with an L2 pull towards the base weights against drift.
"""

from __future__ import annotations

import copy
import math
import random
import shutil
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer

from .config import (  # noqa: F401 (re-exported)
    UNSUPERVISED_EPOCHS,
    UNSUPERVISED_LAYERS,
    UNSUPERVISED_PRETRAIN_EPOCHS,
    AdaptConfig,
    ModelConfig,
)
from .data import Document, read_documents
from .errors import InputError, KwextractWarning
from .extractor import Extractor, KeyphraseExtractor
from .inputs import InputDocument, InputOptions, iter_inputs
from .language import ANOTHER_LANGUAGE, rules, warn_if_another_language
from .normalize import stems_of
from .serialization import check_output, load
from .tokenize import TokenizedText, Tokenizer, phrase_text
from .tfidf import phrase_tfidf
from .train import TrainConfig, base_record, dev_f1_10, fit, label, train_documents
from .vocab import Vocab


def read_unlabeled(paths: list[str | Path], log: Callable[[str], None] = print) -> list[Document]:
    """Raw texts from files, folders of .txt files or JSONL/CSV (text field); labels ignored.
    A path that does not exist is refused (a typo must not train on fewer texts than meant);
    unreadable files within are skipped and logged."""
    for path in paths:
        if not Path(path).exists():
            raise InputError(f"{path}: no such file or folder")
    docs = []
    for item in iter_inputs([Path(p) for p in paths], InputOptions()):
        if isinstance(item, InputDocument):
            docs.append(Document(item.id, item.text))
        else:
            log(f"skipped {item.id}: {item.reason}")
    if not docs:
        raise InputError(f"no readable text in {', '.join(str(p) for p in paths)}")
    return docs


def _content_test(lang: str) -> Callable[[str], bool]:
    """A word TF-IDF weighs in ``lang``: longer than one character, not a stop word or a symbol."""
    is_content = rules(lang).is_content
    return lambda word: len(word) > 1 and is_content(word)


def candidate_spans(tokens: TokenizedText, max_words: int = 4) -> list[tuple[int, int]]:
    """Every run of up to ``max_words`` content words (hyphens allowed between them)."""
    words = tokens.words
    _content = _content_test(tokens.lang)
    spans = []
    n = len(words)
    for i in range(n):
        if not _content(words[i]):
            continue
        j, count = i, 0
        while j < n and count < max_words:
            if _content(words[j]):
                count += 1
                spans.append((i, j + 1))
            elif not (words[j] == "-" and j + 1 < n and _content(words[j + 1])):
                break
            j += 1
    return spans


def _content_stems(tokens: TokenizedText) -> list[str]:
    """The stems of a text's content words: the terms TF-IDF counts."""
    is_content = _content_test(tokens.lang)
    return [s for s, w in zip(stems_of(tokens), tokens.words) if is_content(w)]


@dataclass
class TfidfScorer:
    """Phrase scores from word TF-IDF (stems), fitted on an unlabelled corpus."""

    max_words: int = 4
    idf: dict[str, float] | None = None
    default_idf: float = 1.0

    def fit(self, documents: list[TokenizedText]) -> "TfidfScorer":
        vectorizer = TfidfVectorizer(analyzer=_content_stems)
        vectorizer.fit(documents)
        self.idf = {term: float(vectorizer.idf_[col]) for term, col in vectorizer.vocabulary_.items()}
        self.default_idf = float(vectorizer.idf_.max())
        return self

    def score(self, tokens: TokenizedText) -> list[tuple[str, float, tuple[int, int]]]:
        """(phrase key, score, first span) per candidate phrase, best first."""
        if self.idf is None:
            raise RuntimeError("fit the scorer first")
        stems = stems_of(tokens)
        _content = _content_test(tokens.lang)
        tf = Counter(s for s, w in zip(stems, tokens.words) if _content(w))
        n = max(len(tokens), 1)
        phrases: dict[str, list[Any]] = {}
        for start, end in candidate_spans(tokens, self.max_words):
            key = " ".join(s for s, w in zip(stems[start:end], tokens.words[start:end]) if _content(w))
            entry = phrases.setdefault(key, [0, (start, end)])
            entry[0] += 1
        scored = []
        for key, (freq, span) in phrases.items():
            parts = key.split()
            weights = [math.log1p(tf[p]) * self.idf.get(p, self.default_idf) for p in parts]
            scored.append((key, phrase_tfidf(weights, freq, span[0], n), span))
        scored.sort(key=lambda x: (-x[1], x[2]))
        return scored

    def top_phrases(self, tokens: TokenizedText, k: int) -> list[str]:
        """The surface text of the k best phrases (not nested in a better one)."""
        chosen: list[str] = []
        keys: list[str] = []
        for key, _, (start, end) in self.score(tokens):
            if any(f" {key} " in f" {k_} " for k_ in keys):
                continue
            keys.append(key)
            chosen.append(phrase_text(tokens, start, end - start))
            if len(chosen) >= k:
                break
        return chosen


def silver_count(n_tokens: int) -> int:
    """How many silver phrases a document of this length gets (abstract ≈ 8, paper ≈ 15)."""
    return int(min(15, max(4, round(2 * math.sqrt(n_tokens) / 3))))


def silver_documents(docs: list[Document], tokens: list[TokenizedText], scorer: TfidfScorer) -> list[Document]:
    return [replace(d, keyphrases=tuple(scorer.top_phrases(t, silver_count(len(t))))) for d, t in zip(docs, tokens)]


def train_unsupervised(
    unlabeled: list[str | Path],
    config: TrainConfig,
    model_config: ModelConfig,
    output: str | Path,
    log: Callable[[str], None] = print,
    on_event: Any = None,
    held_out: float = 0.0,
) -> KeyphraseExtractor:
    """A BiLSTM-CRF trained on TF-IDF silver labels of raw texts: no labelled data at all.

    Every epoch runs and the one with the lowest training loss is kept. With ``held_out``
    (for example 0.1) that share of the texts (when there are at least 10) keeps its silver
    labels apart: training stops when the student's F1@10 against its teacher on these unseen
    texts stops improving (``config.patience``), and the selection threshold (``top_k=None``)
    is calibrated there — far better F1@M, slightly lower F1@10 on the dev splits measured
    (docs/learning-without-labels.md). The phrase scorer is not fitted: on silver labels it
    would learn the teacher's formula back.
    """
    if not 0 <= held_out < 1:
        raise ValueError(f"held_out must be a share in [0, 1), not {held_out}")
    check_output(output)  # before any work
    docs = read_unlabeled(unlabeled, log)
    model_config = replace(model_config, lang=config.lang or model_config.lang)
    tokenizer = Tokenizer(lang=model_config.lang)
    tokens = tokenizer.pipe([d.text for d in docs])
    scorer = TfidfScorer().fit(tokens)
    silver = silver_documents(docs, tokens, scorer)
    log(f"silver labels: {sum(len(d.keyphrases) for d in silver)} phrases for {len(silver)} documents")
    order = random.Random(config.seed).sample(range(len(silver)), len(silver))
    n_dev = int(len(silver) * held_out) if len(silver) >= 10 else 0
    dev = [silver[i] for i in sorted(order[:n_dev])]
    train_docs = [silver[i] for i in sorted(order[n_dev:])]
    if dev:
        log(f"{len(dev)} texts held out: training stops when agreement with the teacher there stops improving")
    elif held_out > 0:
        log(f"nothing held out: {len(silver)} texts are too few for held_out={held_out}")
    meta = {"name": "unsupervised", "description": "Trained on TF-IDF silver labels only (kwextract train --unsupervised).",
            "silver_held_out": len(dev)}
    return train_documents([(",".join(map(str, unlabeled)), train_docs)], [dev] if dev else [],
                           replace(config, phrase_scorer=False), model_config, output, on_event, log, meta=meta)


def _extend_vocabulary(extractor: KeyphraseExtractor, tokens: list[TokenizedText], min_freq: int,
                       scorer: TfidfScorer) -> int:
    """Add the new domain's frequent words, their embeddings starting from the unknown word's
    (none for a model that reads no word identities, ``word_dim=0``)."""
    if not extractor.tagger.config.word_dim:
        return 0
    counts = Counter(w.lower() for t in tokens for w in t.words)
    new = sorted((w for w, c in counts.items() if c >= min_freq and w not in extractor.words.stoi),
                 key=lambda w: (-counts[w], w))
    if not new:
        return 0
    tagger = extractor.tagger
    old = tagger.words.weight.data
    weight = torch.cat([old, old[1:2].repeat(len(new), 1)])
    tagger.words = torch.nn.Embedding.from_pretrained(weight, freeze=False, padding_idx=0)
    max_idf = scorer.default_idf
    stem = rules(extractor.tokenizer.lang).stem
    extra = torch.tensor([scorer.idf.get(stem(w), max_idf) / max_idf for w in new]) if scorer.idf else torch.ones(len(new))
    tagger.idf = torch.cat([tagger.idf, extra.to(tagger.idf.dtype)])
    if tagger.config.pretrained_dim:  # new words have no pretrained vector: zeros, rarest, their own learned row
        first = old.shape[0]
        tagger.pretrained = torch.cat([tagger.pretrained, tagger.pretrained.new_zeros(len(new), tagger.config.pretrained_dim)])
        tagger.rarity = torch.cat([tagger.rarity, tagger.rarity.new_ones(len(new))])
        tagger.learned_index = torch.cat([tagger.learned_index, torch.arange(first, first + len(new))])
    extractor.words = Vocab(extractor.words.itos[2:] + new)
    return len(new)


def _guard_scores(extractor: Extractor, guard_sets: list[list[Document]]) -> list[float]:
    """F1@10 on each guard set: each is checked on its own, so a gain on one base domain
    cannot hide forgetting on another."""
    return [round(score, 4) for score in dev_f1_10(extractor, guard_sets)]


def _tag_rate(extractor: Extractor, tokens: list[TokenizedText]) -> float:
    _, decoded = extractor.score_spans(tokens)
    tagged = sum(e - s for spans in decoded for s, e in spans)
    return tagged / max(sum(len(t) for t in tokens), 1)


def adapt(
    base: str | Path | None,
    unlabeled: list[str | Path],
    output: str | Path,
    config: AdaptConfig = AdaptConfig(),
    log: Callable[[str], None] = print,
    rehearse: list[str | Path] = (),  # type: ignore[assignment]
    guard: list[str | Path] = (),  # type: ignore[assignment]
    lang: str | None = None,
) -> Extractor:
    """Self-train ``base`` on raw texts of a new domain and save the adapted model.

    ``lang``: the language of the new texts (ISO 639-1; default: the base model's); the adapted
    model is a model of that language. ``rehearse`` and ``guard`` files are read in it too.

    ``rehearse``: labelled data of the base model's own domain (for example its training
    files), mixed into every round so that the model does not forget that domain.
    ``guard``: labelled held-out data of the base domain (for example its dev files): each
    round keeps its epoch with the best F1@10 there, and a round that still loses more than
    ``max_guard_drop`` on any one guard file against the base model is undone and adaptation stops.
    An ensemble adapts every member on the ensemble's silver labels (a better teacher than
    any one member) and is kept or undone as a whole. When no round is kept, the model written
    is the base model unchanged, its meta.json recording the attempt.
    """
    check_output(output)  # before any work: a file or a folder of other things is never replaced

    def base_model_read_in_lang() -> Extractor:
        model = load(base)
        if lang is not None:
            model.set_language(lang)
        return model

    extractor = base_model_read_in_lang()
    taggers = extractor.taggers
    base_model = base_record(str(base or "default"), extractor.meta)
    docs = read_unlabeled(unlabeled, log)
    rehearsal = [label(str(p), read_documents(p), extractor.tokenizer) for p in rehearse]
    guard_sets = [read_documents(p) for p in guard]
    base_guard = _guard_scores(extractor, guard_sets)
    tokens = extractor.tokenizer.pipe([d.text for d in docs])
    scorer = TfidfScorer().fit(tokens)
    added = [_extend_vocabulary(t, tokens, config.new_words_min_freq, scorer) for t in taggers]
    log(f"{len(docs)} unlabelled documents; {', '.join(map(str, added))} new words added to the vocabulary"
        + (" of each member" if len(taggers) > 1 else ""))
    warn_if_another_language(tokens, [d.id for d in docs])
    with warnings.catch_warnings():  # named above, once: the rounds' extraction and labelling would name it again
        warnings.filterwarnings("ignore", message=ANOTHER_LANGUAGE, category=KwextractWarning)
        base_rate = _tag_rate(extractor, tokens)
        reference_rate = base_rate
        history = []
        train_config = TrainConfig(train=(), epochs=config.epochs_per_round, patience=config.epochs_per_round,
                                   batch_size=config.batch_size, learning_rate=config.learning_rate, seed=config.seed,
                                   max_windows_per_doc=config.max_windows_per_doc)
        previous: list[set[str]] | None = None
        for round_number in range(1, config.rounds + 1):
            confident = extractor.extract_tokenized(tokens, top_k=None, min_score=config.min_confidence)
            silver = []
            for doc, toks, kps in zip(docs, tokens, confident):
                phrases = [k.text for k in kps] + scorer.top_phrases(toks, config.tfidf_phrases)
                silver.append(replace(doc, keyphrases=tuple(dict.fromkeys(phrases))))
            keys = [{p.lower() for p in d.keyphrases} for d in silver]
            changed = 1.0 if previous is None else float(np.mean([len(a ^ b) / max(len(a | b), 1) for a, b in zip(keys, previous)]))
            previous = keys
            labelled = label("silver", silver, extractor.tokenizer)
            before = [copy.deepcopy(t.tagger.state_dict()) for t in taggers]
            for i, tagger in enumerate(taggers):
                if len(taggers) > 1:
                    log(f"round {round_number}, member {i + 1} of {len(taggers)}")
                # a member is written beside the output while it trains; the ensemble is saved at the end
                where = output if len(taggers) == 1 else Path(output).with_name(f".{Path(output).name}.member-{i + 1}")
                fit(tagger, [labelled, *rehearsal], guard_sets, replace(train_config, seed=config.seed + round_number),
                    where, log=log, anchor_weight=config.anchor_weight, calibrate_on_dev=False,
                    meta={"name": "adapted", "base_model": base_model})
                if where != output:
                    shutil.rmtree(where, ignore_errors=True)
            rate = _tag_rate(extractor, tokens)
            guard_scores = _guard_scores(extractor, guard_sets)
            history.append({"round": round_number, "silver_phrases": sum(len(k) for k in keys),
                            "silver_changed": round(changed, 3), "tag_rate": round(rate, 4),
                            **({"guard_f1_10": guard_scores} if guard_sets else {})})
            log(f"round {round_number}: {history[-1]}")
            factor = config.max_tag_rate_change
            drifted = reference_rate > 0 and not (1 / factor <= rate / reference_rate <= factor)
            forgot = any(now < before - config.max_guard_drop for now, before in zip(guard_scores, base_guard))
            if drifted or forgot:
                for tagger, state in zip(taggers, before):
                    tagger.tagger.load_state_dict(state)
                history[-1]["undone"] = True
                # why, for the user: the drift factor it went past, or the guard it failed
                history[-1]["undone_by"] = "drift" if drifted else "guard"
                if drifted:
                    history[-1]["reference_tag_rate"] = round(reference_rate, 4)
                reason = (f"the tagged share of tokens moved from {reference_rate:.4f} to {rate:.4f}" if drifted else
                          f"guard F1@10 went from {base_guard} to {guard_scores}")
                log(f"round {round_number} undone, stopping: {reason}")
                break
            if config.drift_reference == "previous":
                reference_rate = rate
            if changed < 0.02:
                break

    if all(r.get("undone") for r in history):
        # Nothing was learned: drop the new words too. Their IDF, from the new texts, would
        # otherwise change the base model's features without any training to match them
        # (on news a model of papers never saw, that alone cost 1 point of F1@10).
        log("no round was kept: the adapted model is the base model, unchanged")
        extractor = base_model_read_in_lang()
    extractor.meta = {**extractor.meta, "name": "adapted", "base_model": base_model,
                      "adaptation": {"unlabeled": [str(p) for p in unlabeled], "rehearsal": [str(p) for p in rehearse],
                                     "guard": [str(p) for p in guard],
                                     "base_guard_f1_10": base_guard if guard_sets else None, "base_tag_rate": round(base_rate, 4),
                                     "history": history, "settings": dict(config.__dict__)}}
    from .serialization import save

    if config.tfidf_weight is not None:
        extractor.config = replace(extractor.config, tfidf_weight=config.tfidf_weight)
    save(extractor, output)
    return extractor
