"""A model is a directory; ``save`` writes one, ``load`` reads one.

Layout (format version 2; version 1, without pretrained word vectors, is read too):
    config.json     format version, kwextract version, ModelConfig, tag set, feature names
    weights.pt      a tensors-only state dict, read with ``torch.load(weights_only=True)``
    phrase_scorer.pt  only when config.json says ``"phrase_scorer": true``: the phrase
                    scorer's trees as tensors (see phrase_scorer.py), read the same way
    words.json      word vocabulary (list, index = id)
    chars.json      character vocabulary
    rarity.json.gz  only when config.json says ``"general_rarity": true`` or a
                    ``"foreign_tfidf_weight"`` above 0: ranked word lists per language (rarity.py)
    meta.json       model card data: training data, hyperparameters, measured scores
    MODEL_CARD.md   the same, for people

An ensemble (ensemble.py) is a directory of the same kind whose config.json lists its
members, each a model directory inside it (``member-1``, ``member-2``, ...); it has no
weights or vocabularies of its own, only its ranking settings, phrase scorer and card.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from .bio import TAGS
from .config import FORMAT_VERSION, OLDEST_FORMAT_VERSION, ModelConfig, check_precision_name, from_dict
from .errors import InputError, KwextractWarning, ModelFormatError, ModelNotFoundError
from .language import AUTO, check_language, check_reading_language
from .ensemble import EnsembleExtractor
from .extractor import Extractor, KeyphraseExtractor
from .featurize import FEATURES, GENERAL_RARITY
from .model import KeyphraseTagger
from .phrase_scorer import PhraseScorer
from .rarity import RARITY_ATTRIBUTION, RARITY_FILE, RARITY_WORDS, GeneralRarity
from .ranking import EXPECTED_F1_RULES, FUSION_POOL
from .tokenize import Tokenizer
from .vocab import Vocab

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "default"
REQUIRED_FILES = ("config.json", "weights.pt", "words.json", "chars.json")


# Names of bundled models: the default (an ensemble of two taggers), its first tagger alone,
# with its own calibration: about twice as fast, a little less accurate; and "multi", a tagger
# that reads no word identities, for text in other languages than English (README).
BUNDLED = {"default": DEFAULT_MODEL_DIR, "fast": DEFAULT_MODEL_DIR / "member-1",
           "multi": DEFAULT_MODEL_DIR.parent / "multi"}


def resolve(name_or_path: str | Path | None) -> Path:
    """``None`` or ``"default"`` is the bundled model, ``"fast"`` its single-tagger
    variant, ``"multi"`` the model for other languages; anything else is a directory path."""
    path = BUNDLED["default"] if name_or_path is None else BUNDLED.get(str(name_or_path))
    if path is None:
        path = Path(name_or_path).expanduser()  # type: ignore[arg-type]
    if not path.is_dir():
        raise ModelNotFoundError(
            f"no model directory at {path}: pass a folder written by 'kwextract train', or omit it for the bundled "
            "model ('fast' for its single-tagger variant, 'multi' for other languages)"
        )
    if not (path / "config.json").is_file() and not any((path / name).exists() for name in REQUIRED_FILES):
        raise ModelNotFoundError(f"{path}: not a kwextract model directory (no config.json); pass a folder written "
                                 "by 'kwextract train', or nothing for the bundled model")
    return path


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise ModelFormatError(f"{path}: file missing from the model directory; re-save or re-train the model")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelFormatError(f"{path}: corrupted JSON ({err}); re-save or re-train the model") from err


def load(name_or_path: str | Path | None = None, quantize: bool = False, lang: str | None = None,
         precision: str = "float32") -> Extractor:
    """Load a model directory (or the bundled default model) as a ready extractor: a
    ``KeyphraseExtractor``, or an ``EnsembleExtractor`` when the directory holds members.

    ``lang`` (an ISO 639-1 code: "fr", "pt"...) is the language of the texts it will read:
    their tokenizer, stop words and stemmer; by default the model's own language. ``"auto"``
    reads each text in the language it is written in (``tokenize.AutoTokenizer``).

    ``quantize=True`` converts the recurrent and linear layers to dynamic int8 (faster on
    CPU; ``benchmarks/speed.py`` measures the speed and the F1 difference).

    ``precision="bfloat16"`` runs the recurrent encoder in bfloat16, for inference only: about
    1.3× faster end to end on a CPU that computes bfloat16 natively (AMX or AVX512-BF16), the
    same F1 to a few hundredths of a point, though a few top-10 lists change by rounding
    (``experiments/bf16_encoder.py``); elsewhere it is emulated and slower, and a warning says so.
    """
    _check_precision(precision)
    if quantize and precision != "float32":
        raise InputError(f"quantize=True and precision={precision!r} do not combine; choose one")
    if lang is not None and check_reading_language(lang) == AUTO:
        extractor = _load_directory(resolve(name_or_path), quantize, None, precision)
        extractor.set_language(AUTO)
        return extractor
    return _load_directory(resolve(name_or_path), quantize, lang, precision)


def _load_directory(path: Path, quantize: bool, lang: str | None, precision: str,
                    tokenizer: Tokenizer | None = None) -> Extractor:
    """``load`` of a model directory already found (an ensemble's members are loaded with it;
    ``tokenizer``: one already made for ``lang``, which a single model then shares)."""
    config_data = _read_json(path / "config.json")
    config = _model_config(path, config_data)
    lang = check_language(lang) if lang is not None else config.lang
    meta_path = path / "meta.json"
    meta = _read_json(meta_path) if meta_path.exists() else {}
    if not isinstance(meta, dict):
        raise ModelFormatError(f"{meta_path}: not a JSON object; re-save the model, or delete the file (it holds "
                               "only the model card's data)")
    phrase_scorer = _load_phrase_scorer(path / "phrase_scorer.pt") if config.phrase_scorer else None
    if "members" in config_data:
        return EnsembleExtractor(_load_members(path, config_data["members"], quantize, lang, precision), config,
                                 meta, phrase_scorer)
    return _load_tagger(path, config, meta, phrase_scorer, quantize, lang, precision, tokenizer)


def _check_precision(precision: str) -> str:
    """``precision`` if the encoder can run in it, else an InputError naming the choices; a
    warning when bfloat16 would be emulated (slower) on this CPU."""
    check_precision_name(precision)
    if precision == "bfloat16" and not _native_bfloat16():
        warnings.warn("this CPU has no native bfloat16 (AMX or AVX512-BF16): precision='bfloat16' is emulated and "
                      "slower than float32 here", KwextractWarning, stacklevel=3)
    return precision


def _native_bfloat16() -> bool:
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch build without the check
        return False


def _model_config(path: Path, config_data: Any) -> ModelConfig:
    """The ModelConfig of a config.json, after checking its format version: a model written
    by a newer kwextract says which release wrote it and to upgrade."""
    from . import __version__

    where = path / "config.json"
    if not isinstance(config_data, dict):
        raise ModelFormatError(f"{where}: not a JSON object; this is not a kwextract model directory, or it is damaged")
    version, writer = config_data.get("format_version"), config_data.get("kwextract_version", "an unknown version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ModelFormatError(f"{where}: no model format version; this is not a kwextract model directory, or it "
                               "is damaged (re-save or re-train the model)")
    if version > FORMAT_VERSION:
        raise ModelFormatError(
            f"{where}: written by kwextract {writer} in model format {version}, newer than this kwextract "
            f"{__version__} can read (format {FORMAT_VERSION}); upgrade: pip install --upgrade kwextract"
        )
    if version < OLDEST_FORMAT_VERSION:
        raise ModelFormatError(
            f"{where}: model format {version} (written by kwextract {writer}) is no longer read by kwextract "
            f"{__version__} (formats {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}); re-train the model, or use "
            f"kwextract {writer} to run it"
        )
    try:
        return from_dict(ModelConfig, config_data["model"])
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFormatError(f"{path / 'config.json'}: invalid model settings ({err})") from err


def _load_tagger(path: Path, config: ModelConfig, meta: dict[str, Any], phrase_scorer: PhraseScorer | None,
                 quantize: bool, lang: str, precision: str = "float32",
                 tokenizer: Tokenizer | None = None) -> KeyphraseExtractor:
    words = Vocab(_read_json(path / "words.json"))
    chars = Vocab(_read_json(path / "chars.json"))
    weights = path / "weights.pt"
    if not weights.is_file():
        raise ModelFormatError(f"{weights}: file missing from the model directory; re-save or re-train the model")
    try:
        state = torch.load(weights, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many types for a damaged archive; name the file
        raise ModelFormatError(f"{weights}: cannot read the weights ({err}); the file is corrupted or truncated") from err
    learned = state.get("words.weight") if isinstance(state, dict) and config.pretrained_dim else None
    tagger = KeyphraseTagger(config, len(words), len(chars),
                             learned_words=learned.shape[0] if isinstance(learned, torch.Tensor) else None)
    try:
        tagger.load_state_dict(state, strict=True)
    except (RuntimeError, TypeError, AttributeError) as err:
        raise ModelFormatError(f"{weights}: weights do not fit config.json and the vocabularies ({err})") from err
    tagger.crf.apply_constraints()
    tagger.eval()
    if precision == "bfloat16":
        tagger.encoder.to(torch.bfloat16)
    if quantize:
        tagger = _quantized(tagger)
    rarity = GeneralRarity.load(path) if config.general_rarity or config.foreign_tfidf_weight else None
    return KeyphraseExtractor(tagger, words, chars, meta, tokenizer or Tokenizer(lang=lang), phrase_scorer, rarity)


def _quantized(tagger: torch.nn.Module) -> torch.nn.Module:
    """``tagger`` with int8 weights in its recurrent and linear layers (torch's dynamic
    quantisation, which torch has marked deprecated: a torch without it gets a clear error)."""
    quantize_dynamic = getattr(getattr(getattr(torch, "ao", None), "quantization", None), "quantize_dynamic", None)
    if quantize_dynamic is None:
        raise InputError(f"quantize=True needs torch's dynamic quantisation, which torch {torch.__version__} "
                         "no longer has; load the model without it (float32, or precision='bfloat16')")
    with warnings.catch_warnings():  # torch's deprecation notices, once per layer: the user asked for this
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantiz.*deprecated", category=UserWarning)
        return quantize_dynamic(tagger, {torch.nn.LSTM, torch.nn.GRU, torch.nn.Linear}, dtype=torch.qint8)


def _load_members(path: Path, names: Any, quantize: bool, lang: str, precision: str) -> list[KeyphraseExtractor]:
    """An ensemble's member models, each a model directory inside ``path``."""
    if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n for n in names):
        raise ModelFormatError(f"{path / 'config.json'}: 'members' must list at least two member directories")
    members: list[KeyphraseExtractor] = []
    for name in names:
        member_path = path / name
        if Path(name).name != name or name in (".", ".."):  # "../x", "/abs", "a/b": outside the ensemble's folder
            raise ModelFormatError(f"{path / 'config.json'}: member {name!r} is not a folder directly inside the "
                                   "ensemble's directory; an ensemble holds its members (re-save it)")
        if not member_path.is_dir():
            raise ModelFormatError(f"{member_path}: member directory missing from the ensemble; re-save it")
        # the members read texts of one language: one spaCy pipeline for all (making one takes 0.2 s)
        member = _load_directory(member_path, quantize, lang, precision, members[0].tokenizer if members else None)
        if not isinstance(member, KeyphraseExtractor):
            raise ModelFormatError(f"{member_path}: an ensemble's member must be a single model, not an ensemble")
        if members and member.reads_like(members[0]):  # one vocabulary (the bundled pair's): held once
            member.words, member.chars, member.rarity = members[0].words, members[0].chars, members[0].rarity
        members.append(member)
    return members


def _load_phrase_scorer(path: Path) -> PhraseScorer:
    if not path.is_file():
        raise ModelFormatError(f"{path}: file missing from the model directory (config.json asks for a phrase "
                               "scorer); re-save or re-calibrate the model")
    try:
        return PhraseScorer.load(path)
    except Exception as err:  # a damaged archive or wrong tensors; name the file
        raise ModelFormatError(f"{path}: cannot read the phrase scorer ({err}); the file is corrupted") from err


def check_output(path: str | Path) -> Path:
    """``path`` as a place to write a model directory: nothing there yet, an empty folder, or a
    model directory, which ``save`` replaces whole. Anything else is refused, before any work
    is done: a file or a folder of other things would be replaced (and the folder deleted)."""
    target = Path(path)
    if target.is_symlink():
        raise InputError(f"{target}: is a symbolic link; give the folder itself as the output")
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder; give a new folder as the output")
    if target.is_dir() and not (target / "config.json").is_file() and any(target.iterdir()):
        raise InputError(f"{target}: a folder that is not a kwextract model (no config.json); the output replaces "
                         "its folder whole, so give a new or empty folder")
    return target


def save(extractor: Extractor, path: str | Path) -> Path:
    """Write a model directory atomically: into a temporary folder, then renamed into place. An
    existing model directory there is replaced; anything else is refused (``check_output``)."""
    from . import __version__

    target = check_output(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a model directory is read by everyone
    try:
        config: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "kwextract_version": __version__,
            # the flag says whether phrase_scorer.pt is part of the model; it follows the extractor
            "model": replace(extractor.config, phrase_scorer=extractor.phrase_scorer is not None).to_dict(),
            "tags": list(TAGS),
            "features": list(FEATURES) + ([GENERAL_RARITY] if extractor.config.general_rarity else []),
        }
        if isinstance(extractor, EnsembleExtractor):
            config["members"] = [f"member-{i}" for i in range(1, len(extractor.members) + 1)]
            for name, member in zip(config["members"], extractor.members):
                save(member, tmp / name)
        elif isinstance(extractor, KeyphraseExtractor):
            if any(p.dtype != torch.float32 for p in extractor.tagger.encoder.parameters()):
                raise InputError("this model was loaded with precision='bfloat16', for extraction only; load it "
                                 "in float32 (the default) to save or train it")
            _write_json(tmp / "words.json", extractor.words.to_list())
            _write_json(tmp / "chars.json", extractor.chars.to_list())
            state = {k: v.detach().clone().contiguous() for k, v in extractor.tagger.state_dict().items()}
            torch.save(state, tmp / "weights.pt")
            if extractor.rarity is not None:
                extractor.rarity.save(tmp)
        else:
            raise TypeError(f"cannot save a {type(extractor).__name__}")
        _write_json(tmp / "config.json", config)
        _write_json(tmp / "meta.json", extractor.meta)
        (tmp / "MODEL_CARD.md").write_text(model_card(extractor.meta, config), encoding="utf-8")
        if extractor.phrase_scorer is not None:
            extractor.phrase_scorer.save(tmp / "phrase_scorer.pt")
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def update_meta(name_or_path: str | Path, updates: dict[str, Any]) -> Path:
    """Merge ``updates`` into a model directory's meta.json and re-render its model card."""
    path = resolve(name_or_path)
    config = _read_json(path / "config.json")
    meta_path = path / "meta.json"
    meta = {**(_read_json(meta_path) if meta_path.exists() else {}), **updates}
    for name, text in (("meta.json", json.dumps(meta, indent=1, ensure_ascii=False) + "\n"),
                       ("MODEL_CARD.md", model_card(meta, config))):
        tmp = path / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path / name)
    return path


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def model_card(meta: dict[str, Any], config: dict[str, Any]) -> str:
    """A model card from meta.json, for the person choosing or using the model: what it is and
    how to use it, what it learned from and where it falls short, its measured scores, then how
    it was built."""
    m = config["model"]
    lines = [f"# kwextract model: {meta.get('name', 'unnamed')}", ""]
    if meta.get("description"):
        lines += [meta["description"], ""]
    name = meta.get("load_as")  # a bundled model's name; others are loaded by their folder
    option, argument = ("", "") if name == "default" else (f" -m {name or '<this folder>'}", f'"{name or "<this folder>"}"')
    lines += ["## Use", "",
              f"- `kwextract extract \"some text\"{option}`, or in Python `kwextract.load({argument}).extract(text)`: "
              "the 10 best keyphrases with scores (probabilities) and character offsets",
              "- `--top-k 0` (Python: `top_k=None`) lets the model decide how many keyphrases a text has: "
              + ("as many of the best as maximise the expected F1 under their scores"
                 if m.get("selection") in EXPECTED_F1_RULES else
                 f"those scored at least {m['select_threshold']}" if m.get("select_threshold") is not None else
                 "the phrases of its single best tagging"),
              f"- Long texts are read in windows of {m['window_tokens']} tokens; any length works",
              f"- Language: `{m.get('lang', 'en')}`; texts of another language with `--lang` (Python: `lang=`)", ""]
    learned = [f"- {label}: {', '.join(_data_name(v) for v in meta[key]) if isinstance(meta[key], list) else meta[key]}"
               for key, label in (("training_data", "Trained on"), ("dev_data", "Tuned on"))
               if key in meta]
    if learned or meta.get("limitations"):
        lines += ["## What it learned from, and its limits", "", *learned]
        if meta.get("limitations"):
            lines.append(f"- {meta['limitations']}")
        lines.append("")
    if meta.get("test_scores"):
        lines += ["", "## Test scores", "", meta.get("test_scores_note", ""), ""]
        lines += [
            "| test split | docs | kwextract F1@5 | F1@10 | F1@M | YAKE F1@5 | YAKE F1@10 |",
            "|---|---|---|---|---|---|---|",
        ]
        for split, s in meta["test_scores"].items():
            y = s.get("yake", {})
            lines.append(
                f"| {split} | {s['docs']} | {s['f1@5']:.3f} | {s['f1@10']:.3f} | {s['f1@M']:.3f} | "
                f"{y.get('f1@5', float('nan')):.3f} | {y.get('f1@10', float('nan')):.3f} |"
            )
    lines += ["", "## How it works", ""]
    direction = "bidirectional" if m["bidirectional"] else "unidirectional"
    if config.get("members"):
        lines.append(f"- {len(config['members'])} taggers ({', '.join(config['members'])}, each a model folder of "
                     "its own) tag every text; a phrase's evidence is the mean of their probabilities")
    lines += [
        f"- {'Each' if config.get('members') else 'The'} tagger: a {direction} {m['encoder'].upper()} ({m['num_layers']} layers, {m['hidden_size']} units "
        f"per direction) reads " + (f"word vectors ({m['word_dim']} dimensions), " if m["word_dim"] else "no word identities: ")
        + f"character patterns ({m['char_filters']} filters) and {len(config['features']) + (1 if m['word_dim'] else 0)} "
        "word features, and a CRF tags keyphrase spans (B/I/O)",
        "- A phrase's score: " + ("small gradient-boosted trees, fitted on the tuning data, weigh how probable "
                                  "the tagger finds its occurrences with how often, where and how widely it occurs"
                                  if m.get("phrase_scorer") else
                                  f"the {'best' if m['aggregation'] == 'max' else 'combined (noisy-or)'} "
                                  "probability of its occurrences"),
    ]
    if m.get("general_rarity"):
        lines.append(f"- One of the tagger's word features is the word's rarity in its text's language: its rank "
                     f"among the language's {RARITY_WORDS:,} most frequent words ({RARITY_FILE}; {RARITY_ATTRIBUTION})")
    if m.get("tfidf_weight"):
        lines.append(f"- Top-k lists: the {FUSION_POOL} best phrases re-ranked with TF-IDF evidence of weight {m['tfidf_weight']} "
                     "(how often and how early their words and the phrase recur)")
    if m.get("foreign_tfidf_weight"):
        lines.append(f"- A text in another language than {m.get('lang', 'en')!r}: its {FUSION_POOL} best phrases re-ranked with "
                     f"TF-IDF evidence of weight {m['foreign_tfidf_weight']}, each word's IDF its rarity in the text's "
                     f"language ({RARITY_FILE}; {RARITY_ATTRIBUTION})")
    if meta.get("parameters"):
        lines.append(f"- Parameters: {meta['parameters']:,}")
    for i, member in enumerate(meta.get("members") or [], start=1):
        t = member.get("training") or {}
        lines.append(f"- Tagger {i}" + (f": built by `{member['source']}`" if member.get("source") else "")
                     + (f"; best tuning-data F1@10 {t.get('best_dev_f1_10')} after {t.get('best_epoch')} epochs, "
                        f"{t.get('seconds')} s of training" if t else ""))
    if "training" in meta:
        t = meta["training"]
        lines.append(f"- Training: best tuning-data F1@10 {t.get('best_dev_f1_10')} after {t.get('best_epoch')} "
                     f"of {t.get('epochs_run')} epochs, {t.get('seconds')} s; gold phrases the tokenizer could not "
                     f"align: {t.get('unaligned')}")
    if "train_config" in meta:
        settings = ", ".join(f"{k}={v}" for k, v in meta["train_config"].items() if k not in ("train", "dev"))
        lines.append(f"- Training settings (`kwextract train` options): {settings}")
    teacher = (meta.get("train_config") or {}).get("teacher")
    if teacher:
        lines.append(f"- Distilled from: {teacher} (its tag probabilities, weight "
                     f"{meta['train_config'].get('teacher_weight')}, beside the training labels)")
    if meta.get("base_model"):
        b = meta["base_model"] if isinstance(meta["base_model"], dict) else {"path": meta["base_model"]}
        t = b.get("training") or {}
        lines.append(
            f"- Continued from: {b.get('path')} (model {b.get('name')}"
            + (f"; its best tuning-data F1@10 {t.get('best_dev_f1_10')}" if t else "")
            + (f"; settings: {', '.join(f'{k}={v}' for k, v in b['train_config'].items())}"
               if b.get("train_config") else "") + ")"
        )
    lines.append(f"- Model format {config['format_version']}, written by kwextract {config['kwextract_version']}")
    if meta.get("license"):
        lines += ["", f"Licence: {meta['license']}"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _data_name(path: str) -> str:
    """A data file as a reader knows it: ``corpus/split.jsonl``, not the trainer's own folders."""
    parts = Path(path).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else path
