"""What kwextract needs to know about a language: its stop words and how to stem its words.

Stop words decide which tokens may start or end a keyphrase and which words TF-IDF weighs;
stems merge a phrase's variants ("réseaux neuronaux" / "réseau neuronal") in ranking and in
the evaluation protocol. Stop words are spaCy's for the language (the tokenizer is spaCy's
blank pipeline for it too). English stems with kwextract's own Porter stemmer (as it always
has); every other language with its Snowball stemmer from the ``snowballstemmer`` package.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import InputError, KwextractWarning, outside_stacklevel
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


AUTO = "auto"  # read each text in the language it is written in (``check_reading_language``)


def check_language(code: str) -> str:
    """The ISO 639-1 code of ``code`` if kwextract supports it ("fr", also "FR", "fr-CA" or
    "pt_BR": a language tag's first part, lowercased), else an InputError listing what it supports."""
    base = code.strip().lower().replace("_", "-").split("-")[0] if isinstance(code, str) else code
    if base == AUTO:
        raise InputError("language 'auto' (each text read in its own language) is for extracting keyphrases "
                         "(extract, batch, load); training, adapting, calibrating and evaluating read one "
                         f"language: give its code ({', '.join(SUPPORTED)})")
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
GUARD_MIN_WORDS = 20  # shorter texts (titles) are not judged by their stop words
GUARD_MIN_LETTERS = 60  # nor by their script (a Chinese sentence has few "words", all long)
GUARD_WORDS = 400  # the first this many words are enough
FITS = 0.2  # a text a fifth of whose words are its language's stop words is taken to be in it
# lang="auto" reads a text of SHORT_MIN_WORDS to GUARD_MIN_WORDS - 1 words in another language than
# the fallback when that language also counts SHORT_MARGIN more of its stop words in it (detect_language;
# chosen by experiments/short_texts_language.py, docs/other-languages.md)
SHORT_MIN_WORDS = 6
SHORT_MARGIN = 2
SCRIPT_SHARE = 0.6  # a text this much of whose letters are in one script is written in it

# Scripts that only some languages are written in (Unicode's name for a letter begins with its
# script's): a text mostly in one of them is in one of those languages, whatever its stop words
# say. The other supported languages are written in Latin letters (Serbian in both).
SCRIPTS = {"CYRILLIC": ("ru", "sr"), "ARABIC": ("ar",), "GREEK": ("el",), "DEVANAGARI": ("hi", "ne"),
           "ARMENIAN": ("hy",), "TAMIL": ("ta",)}
# Scripts of languages kwextract does not read, and the code a warning names them by.
UNREAD_SCRIPTS = {"CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "THAI": "th", "HEBREW": "he",
                  "GEORGIAN": "ka", "BENGALI": "bn", "GUJARATI": "gu", "TELUGU": "te", "KANNADA": "kn",
                  "MALAYALAM": "ml", "KHMER": "km", "ETHIOPIC": "am", "SINHALA": "si", "MYANMAR": "my", "LAO": "lo"}


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, the first word of its Unicode name ("CYRILLIC SMALL LETTER A")."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0].split("-", 1)[0]


def _scripts_of(lang: str) -> set[str]:
    found = {script for script, codes in SCRIPTS.items() if lang in codes}
    return found | {"LATIN"} if lang == "sr" or not found else found


def _letters(word: str) -> int:
    return len(word) if word.isalpha() else sum(c.isalpha() for c in word)


def _other_script(words: Sequence[str], lang: str) -> tuple[str, float] | None:
    """The script most of the words' letters are in, if ``lang`` is not written in it, with
    that share; None when ``lang`` fits. ASCII letters are Latin without a look-up."""
    counts: Counter[str] = Counter()
    for word in words:
        if word.isascii():
            counts["LATIN"] += _letters(word)
        else:
            counts.update(_script(c) for c in word if c.isalpha())
    total = sum(counts.values())
    script, most = counts.most_common(1)[0] if counts else ("LATIN", 0)
    east_asian = counts["CJK"] + counts["HIRAGANA"] + counts["KATAKANA"] + counts["HANGUL"]
    if most < SCRIPT_SHARE * total <= east_asian:  # Japanese mixes kanji and kana; Korean may hold hanja
        script = "HIRAGANA" if counts["HIRAGANA"] + counts["KATAKANA"] else "HANGUL" if counts["HANGUL"] else "CJK"
        most = east_asian
    if not total or most < SCRIPT_SHARE * total or script in _scripts_of(lang):
        return None
    return script, most / total


def other_language(words: tuple[str, ...], lang: str) -> tuple[str, float, float] | None:
    """The language these words are clearly in, if not ``lang``: (its code, the share of the
    words that are its stop words, the share that are ``lang``'s); None when ``lang`` fits or
    the text is too short to tell. Function words make up a third or more of running text in
    these languages, and each language's are largely its own. A text mostly in another script
    than ``lang``'s is in a language of that script (``SCRIPTS``); in one kwextract does not
    read (``UNREAD_SCRIPTS``), the code is that language's and the first share is the share of
    the letters in its script."""
    head = words[:GUARD_WORDS]
    sample = [w.lower() for w in head if w.isalpha()]
    own = sum(w in rules(lang).stop_words for w in sample) / len(sample) if sample else 0.0
    if own >= FITS and len(sample) >= GUARD_MIN_WORDS:  # the usual case, decided without loading other languages
        return None
    if sum(map(_letters, head)) < GUARD_MIN_LETTERS:
        return None
    written = _other_script(head, lang)  # all words: a Chinese sentence is one token, full stops and all
    if written is not None:
        script, letters = written
        if script not in SCRIPTS:
            return UNREAD_SCRIPTS.get(script, script.lower()), letters, own
        shares = {code: sum(w in rules(code).stop_words for w in sample) / max(len(sample), 1)
                  for code in SCRIPTS[script]}
        best = max(shares, key=lambda code: shares[code])
        return best, shares[best], own
    if len(sample) < GUARD_MIN_WORDS or own >= FITS:
        return None
    shares = {code: sum(w in rules(code).stop_words for w in sample) / len(sample) for code in GUESSED if code != lang}
    shares[lang] = own
    best = max(shares, key=lambda code: shares[code])
    if best != lang and shares[best] >= FITS and shares[lang] < 0.5 * shares[best]:
        return best, shares[best], shares[lang]
    return None


def check_reading_language(code: str) -> str:
    """``check_language``, or AUTO for "auto" (any case): texts to extract from may each be
    read in the language they are written in."""
    return AUTO if isinstance(code, str) and code.strip().lower() == AUTO else check_language(code)


def detect_language(words: tuple[str, ...], fallback: str) -> str:
    """The language ``words`` (a text's tokens as ``fallback``'s tokenizer read them) are
    written in: by their script where it names one (Cyrillic, Greek, Arabic, Devanagari...:
    ``other_language``), else the language of GUESSED (and ``fallback``) whose stop words make
    up the largest share of them, at least FITS; ``fallback`` for a text of under
    SHORT_MIN_WORDS words, one in a script kwextract does not read, or one whose language it
    cannot tell. Unlike the guard, which asks whether a text is clearly *not* in ``fallback``,
    this picks the best language: French and Portuguese share enough stop words that a
    Portuguese text read as French passes the guard. A short text (a title, a headline: under
    GUARD_MIN_WORDS words, where the guard stays silent) is read in another language than
    ``fallback`` only if it also holds SHORT_MARGIN more of that language's stop words than of
    the fallback's: "de la" in a ten-word English title is a fifth of its words."""
    found = other_language(words, fallback)
    if found is not None and found[0] not in GUESSED:  # decided by its script
        return found[0] if found[0] in SNOWBALL else fallback
    sample = [w.lower() for w in words[:GUARD_WORDS] if w.isalpha()]
    if len(sample) < SHORT_MIN_WORDS:
        return fallback
    counts = {code: sum(w in rules(code).stop_words for w in sample) for code in dict.fromkeys((fallback, *GUESSED))}
    best = max(counts, key=lambda code: (counts[code], code == fallback))  # ties: the fallback
    if counts[best] / len(sample) < FITS:
        return fallback
    if len(sample) < GUARD_MIN_WORDS and best != fallback and counts[best] < counts[fallback] + SHORT_MARGIN:
        return fallback
    return best


ANOTHER_LANGUAGE = r"(text \d+|document .*) looks '\w+', not '\w+'"  # the guard's warnings, as a filter's pattern


def warn_if_another_language(texts: Sequence[TokenizedText], ids: Sequence[str] | None = None) -> None:
    """One warning (KwextractWarning) for the first text that is clearly in another language
    than it is read as (``other_language``), naming it (``ids``: a corpus's document ids;
    otherwise "text N"), the language it looks like and ``--lang``: read in the wrong language,
    its tokens, stop words and stems (and any scores of it) are wrong. The warning points at
    the caller's line outside kwextract."""
    for number, doc in enumerate(texts):
        found = other_language(doc.words, doc.lang)
        if found is None:
            continue
        code, share, own = found
        name, python = (f"text {number + 1}", f"load(..., lang={code!r})") if ids is None else \
            (f"document {ids[number]!r}", f"lang={code!r}")
        if code not in SNOWBALL:
            warnings.warn(f"{name} looks {code!r}, not {doc.lang!r} (the language it is read as): {share:.0%} of its "
                          f"letters are in a script that none of the languages kwextract reads is written in, so its "
                          f"words, stop words and keyphrases are not meaningful (kwextract reads {', '.join(SUPPORTED)})",
                          KwextractWarning, stacklevel=outside_stacklevel())
            return
        warnings.warn(f"{name} looks {code!r}, not {doc.lang!r} (the language it is read as): {share:.0%} of its "
                      f"words are {code!r} stop words, {own:.0%} {doc.lang!r} ones; pass --lang {code} (Python: "
                      f"{python}) so that its own tokenizer, stop words and stems apply",
                      KwextractWarning, stacklevel=outside_stacklevel())
        return


@lru_cache(maxsize=STEM_CACHE)
def _english_stem(word: str) -> str:
    return porter_stem(word.lower())
