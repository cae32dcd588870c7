"""What kwextract needs to know about a language: its stop words and how to stem its words.

Stop words decide which tokens may start or end a keyphrase and which words TF-IDF weighs;
stems merge a phrase's variants ("réseaux neuronaux" / "réseau neuronal") in ranking and in
the evaluation protocol. Stop words are spaCy's for the language (the tokenizer is spaCy's
blank pipeline for it too). English stems with kwextract's own Porter stemmer (as it always
has); every other language with its Snowball stemmer from the ``snowballstemmer`` package.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import InputError, KwextractWarning
from .porter import porter_stem

if TYPE_CHECKING:  # tokenize imports this module
    from .tokenize import TokenizedText

ENGLISH = "en"

# ISO 639-1 code → Snowball algorithm: the languages both spaCy and Snowball know.
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "porter", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish",
    "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}
SUPPORTED = tuple(sorted(SNOWBALL))


@dataclass(frozen=True)
class LanguageRules:
    """A language's stop words (lowercase) and its stemmer (lowercases first; cached)."""

    code: str
    stop_words: frozenset[str]
    stem: Callable[[str], str] = field(repr=False, compare=False)

    def is_content(self, word: str) -> bool:
        """A word that may bound a keyphrase: it holds a letter or digit and is not a stop word."""
        return any(c.isalnum() for c in word) and word.lower() not in self.stop_words


def check_language(code: str) -> str:
    """The ISO 639-1 code of ``code`` if kwextract supports it ("fr", also "FR", "fr-CA" or
    "pt_BR": a language tag's first part, lowercased), else an InputError listing what it supports."""
    base = code.strip().lower().replace("_", "-").split("-")[0] if isinstance(code, str) else code
    if base not in SNOWBALL:
        raise InputError(f"unknown or unsupported language {code!r}; kwextract supports {', '.join(SUPPORTED)} "
                         "(ISO 639-1 codes)")
    return base


STEM_CACHE = 20_000  # words whose stems a process remembers: a corpus's common words (a text's own: normalize.Stems)


@lru_cache(maxsize=None)
def rules(code: str = ENGLISH) -> LanguageRules:
    """The stop words and stemmer of a supported language (loaded once per process)."""
    import spacy.util

    code = check_language(code)
    stop_words = frozenset(w.lower() for w in spacy.util.get_lang_class(code).Defaults.stop_words)
    if code == ENGLISH:
        return LanguageRules(code, stop_words, _english_stem)
    import snowballstemmer

    stemmer = snowballstemmer.stemmer(SNOWBALL[code])
    return LanguageRules(code, stop_words, lru_cache(maxsize=STEM_CACHE)(lambda w: stemmer.stemWord(w.lower())))


# Languages a text is compared with when the guard looks for a wrong --lang: common ones whose
# function words are frequent and distinct enough to tell them apart.
GUESSED = ("en", "fr", "pt", "es", "de", "it", "nl")
GUARD_MIN_WORDS = 20  # shorter texts (titles) are not judged
GUARD_WORDS = 400  # the first this many words are enough
FITS = 0.2  # a text a fifth of whose words are its language's stop words is taken to be in it


def other_language(words: tuple[str, ...], lang: str) -> tuple[str, float, float] | None:
    """The language these words are clearly in, if not ``lang``: (its code, the share of the
    words that are its stop words, the share that are ``lang``'s); None when ``lang`` fits or
    the text is too short to tell. Function words make up a third or more of running text in
    these languages, and each language's are largely its own."""
    sample = [w.lower() for w in words[:GUARD_WORDS] if w.isalpha()]
    if len(sample) < GUARD_MIN_WORDS:
        return None
    own = sum(w in rules(lang).stop_words for w in sample) / len(sample)
    if own >= FITS:  # the usual case, decided without loading other languages (seconds of imports)
        return None
    shares = {code: sum(w in rules(code).stop_words for w in sample) / len(sample) for code in GUESSED if code != lang}
    shares[lang] = own
    best = max(shares, key=lambda code: shares[code])
    if best != lang and shares[best] >= FITS and shares[lang] < 0.5 * shares[best]:
        return best, shares[best], shares[lang]
    return None


ANOTHER_LANGUAGE = r"(text \d+|document .*) looks '\w+', not '\w+'"  # the guard's warnings, as a filter's pattern


def warn_if_another_language(texts: Sequence[TokenizedText], ids: Sequence[str] | None = None, stacklevel: int = 2) -> None:
    """One warning (KwextractWarning) for the first text that is clearly in another language
    than it is read as (``other_language``), naming it (``ids``: a corpus's document ids;
    otherwise "text N"), the language it looks like and ``--lang``: read in the wrong language,
    its tokens, stop words and stems (and any scores of it) are wrong."""
    for number, doc in enumerate(texts):
        found = other_language(doc.words, doc.lang)
        if found is None:
            continue
        code, share, own = found
        name, python = (f"text {number + 1}", f"load(..., lang={code!r})") if ids is None else \
            (f"document {ids[number]!r}", f"lang={code!r}")
        warnings.warn(f"{name} looks {code!r}, not {doc.lang!r} (the language it is read as): {share:.0%} of its "
                      f"words are {code!r} stop words, {own:.0%} {doc.lang!r} ones; pass --lang {code} (Python: "
                      f"{python}) so that its own tokenizer, stop words and stems apply",
                      KwextractWarning, stacklevel=stacklevel + 1)
        return


@lru_cache(maxsize=STEM_CACHE)
def _english_stem(word: str) -> str:
    return porter_stem(word.lower())
