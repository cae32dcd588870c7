"""How rare a word is in its own language: a per-token input of a model trained with
``--general-rarity`` (``ModelConfig.general_rarity``; docs/other-languages.md, run 16), meant
above all for models that read no word identities; and the IDF of the TF-IDF evidence that a
model with ``ModelConfig.foreign_tfidf_weight`` adds for texts in another language (run 17).
(Not the GloVe rank that models with ``--pretrained-vectors`` read per vocabulary word:
pretrained.py.)

A model with ``word_dim=0`` (``multi``) sees how often a word recurs in the text but not
whether the word is rare in the language — the half of TF-IDF it lacks. A word's general
frequency crosses languages as recurrence does, provided it is looked up in the text's own
language. The ranked word lists come from the ``wordfreq`` package (Robyn Speer; code
Apache-2.0, word lists CC-BY-SA 4.0, from Wikipedia, subtitles, books, news and web text) at
training time only: the model directory keeps them (``rarity.json.gz``), so inference needs
no ``wordfreq``. A word's rarity is ``log(1 + rank) / log(1 + N)`` by its rank among its
language's N most frequent words, 1 beyond them; a token without letters or digits is 0.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import InputError, ModelFormatError
from .language import SUPPORTED

RARITY_FILE = "rarity.json.gz"
RARITY_WORDS = 30_000  # words per language: enough to tell common from rare words (23 languages: ~3 MB gzipped)
RARITY_ATTRIBUTION = ("word lists of wordfreq by Robyn Speer (https://github.com/rspeer/wordfreq), CC-BY-SA 4.0, "
                      "from Wikipedia, OpenSubtitles, Google Books Ngrams, news and web text")
SOURCE = "wordfreq {version}: " + RARITY_ATTRIBUTION
# Beyond a list's end a word reads as rare; so does every word of a language the model keeps no
# list for (of the languages kwextract reads, wordfreq lacks eu, ga, hy, ne and sr).
RARE = 1.0


@dataclass(frozen=True)
class GeneralRarity:
    """Ranked word lists per language (most frequent first); ``of`` turns words into rarities.

    Each list is held as one newline-joined string (what ``rarity.json.gz`` stores), so that a
    model reads 23 strings, not 690,000, and builds a language's table when it first meets it."""

    lists: dict[str, str]  # language code → its most frequent words, most frequent first, one a line
    source: str = ""
    _tables: dict[str, dict[str, float]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_words(cls, words: dict[str, Sequence[str]], source: str = "") -> GeneralRarity:
        return cls({lang: "\n".join(ranked) for lang, ranked in words.items()}, source)

    def words(self, lang: str) -> list[str]:
        """``lang``'s ranked list ([] for a language without one)."""
        return self.lists[lang].split("\n") if self.lists.get(lang) else []

    def table(self, lang: str) -> dict[str, float]:
        """Lowercased word → rarity in (0, 1] for the words of ``lang``'s list (built once)."""
        if lang not in self._tables:
            ranked = self.words(lang)
            scale = math.log1p(len(ranked)) or 1.0
            self._tables[lang] = {w: math.log1p(rank) / scale for rank, w in enumerate(ranked, start=1)}
        return self._tables[lang]

    def of(self, forms: list[str], lang: str) -> np.ndarray:
        """The rarity of each word form (``_rarity``), shape (len(forms),) float32."""
        table = self.table(lang)
        return np.array([_rarity(table, form) for form in forms], dtype=np.float32)

    def idf(self, lang: str) -> Callable[[str], float]:
        """One word's rarity in ``lang``, as ``of`` gives it: the IDF that TF-IDF evidence reads
        for a text in another language than its model's (``ModelConfig.foreign_tfidf_weight``)."""
        table = self.table(lang)
        return lambda word: float(np.float32(_rarity(table, word)))

    def save(self, directory: Path) -> None:
        data = {"source": self.source, "lists": self.lists}
        with gzip.GzipFile(directory / RARITY_FILE, "wb", mtime=0) as out:  # the same lists, the same bytes
            out.write(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load(cls, directory: Path) -> GeneralRarity:
        path = directory / RARITY_FILE
        if not path.is_file():
            raise ModelFormatError(f"{path}: file missing from the model directory (config.json asks for word "
                                   "lists: general_rarity or foreign_tfidf_weight); re-save or re-train the model")
        try:
            with gzip.open(path, "rt", encoding="utf-8") as source:
                data = json.load(source)
            lists = data["lists"]
            if not isinstance(lists, dict) or not all(isinstance(v, str) for v in lists.values()):
                raise TypeError("'lists' must map language codes to newline-joined words")
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise ModelFormatError(f"{path}: not a word-rarity file ({err}); the file is corrupted") from err
        return cls(dict(lists), str(data.get("source", "")))


def _rarity(table: dict[str, float], form: str) -> float:
    """A word form's rarity by ``table`` (``GeneralRarity.table``): looked up lowercased, then
    without a trailing apostrophe (French "l'" is "l"); RARE beyond the list, 0 for a token
    without letters or digits."""
    word = form.lower()
    value = table.get(word)
    if value is None:
        value = table.get(word.rstrip("'’"), RARE) if any(map(str.isalnum, word)) else 0.0
    return value


def build_general_rarity(size: int = RARITY_WORDS) -> GeneralRarity:
    """The ``size`` most frequent words of every language kwextract reads that ``wordfreq``
    covers, or all it has (Danish 29,399, Hindi 26,604), at training time only (``pip install
    wordfreq``)."""
    try:
        import wordfreq
        from importlib.metadata import version
    except ImportError as err:
        raise InputError("--general-rarity reads word frequencies from the wordfreq package at training time: "
                         "pip install wordfreq (the model it writes keeps them; extraction does not need it)") from err
    available = wordfreq.available_languages(wordlist="best")
    words = {lang: wordfreq.top_n_list(lang, size) for lang in sorted(SUPPORTED) if lang in available}
    return GeneralRarity.from_words(words, SOURCE.format(version=version("wordfreq")))
