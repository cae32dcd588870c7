"""Training a tagger: labelled documents → BIO tags → CRF likelihood, early stopping on dev F1@10.

Long documents are cut into sentence-aligned windows; each epoch samples at most
``max_windows_per_doc`` of a document's windows (seeded), so full papers do not drown
abstracts. A training file given twice is sampled twice per epoch. Dev F1@10 is
macro-averaged over the dev files, one vote per data set.
A checkpoint after every epoch lets an interrupted run resume where it stopped.
"""

from __future__ import annotations

import copy
import random
import shutil
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer

from .batching import Window, collate
from .bio import align_char_spans, align_phrases, spans_to_bio
from .calibrate import calibrate
from .config import (
    CHAR_MIN_FREQ,
    NEW_MODEL_LEARNING_RATE,
    ModelConfig,
    TrainConfig,
    default_learning_rate,
)
from .data import Document, read_documents
from .distill import token_marginals
from .errors import InputError
from .evaluate import evaluate
from .ensemble import EnsembleExtractor, member_records
from .environment import library_versions
from .extractor import Extractor, KeyphraseExtractor
from .language import warn_if_another_language
from .model import KeyphraseTagger
from .pretrained import extend_vocabulary, load_vectors, pretrained_tables
from .pretrain import pretrain_encoder
from .rarity import RARITY_WORDS, build_general_rarity
from .serialization import check_output, load, save
from .tokenize import TokenizedText, Tokenizer, windows
from .vocab import UNK_ID, Vocab
from .word_vectors import WordVectorConfig, train_word_vectors


@dataclass(frozen=True)
class TrainEvent:
    """Progress report: ``kind`` is "epoch_start", "step" or "epoch_end"."""

    kind: str
    epoch: int
    step: int = 0
    steps: int = 0
    loss: float = 0.0
    dev_f1: float | None = None  # the epoch's selection score, named by ``measure``
    best_f1: float | None = None
    measure: str = "dev F1@10"  # without dev data: "-loss", the training loss negated


@dataclass
class LabelledSet:
    """Tokenized documents of one file with their tag ids and alignment statistics."""

    name: str
    documents: list[Document]
    tokens: list[TokenizedText]
    tags: list[np.ndarray] = field(default_factory=list)
    targets: list[np.ndarray] = field(default_factory=list)  # a teacher's tag probabilities (distill.py)
    unaligned: int = 0
    gold: int = 0


def label(name: str, documents: list[Document], tokenizer: Tokenizer) -> LabelledSet:
    """Tokenize documents and tag every occurrence of their gold phrases (or spans) with BIO.
    Warns when a document is clearly in another language than the tokenizer's (``--lang``)."""
    tokens = tokenizer.pipe([d.text for d in documents])
    warn_if_another_language(tokens, [d.id for d in documents])
    result = LabelledSet(name, documents, tokens)
    for doc, toks in zip(documents, tokens):
        alignment = align_phrases(toks, [tokenizer.words(p) for p in doc.keyphrases], list(doc.keyphrases))
        spans = list(alignment.spans)
        if doc.char_spans:
            extra = align_char_spans(toks, list(doc.char_spans))
            taken = {i for s, e in spans for i in range(s, e)}
            spans += [(s, e) for s, e in extra.spans if not taken.intersection(range(s, e))]
            result.unaligned += extra.unaligned
        result.tags.append(np.array(spans_to_bio(spans, len(toks)), dtype=np.int64))
        result.unaligned += alignment.unaligned
        result.gold += len(doc.keyphrases) + len(doc.char_spans)
    return result


def build_vocabularies(tokens: list[TokenizedText], config: TrainConfig) -> tuple[Vocab, Vocab]:
    words: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for doc in tokens:
        words.update(w.lower() for w in doc.words)
        for w in doc.words:
            chars.update(w)
    return Vocab.build(words, config.word_min_freq, config.max_words), Vocab.build(chars, min_freq=CHAR_MIN_FREQ)


def extend_characters(extractor: KeyphraseExtractor, tokens: list[TokenizedText]) -> list[str]:
    """Add the characters of ``tokens`` that the model does not know, seen at least
    CHAR_MIN_FREQ times, to its character vocabulary and encoder; return them. Each new
    character's embedding starts from its base letter's (Unicode decomposition: ç from c,
    Õ from O) where the model knows it, else from the unknown character's. Without them, a
    model continued in another language reads every letter its first language lacks as one
    and the same unknown character."""
    counts: Counter[str] = Counter()
    for doc in tokens:
        for w in doc.words:
            counts.update(w)
    known = extractor.chars.stoi
    new = sorted((c for c, n in counts.items() if n >= CHAR_MIN_FREQ and c not in known), key=lambda c: (-counts[c], c))
    if not new:
        return []
    embed = extractor.tagger.chars.embed
    old = embed.weight.data
    rows = [known.get(unicodedata.normalize("NFD", c)[0], UNK_ID) for c in new]
    # from_pretrained draws no random numbers: training after this starts from the seeded state
    extractor.tagger.chars.embed = torch.nn.Embedding.from_pretrained(torch.cat([old, old[rows]]), freeze=False,
                                                                     padding_idx=0)
    extractor.chars = Vocab(extractor.chars.itos[2:] + new)
    return new


def fit_idf(tokens: list[TokenizedText], words: Vocab) -> torch.Tensor:
    """Inverse document frequency of every vocabulary word, scaled to [0, 1] (scikit-learn)."""
    vectorizer = TfidfVectorizer(analyzer=lambda doc: [w.lower() for w in doc.words], lowercase=False)
    vectorizer.fit(tokens)
    raw_max = float(vectorizer.idf_.max())
    idf = torch.full((len(words),), raw_max)
    for word, column in vectorizer.vocabulary_.items():
        idx = words[word]
        if idx > 1:
            idf[idx] = float(vectorizer.idf_[column])
    idf[0] = 0.0
    return idf / raw_max


def _epoch_batches(
    sets: list[LabelledSet], arrays: list[list[Any]], config: TrainConfig, window_tokens: int, epoch: int
) -> list[tuple[int, list[Window]]]:
    """This epoch's batches as (set index, windows), seeded by seed and epoch."""
    rng = random.Random(config.seed * 1000 + epoch)
    chosen: list[tuple[int, Window]] = []
    for s, data in enumerate(sets):
        for d, toks in enumerate(data.tokens):
            spans = windows(toks, window_tokens)
            if len(spans) > config.max_windows_per_doc:
                # The opening window (title, abstract) always; where most keyphrases of a paper are.
                spans = spans[:1] + rng.sample(spans[1:], config.max_windows_per_doc - 1)
            chosen += [(s, Window(d, a, b)) for a, b in spans]
    rng.shuffle(chosen)
    batches = []
    chunk = config.batch_size * 50
    for c in range(0, len(chosen), chunk):
        part = sorted(chosen[c : c + chunk], key=lambda x: (x[0], len(x[1])))
        group: list[tuple[int, Window]] = []
        for item in part:
            if group and (item[0] != group[0][0] or len(group) == config.batch_size):
                batches.append((group[0][0], [w for _, w in group]))
                group = []
            group.append(item)
        if group:
            batches.append((group[0][0], [w for _, w in group]))
    rng.shuffle(batches)
    return batches


def dev_f1_10(extractor: Extractor, dev_sets: list[list[Document]]) -> list[float]:
    """F1@10 on each dev file (the protocol of ``evaluate``), one score per file."""
    return [evaluate(extractor, docs)["f1@10"] for docs in dev_sets]


def _dev_score(extractor: Extractor, dev_sets: list[list[Document]]) -> float:
    scores = dev_f1_10(extractor, dev_sets)
    return float(np.mean(scores)) if scores else 0.0


def train(
    config: TrainConfig,
    model_config: ModelConfig,
    output: str | Path,
    on_event: Callable[[TrainEvent], None] | None = None,
    log: Callable[[str], None] = print,
    resume: bool = False,
    meta: dict[str, Any] | None = None,
) -> Extractor:
    """Train on the labelled files of ``config.train``, keep the epoch with the best dev
    F1@10, save the model directory to ``output``."""
    if not config.train:
        raise InputError("no training data given")
    named = [(path, read_documents(path)) for path in config.train]
    dev_sets = [read_documents(path) for path in config.dev]
    for path, docs in [*named, *zip(config.dev, dev_sets)]:
        if not docs:  # an empty dev file would fail calibration only after the whole training
            raise InputError(f"{path}: no documents in it")
    return train_documents(named, dev_sets, config, model_config, output, on_event, log, resume, meta)


def train_documents(
    named: list[tuple[str, list[Document]]],
    dev_sets: list[list[Document]],
    config: TrainConfig,
    model_config: ModelConfig,
    output: str | Path,
    on_event: Callable[[TrainEvent], None] | None = None,
    log: Callable[[str], None] = print,
    resume: bool = False,
    meta: dict[str, Any] | None = None,
) -> Extractor:
    """Train a new model, or continue ``config.base``, on documents already read (gold or
    silver keyphrases)."""
    check_output(output)  # before any work: a file or a folder of other things is never replaced
    general = build_general_rarity() if config.general_rarity else None  # before any work too: wordfreq is an extra
    base, base_lang = _load_base(config, log) if config.base is not None else (None, None)
    if config.learning_rate is None:  # the default for the case, recorded in meta.json as used
        config = replace(config, learning_rate=default_learning_rate(base_lang, config.lang))
        across = base_lang is not None and config.lang is not None and config.lang != base_lang
        log(f"learning rate {config.learning_rate:g}"
            + (f" (continuing a model trained in {base_lang!r} on texts in {config.lang!r})" if across else ""))
    teacher = load(config.teacher) if config.teacher is not None else None  # a wrong name fails before any work
    if base is None and config.anchor_weight > 0:
        raise InputError("--anchor-weight pulls the weights towards a base model's: give the model with --base")
    if base is None and model_config.word_dim == 0 and (config.pretrained_vectors or config.word_vector_epochs):
        raise InputError("--word-dim 0 reads no words: it cannot start from word vectors")
    if base is None:
        model_config = replace(model_config, lang=config.lang or model_config.lang)
    tokenizer = base.tokenizer if base is not None else Tokenizer(lang=model_config.lang)
    # A file given twice is labelled once and its set sampled twice per epoch (oversampled); the
    # vocabulary, the IDF, the word vectors and a teacher's beliefs describe the distinct texts.
    keys = [Path(name).resolve() for name, _ in named]  # one file, however its path is spelt
    labelled: dict[Path, LabelledSet] = {}
    for key, (name, docs) in zip(keys, named):
        if key not in labelled:
            labelled[key] = label(name, docs, tokenizer)
    sets = [labelled[key] for key in keys]
    distinct = list(labelled.values())
    times = Counter(keys)
    for key, s in labelled.items():
        log(f"{s.name}: {len(s.documents)} documents, {sum(len(t) for t in s.tokens)} tokens, "
            f"{s.unaligned}/{s.gold} gold phrases not aligned (absent or cut by token boundaries)"
            + (f", sampled {times[key]} times per epoch" if times[key] > 1 else ""))
    if teacher is None and not any(tags.any() for s in distinct for tags in s.tags):
        raise InputError(f"no training document has a keyphrase that occurs in its text ({sum(s.gold for s in distinct)} "
                         f"gold phrases in {sum(len(s.documents) for s in distinct)} documents, none found in the "
                         "text): nothing to learn from; check the records' 'keyphrases' (or give --teacher)")
    if teacher is not None:
        _teach(distinct, teacher, str(config.teacher), log)
        del teacher  # its beliefs are in the sets now; training needs no more of it
    _seed(config.seed)  # loading a model draws random numbers: every run starts from the same state
    if base is not None and config.new_characters:
        texts = [t for s in distinct for t in s.tokens]
        for tagger in base.taggers:
            added = extend_characters(tagger, texts)
            log(f"new characters: {len(added)} added to the base's {len(tagger.chars) - len(added) - 2}"
                + (f" ({''.join(added)})" if added else ""))
    if base is not None:
        if not dev_sets:
            log("no dev data: the new model ranks by plain span marginals, without the base's phrase scorer "
                "(its trees were fitted to the base's scores); give --dev to calibrate it")
        meta = {**(meta or {}), "base_model": base_record(config.base, base.meta)}
        if isinstance(base, EnsembleExtractor):
            return _continue_ensemble(base, sets, dev_sets, config, output, on_event, log, resume, meta)
        assert isinstance(base, KeyphraseExtractor)
        return fit(base, sets, dev_sets, config, output, on_event, log, resume, meta, keep_start=True,
                   anchor_weight=config.anchor_weight)
    all_tokens = [t for s in distinct for t in s.tokens]
    words, chars = build_vocabularies(all_tokens, config)
    if model_config.word_dim == 0:  # no word identities: no words to keep, no corpus IDF to read
        words = Vocab([])
    learned = len(words)
    if config.pretrained_vectors:
        pretrained_words, vectors = load_vectors(config.pretrained_vectors)
        words, learned = extend_vocabulary(words, pretrained_words, config.pretrained_words)
        model_config = replace(model_config, pretrained_dim=int(vectors.shape[1]))
        log(f"{config.pretrained_vectors}: {len(words) - learned} of its words added to the {learned} of the "
            "training texts (frozen vectors and general-English rarity for all)")
    if general is not None:
        model_config = replace(model_config, general_rarity=True)
        log(f"general word rarity: the {RARITY_WORDS:,} most frequent words of {len(general.lists)} languages "
            f"({general.source})")
    tagger = KeyphraseTagger(model_config, len(words), len(chars), learned_words=learned)
    if model_config.word_dim:
        tagger.idf.copy_(fit_idf(all_tokens, words))
    if config.pretrained_vectors:
        table, rarity = pretrained_tables(words, pretrained_words, vectors)
        tagger.pretrained.copy_(table)
        tagger.rarity.copy_(rarity)
    extractor = KeyphraseExtractor(tagger, words, chars, tokenizer=tokenizer, rarity=general)
    if config.word_vector_epochs > 0 and not resume:  # a resumed run restarts from its checkpoint instead
        vectors = train_word_vectors(all_tokens, words, model_config.word_dim,
                                     WordVectorConfig(epochs=config.word_vector_epochs, seed=config.seed), log)
        tagger.words.weight.data.copy_(vectors[:learned])
    if config.pretrain_epochs > 0 and not resume:  # a resumed run restarts from its checkpoint instead
        pretrain_encoder(extractor, all_tokens, config.pretrain_epochs, config.batch_size, config.learning_rate,
                         config.seed, config.max_windows_per_doc, log)
    return fit(extractor, sets, dev_sets, config, output, on_event, log, resume, meta)


# What a continued model's meta.json keeps of its base's (the base's own record, nested).
BASE_RECORD = ("name", "training_data", "train_config", "training", "base_model")
# The ModelConfig fields calibrate() chooses on dev data (the rest is architecture).
CALIBRATED = ("candidate_min_prob", "aggregation", "select_threshold", "selection", "phrase_scorer")


def base_record(path: str, base_meta: dict[str, Any]) -> dict[str, Any]:
    """What a model built from another one records of it in meta.json (``base_model``)."""
    return {"path": path, **{k: base_meta[k] for k in BASE_RECORD if k in base_meta}}


def _load_base(config: TrainConfig, log: Callable[[str], None]) -> tuple[Extractor, str]:
    """The model to continue, with its calibrated inference settings set back to a new
    model's: dev scores during training rank by plain span marginals, as they did when the
    base was trained, and calibration re-chooses everything afterwards. An ensemble's
    members are reset the same way. Also the language the base was trained in (before
    ``config.lang`` replaces it)."""
    if config.pretrain_epochs > 0 or config.word_vector_epochs > 0:
        raise InputError("pre-training is for new models (a language model: --pretrain-epochs; word vectors: "
                         "--word-vector-epochs); a base model (--base) has already been trained")
    base = load(config.base)
    trained_in = base.config.lang
    if config.lang is not None:
        base.set_language(config.lang)  # texts of config.lang: the continued model's language
    fresh = ModelConfig()
    members = base.taggers
    for model in members if base in members else [base, *members]:  # an ensemble's own settings too
        model.config = replace(model.config, **{name: getattr(fresh, name) for name in CALIBRATED})
        model.phrase_scorer = None
    log(f"continuing {config.base}" + (f" (an ensemble: each of its {len(members)} members in turn)"
                                       if len(members) > 1 else "")
        + f": vocabularies ({', '.join(str(len(m.words)) for m in members)} words), architecture and IDF are kept")
    return base, trained_in


def _continue_ensemble(
    base: EnsembleExtractor,
    sets: list[LabelledSet],
    dev_sets: list[list[Document]],
    config: TrainConfig,
    output: str | Path,
    on_event: Callable[[TrainEvent], None] | None,
    log: Callable[[str], None],
    resume: bool,
    meta: dict[str, Any],
) -> EnsembleExtractor:
    """Continue every member of an ensemble on the same data (each as ``fit`` continues a
    single model), then calibrate the ensemble anew on the dev data. Members are written
    beside ``output`` while they train; with ``resume`` a member already finished is kept."""
    output = Path(output)
    members = []
    for i, member in enumerate(base.members, start=1):
        where = output.with_name(f".{output.name}.member-{i}")
        if resume and (where / "config.json").is_file():
            log(f"member {i} of {len(base.members)}: already continued, kept ({where})")
            members.append(load(where))
            continue
        log(f"member {i} of {len(base.members)}")
        members.append(fit(member, sets, dev_sets, config, where, on_event, log, resume, meta, keep_start=True,
                           anchor_weight=config.anchor_weight, calibrate_on_dev=False))
    ensemble = EnsembleExtractor(members, base.config)
    calibration = None
    if dev_sets:
        result = calibrate(ensemble, dev_sets, log, phrase_scorer=config.phrase_scorer, seed=config.seed)
        result.apply(ensemble)
        calibration = result.report
    ensemble.meta = {
        **meta, "training_data": list(config.train) or [s.name for s in sets], "dev_data": list(config.dev),
        "train_config": {k: v for k, v in asdict(config).items() if k not in ("train", "dev")},
        "members": member_records(members),
        "environment": library_versions(),
        **({"calibration": calibration} if calibration else {}),
    }
    save(ensemble, output)
    for i in range(1, len(members) + 1):
        shutil.rmtree(output.with_name(f".{output.name}.member-{i}"), ignore_errors=True)
    return ensemble


def _teach(sets: list[LabelledSet], teacher: Extractor, teacher_name: str, log: Callable[[str], None]) -> None:
    """Give every labelled set its teacher's tag probabilities (``LabelledSet.targets``)."""
    started = time.time()
    for s in sets:
        s.targets = token_marginals(teacher, s.tokens)
    tagged = sum(float((t[:, 1] > 0.5).sum()) for s in sets for t in s.targets)
    log(f"teacher {teacher_name}: tag probabilities of {sum(len(t) for s in sets for t in s.tokens)} tokens "
        f"({tagged:.0f} likely phrase starts) in {time.time() - started:.0f} s")


def _seed(seed: int) -> None:
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)


def fit(
    extractor: KeyphraseExtractor,
    sets: list[LabelledSet],
    dev_sets: list[list[Document]],
    config: TrainConfig,
    output: str | Path,
    on_event: Callable[[TrainEvent], None] | None = None,
    log: Callable[[str], None] = print,
    resume: bool = False,
    meta: dict[str, Any] | None = None,
    anchor_weight: float = 0.0,
    calibrate_on_dev: bool = True,
    keep_start: bool = False,
) -> KeyphraseExtractor:
    """The training loop on labelled sets; saves the best epoch to ``output``.

    ``anchor_weight`` > 0 adds an L2 penalty towards the starting weights (L2-SP), which
    keeps a fine-tuned model near its base: adaptation's guard against drift.
    ``keep_start`` scores the starting weights on dev as epoch 0, so that continuing a
    trained model returns it unchanged when no epoch of further training beats it.
    """
    started = time.time()
    _seed(config.seed)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = output.with_name(f".{output.name}.checkpoint.pt")
    tagger = extractor.tagger
    model_config = extractor.config
    featurized: dict[int, list[Any]] = {}  # a set sampled twice (a file given twice) is featurized once
    for s in sets:
        if id(s) not in featurized:
            featurized[id(s)] = [extractor.featurize(t) for t in s.tokens]
    arrays = [featurized[id(s)] for s in sets]
    # train_documents sets the rate for the case; a caller of fit alone gets a new model's
    rate = config.learning_rate if config.learning_rate is not None else NEW_MODEL_LEARNING_RATE
    optimizer = torch.optim.Adam(tagger.parameters(), lr=rate)
    anchor = [p.detach().clone() for p in tagger.parameters()] if anchor_weight > 0 else []

    state = {"epoch": 0, "best_f1": float("-inf"), "best_epoch": 0, "bad_epochs": 0, "best_state": None}
    if resume and checkpoint.exists():
        saved = torch.load(checkpoint, map_location="cpu", weights_only=True)
        tagger.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        log(f"resumed from {checkpoint} after epoch {state['epoch']}")

    if keep_start and dev_sets and state["epoch"] == 0:
        tagger.eval()
        state.update(best_f1=_dev_score(extractor, dev_sets), best_state=copy.deepcopy(tagger.state_dict()))
        log(f"epoch 0 (the starting model): dev F1@10 {state['best_f1']:.4f}")

    notify = on_event or (lambda event: None)
    for epoch in range(state["epoch"] + 1, config.epochs + 1):
        if state["bad_epochs"] >= config.patience:
            break
        tagger.train()
        batches = _epoch_batches(sets, arrays, config, model_config.window_tokens, epoch)
        notify(TrainEvent("epoch_start", epoch, steps=len(batches)))
        generator = torch.Generator().manual_seed(config.seed * 1000 + epoch)
        learning_rate = optimizer.param_groups[0]["lr"]
        total = 0.0
        for step, (s, group) in enumerate(batches, start=1):
            batch = collate(arrays[s], group, sets[s].tags, sets[s].targets or None)
            word_ids = batch.word_ids
            if config.word_dropout > 0:
                drop = (torch.rand(word_ids.shape, generator=generator) < config.word_dropout) & batch.mask
                word_ids = word_ids.masked_fill(drop, 1)
            emissions = tagger(word_ids, batch.char_ids, batch.features, batch.mask)
            assert batch.tags is not None
            loss = tagger.crf.nll(emissions, batch.tags, batch.mask)
            if batch.targets is not None:  # a teacher's beliefs beside the gold tags
                loss = (1 - config.teacher_weight) * loss + config.teacher_weight * tagger.crf.soft_nll(
                    emissions, batch.targets, batch.mask)
            if anchor:
                loss = loss + anchor_weight * sum(((p - p0) ** 2).sum() for p, p0 in zip(tagger.parameters(), anchor))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), config.grad_clip)
            optimizer.step()
            tagger.crf.apply_constraints()
            total += loss.item()
            notify(TrainEvent("step", epoch, step, len(batches), total / step))
        mean_loss = total / max(len(batches), 1)
        # Without dev data the epoch with the lowest training loss is kept.
        dev_f1 = _dev_score(extractor, dev_sets) if dev_sets else -mean_loss
        if dev_f1 > state["best_f1"]:
            state.update(best_f1=dev_f1, best_epoch=epoch, bad_epochs=0)
            state["best_state"] = copy.deepcopy(tagger.state_dict())
        else:
            state["bad_epochs"] += 1
            for param_group in optimizer.param_groups:  # saved with the optimizer: a resumed run keeps it
                param_group["lr"] *= config.lr_decay
        state["epoch"] = epoch
        measure = "dev F1@10" if dev_sets else "selection score (-loss, no dev data)"
        log(f"epoch {epoch}: lr {learning_rate:.3g}, loss {mean_loss:.4f}, {measure} {dev_f1:.4f} "
            f"(best {state['best_f1']:.4f} at epoch {state['best_epoch']}), {time.time() - started:.0f} s")
        notify(TrainEvent("epoch_end", epoch, len(batches), len(batches), total / max(len(batches), 1),
                          dev_f1, state["best_f1"], "dev F1@10" if dev_sets else "-loss"))
        torch.save({"model": tagger.state_dict(), "optimizer": optimizer.state_dict(), "state": state}, checkpoint)

    if state["best_state"] is not None:
        tagger.load_state_dict(state["best_state"])
    tagger.crf.apply_constraints()
    tagger.eval()
    calibration = None
    if dev_sets and calibrate_on_dev:
        result = calibrate(extractor, dev_sets, log, phrase_scorer=config.phrase_scorer, seed=config.seed)
        result.apply(extractor)
        calibration = result.report
    extractor.meta = {
        **(meta or {}),
        "training_data": list(config.train) or [s.name for s in sets],
        "dev_data": list(config.dev),
        "train_config": {k: v for k, v in asdict(config).items() if k not in ("train", "dev")},
        "parameters": sum(p.numel() for p in tagger.parameters()),
        "training": {
            "best_dev_f1_10": round(state["best_f1"], 4) if dev_sets else None,  # type: ignore[arg-type]
            "best_epoch": state["best_epoch"],
            "epochs_run": state["epoch"],
            "seconds": round(time.time() - started),
            "unaligned": f"{sum(s.unaligned for s in sets)} of {sum(s.gold for s in sets)} gold phrases",
        },
        "environment": library_versions(),
        **({"calibration": calibration} if calibration else {}),
    }
    save(extractor, output)
    checkpoint.unlink(missing_ok=True)
    return extractor
