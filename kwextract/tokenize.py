"""Text → tokens with character offsets, and tokens → sentence-aligned windows.

spaCy's rule-based tokenizer for the text's language (English unless told) and its
sentencizer's rule do the work; no downloaded spaCy model is needed. Whitespace tokens are dropped, every kept token remembers where it
stands in the original text, so spans found later map back to exact characters.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LANG, LENGTH, ORTH, SENT_START
from spacy.strings import get_string_id
from spacy.language import Language
from spacy.tokens import Doc

from .language import AUTO, check_language, detect_language, rules
from .markup import JOINER
from .memory import release_free_memory


@dataclass(frozen=True)
class TokenizedText:
    """The non-whitespace tokens of one text with their character offsets.

    ``text`` is the text as given; the words are read from ``readable(text)`` (the same length),
    so a word is ``readable(text)[start:end]`` less its word joiners (U+2060, invisible),
    except a word that a hyphen broke across two lines, which ``Tokenizer`` reads whole
    (``rejoin_hyphenated``: "extrac-\ntion" is "extraction").

    Stored compactly, as a 10 MB text has two million tokens: a token's word is shared with
    every other token of the same spelling, its offsets are 32-bit (``array('i')``) and its
    sentence flag a byte (read them as sequences of ints; 1 marks a sentence's first token).
    """

    text: str
    words: tuple[str, ...]
    starts: Sequence[int]
    ends: Sequence[int]
    sentence_starts: Sequence[int]
    lang: str = "en"  # the language it was tokenized as: its stop words and stemmer apply downstream

    def __len__(self) -> int:
        return len(self.words)

    def __hash__(self) -> int:  # arrays are unhashable; equal texts tokenized alike hash alike
        return hash((self.text, self.lang, len(self.words)))


# The word attributes spaCy computes for each new spelling that kwextract reads: whitespace
# (``from_doc``), punctuation (the sentencizer's rule) and the language (``Doc.lang_`` is read
# from its getter). The others (lower case, norm, shape, affixes, like_num, ...) cost a fifth
# of the tokenizer's time on new text and a string or more each; kwextract's own stop words,
# stems and casing come from language.py and featurize.py, not from spaCy's attributes.
_READ_ATTRS = (IS_SPACE, IS_PUNCT, LANG)


# English words that spaCy's tokenizer exceptions read as contractions written without their
# apostrophe ("id" as "i" + "d", for "I'd"): in the texts kwextract reads they are words (a user
# id, the id, a cant, Wed 3 Dec), and split they gave keyphrases such as "d text".
_ENGLISH_WORDS_NOT_CONTRACTIONS = ("id", "Id", "wed", "Wed", "cant", "Cant", "wont", "Wont")


def make_nlp(lang: str = "en") -> Language:
    """A blank spaCy pipeline for ``lang`` with rule-based sentence boundaries, computing only
    the word attributes kwextract reads (``_READ_ATTRS``): the tokens and sentences are those
    of ``spacy.blank(lang)`` with a sentencizer, which no attribute of a word changes, except
    that English keeps the words of ``_ENGLISH_WORDS_NOT_CONTRACTIONS`` whole."""
    nlp = spacy.blank(check_language(lang))
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in _READ_ATTRS if attr in getters}
    if nlp.lang == "en":
        rules = nlp.tokenizer.rules or {}
        nlp.tokenizer.rules = {k: v for k, v in rules.items() if k not in _ENGLISH_WORDS_NOT_CONTRACTIONS}
    nlp.add_pipe("sentencizer")
    return nlp


def from_doc(doc: Doc, sentence_starts: list[bool] | None = None,
             spellings: dict[str, str] | None = None, lang: str | None = None,
             text: str | None = None) -> TokenizedText:
    """Keep a spaCy Doc's non-whitespace tokens, their offsets and sentence starts.

    ``sentence_starts`` (one flag per spaCy token) overrides the Doc's own boundaries,
    so a caller can supply them without writing annotations onto someone else's Doc.
    ``spellings`` shares word strings across the pieces of one long text. ``lang`` is the
    language the text is read in (stop words, stems); by default the Doc's own. ``text`` is
    the text the Doc was made from, when the caller has it (``doc.text`` joins every token anew),
    already made ``readable``. Without it, words are read from ``readable(doc.text)``: a Doc
    that another pipeline made (the spaCy component's) may hold a byte-order mark or a
    zero-width space glued to a token.
    """
    shared = {} if spellings is None else spellings
    source = doc.text if text is None else text
    text = readable(source) if text is None else text  # a caller's text is read already (Tokenizer)
    joined = JOINER in text  # word joiners (markup.py pads character references with them) leave word forms
    ligatures = LIGATURE_CHARS.search(text) is not None  # "ﬁ" in text from PDFs: the word forms spell it out
    words: list[str] = []
    starts, ends, sent_starts = array("i"), array("i"), bytearray()
    has_sents = sentence_starts is not None or doc.has_annotation("SENT_START")
    new_sentence = not has_sents  # without boundaries the text is one sentence; with them, they say where
    # Read the token attributes as one array rather than as Token objects, which spaCy makes
    # one by one (a fifth of the tokenizer's time); a token's text is its slice of the text.
    offsets, lengths, spaces, marks = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).T.tolist()
    firsts = sentence_starts if sentence_starts is not None else [mark == 1 for mark in marks]
    for start, length, space, first in zip(offsets, lengths, spaces, firsts):
        if has_sents and first:
            new_sentence = True
        if space:
            continue
        word = text[start : start + length]
        stripped = word.strip()
        if stripped != word:  # a token may carry surrounding whitespace in odd Unicode cases; trim the offsets too
            start += word.find(stripped) if stripped else 0
            word = stripped or word
        end = start + len(word)
        if joined or ligatures:  # most texts have neither: their tokens are their words
            word = word_form(word)
            if not word:  # only joiners: as invisible as whitespace
                continue
        words.append(shared.setdefault(word, word))
        starts.append(start)
        ends.append(end)
        sent_starts.append(new_sentence)
        new_sentence = False
    return TokenizedText(source, tuple(words), starts, ends, bytes(sent_starts), lang or doc.lang_)


# A word broken at the end of a line by a hyphen ("extrac-\ntion"): the hyphen, the line break and
# the spaces around it, between two letters (the second must be lowercase, checked apart).
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[^\S\n]*\n[^\S\n]*(?=[^\W\d_])")
# "well-known"; "state-of-the-art" gives each pair. Tried at word starts only: from inside a long
# run of letters, every start backtracked over the rest of it (20,000 letters: 5 s)
_COMPOUND = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:-[^\W\d_]+)+")


def rejoin_hyphenated(tokens: TokenizedText) -> TokenizedText:
    """``tokens`` with each word that a hyphen broke across two lines made whole again: the
    tokens "extrac-" and "tion" of "extrac-\ntion" become one, the word "extraction", from the
    first half's start to the second half's end. Typeset text (papers taken from PDFs) breaks
    words so, and the halves made keyphrases such as "Keyphrase extrac- tion". A break is left
    as it is when the text never writes the word closed up ("wellknown") and the hyphen is the
    compound's own (the text writes "well-known" elsewhere) or hangs before a stop word ("pro-
    and anti-inflammatory"). Only texts with such a break are rebuilt."""
    text = tokens.text
    found = [m for m in _HYPHEN_BREAK.finditer(text) if text[m.end()].islower()]
    if not found:
        return tokens
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    # what the text writes elsewhere, looked up in sets: a book taken from a PDF has thousands
    # of breaks, and searching its whole text once per break would take minutes
    closed_words = {w.lower() for w in tokens.words}
    compounds = {"-".join(parts[i : i + 2]) for m in _COMPOUND.finditer(text)
                 for parts in [m.group().lower().split("-")] for i in range(len(parts) - 1)}
    stop_words = rules(tokens.lang).stop_words
    whole: dict[int, tuple[int, str]] = {}  # a rejoined word's first token → (its last token, the word)
    first_of: dict[int, int] = {}  # a rejoined word's last token → its first ("co-\nop-\neration": three)
    for match in found:
        right = bisect_left(starts, match.end())
        left = right - 1
        if not (0 < right < len(words) and starts[right] == match.end() and ends[left] == match.start() + 1):
            continue  # the break is not between two whole tokens
        first = first_of.pop(left, left)
        head, tail = (whole[first][1] if first in whole else words[left])[:-1], words[right]
        if (head + tail).lower() not in closed_words and (f"{head}-{tail}".lower() in compounds
                                                          or tail.lower() in stop_words):
            continue  # the compound's own hyphen, or one left hanging ("pro- and anti-inflammatory")
        whole[first] = (right, head + tail)
        first_of[right] = first
    if not whole:
        return tokens
    dropped = {i for first, (last, _) in whole.items() for i in range(first + 1, last + 1)}
    kept = [i for i in range(len(words)) if i not in dropped]
    return replace(tokens, words=tuple(whole[i][1] if i in whole else words[i] for i in kept),
                   starts=array("i", (starts[i] for i in kept)),
                   ends=array("i", (ends[whole[i][0]] if i in whole else ends[i] for i in kept)),
                   sentence_starts=bytes(tokens.sentence_starts[i] for i in kept))


# The Latin ligatures of Unicode's compatibility block (U+FB00-FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ), which text
# taken from PDFs is full of: "classiﬁcation" is the word "classification", for the tagger,
# stems, counts and the keyphrase's text alike (offsets still point at the ligature).
LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
LIGATURE_CHARS = re.compile("[\ufb00-\ufb06]")


def word_form(token: str) -> str:
    """A token's text as a word: without word joiners (U+2060, which markup.py pads references
    with), ligatures spelled out. The one rule for documents' words and gold keyphrases'."""
    return token.replace(JOINER, "").translate(LIGATURES)


def phrase_text(tokens: TokenizedText, first: int, count: int) -> str:
    """Tokens ``first`` to ``first + count - 1`` as a reader sees them: one space wherever
    whitespace parts two of them, none where they touch; the words as read (``readable``
    characters, a word broken across lines whole, ligatures spelled out). For text without such
    a break or ligature it is
    ``" ".join(readable(text[start:end]).split())``."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    parts = [words[first]]
    for i in range(first + 1, first + count):
        if starts[i] > ends[i - 1]:
            parts.append(" ")
        parts.append(words[i])
    return " ".join("".join(parts).split())


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Cut a very long text into pieces of at most ``size`` characters at whitespace, one at a time."""
    start = 0
    while len(text) - start > size:
        cut = max(text.rfind("\n", start, start + size), text.rfind(" ", start, start + size))
        cut = cut + 1 if cut > start else start + size
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


LONG_RUN = 256  # characters without whitespace that spaCy reads as one piece (no corpus word comes near)
_LONG_RUN = re.compile(r"\S{%d,}" % (LONG_RUN + 1))


def _pieces(text: str, size: int) -> Iterator[tuple[int, str]]:
    """A text cut into pieces (each with its character offset) that spaCy reads in linear time:
    at most ``size`` characters, cut at whitespace (``_chunks``), and every run of more than
    LONG_RUN characters without whitespace (a base64 blob, a minified line) cut into slices of
    its own. spaCy strips a token's prefixes one character at a time, copying the rest each
    time: 16,000 opening brackets in a row took it 32 seconds."""
    done = 0
    for run in [*_LONG_RUN.finditer(text), None]:
        end = run.start() if run is not None else len(text)
        if end > done:
            segment = text if (done, end) == (0, len(text)) else text[done:end]
            yield from ((done + offset, piece) for offset, piece in _chunks(segment, size) if piece)
        if run is not None:
            yield from ((start, text[start : min(start + LONG_RUN, run.end())])
                        for start in range(run.start(), run.end(), LONG_RUN))
            done = run.end()


def _concat(text: str, parts: Iterable[tuple[int, TokenizedText]], lang: str) -> TokenizedText:
    """One text's tokens from its pieces' (each with its character offset), read one piece at a
    time. The words go straight into one tuple: a list of two million words copied into a
    tuple would hold them twice at the end."""
    starts, ends, sents = array("i"), array("i"), bytearray()

    def read() -> Iterator[str]:
        for offset, part in parts:
            starts.extend(s + offset for s in part.starts)
            ends.extend(e + offset for e in part.ends)
            sents.extend(part.sentence_starts)
            yield from part.words

    words = tuple(read())
    return TokenizedText(text, words, starts, ends, bytes(sents), lang)


# Characters that spaCy cannot read, or would glue to a word: control characters that are not
# whitespace (NUL, escape, DEL... debris of binary files and PDF extraction) and the invisible
# word breaks that Python does not count as whitespace, U+200B ZERO WIDTH SPACE (web text,
# Thai and Khmer word boundaries) and U+FEFF (a byte-order mark at the start of a Windows
# file, or a stray one where files were joined), read as a space, so that "\ufeffKeyphrase"
# is the word "Keyphrase"; lone UTF-16 surrogates (broken "\ud800" escapes in JSON; spaCy's
# strings cannot hold them) read as U+FFFD. One character for one, so every offset still
# points into the given text. (U+00AD SOFT HYPHEN stays: in text taken from PDFs it often
# stands for a printed dash, "pages 12\xad15".)
_CONTROLS = "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if not chr(c).isspace())
_INVISIBLE_BREAKS = "\u200b\ufeff"
_UNREADABLE = re.compile(f"[{re.escape(_CONTROLS)}{_INVISIBLE_BREAKS}\ud800-\udfff]")


def _readable_char(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else " "


def readable(text: str) -> str:
    """``text`` with each control character that is not whitespace and each invisible word
    break (U+200B, U+FEFF) replaced by a space, and each lone surrogate by U+FFFD (the same
    length: offsets into one are offsets into the other)."""
    return _UNREADABLE.sub(_readable_char, text) if _UNREADABLE.search(text) else text


PIPELINE_CHARS = 1_000_000  # characters of a long text one fresh pipeline reads (Tokenizer._read_pieces)
# Strings our own pipeline may learn before a fresh one replaces it (Tokenizer.pipe): spaCy keeps
# every string it reads, about 400 bytes each, so a corpus of many distinct words (names,
# numbers, identifiers) would grow a long batch run by gigabytes; 200,000 is about 80 MB.
PIPELINE_STRINGS = 200_000
PIECE_CHARS = 50_000  # characters of a long text tokenized at once by our own pipeline


def sentence_punct(nlp: Language) -> frozenset[int]:
    """The string ids of the sentencizer's sentence-final punctuation in ``nlp``."""
    return frozenset(get_string_id(c) for c in nlp.get_pipe("sentencizer").punct_chars)


class _Sentences:
    """spaCy's sentencizer rule run across the pieces of one text as over one Doc, so that
    where a text is cut starts no sentence: a token that follows sentence-final punctuation
    (``punct_chars``) and is not punctuation itself starts one, and so does the text's first."""

    def __init__(self, punct_ids: frozenset[int]) -> None:
        self.punct_ids = punct_ids  # the string ids of punct_chars (``sentence_punct``), as a token's ORTH
        self.seen_period = False  # sentence-final punctuation seen since the last start
        self.pending = True  # a start not yet given to a non-whitespace token (the text's first)

    def starts(self, doc: Doc) -> list[bool]:
        """One flag per token of the next piece (``from_doc`` moves a flag on whitespace to
        the next token that is not whitespace, which here may be in a later piece)."""
        flags = []
        for orth, is_punct, is_space in doc.to_array([ORTH, IS_PUNCT, IS_SPACE]).tolist():
            in_punct_chars = orth in self.punct_ids
            start = False
            if self.seen_period and not is_punct and not in_punct_chars:
                start, self.seen_period = True, False
            elif in_punct_chars:
                self.seen_period = True
            if start or self.pending:
                start = True
                self.pending = bool(is_space)
            flags.append(start)
        return flags


class Tokenizer:
    """Tokenizes texts with spaCy, singly or in batches.

    Texts longer than ``chunk_chars`` are tokenized piece by piece (cut at whitespace),
    so arbitrarily long documents never hit spaCy's length limit or its memory cost; so is a
    text with a run of more than LONG_RUN characters without whitespace (``_pieces``). Its own
    pipeline is replaced by a fresh one once it has learned ``max_strings`` strings, so memory stays
    bounded over any number of texts (the tokens do not change: spaCy's rules hold no state).
    """

    def __init__(self, nlp: Language | None = None, chunk_chars: int = 200_000, lang: str = "en",
                 max_strings: int = PIPELINE_STRINGS) -> None:
        self.nlp = nlp if nlp is not None else make_nlp(lang)
        self.chunk_chars = chunk_chars
        self.max_strings = max_strings
        self._own_pipeline = nlp is None  # a blank pipeline of ours, which a fresh one can stand in for
        self._strings_at_start = len(self.nlp.vocab.strings)  # what a fresh pipeline holds before reading
        self._punct = sentence_punct(self.nlp) if self._own_pipeline else frozenset()
        self._cached: set[str] = set()  # whitespace chunks our pipeline's tokenizer has read alone (_warm)

    @property
    def lang(self) -> str:
        """The language it tokenizes (its spaCy pipeline's)."""
        return self.nlp.lang

    def __call__(self, text: str) -> TokenizedText:
        return self.pipe([text])[0]

    def pipe(self, texts: list[str], batch_size: int = 64) -> list[TokenizedText]:
        """The tokens of each text as ``readable`` makes it (control characters as spaces, lone
        surrogates as U+FFFD), words broken across lines by a hyphen whole
        (``rejoin_hyphenated``); ``TokenizedText.text`` is the text as given, never a copy of a
        long one (a long text is made readable a piece at a time)."""
        in_pieces = [len(t) > self.chunk_chars or _LONG_RUN.search(t) is not None for t in texts]
        whole = [t for t, cut in zip(texts, in_pieces) if not cut]
        read = [readable(t) for t in whole]  # the same str when nothing needs replacing
        if self._own_pipeline:  # the sentencizer's rule read from arrays, not Token objects (_Sentences)
            self._warm(read)
            docs = self.nlp.tokenizer.pipe(read, batch_size=batch_size)
            tokenized = [from_doc(d, _Sentences(self._punct).starts(d), text=r) for d, r in zip(docs, read)]
        else:
            tokenized = [from_doc(d) for d in self.nlp.pipe(read, batch_size=batch_size)]
        done = iter([t if t.text is given else replace(t, text=given) for t, given in zip(tokenized, whole)])
        result = []
        for text, cut in zip(texts, in_pieces):
            if not cut:
                result.append(rejoin_hyphenated(next(done)))
                continue
            result.append(rejoin_hyphenated(_concat(text, self._read_pieces(text), self.lang)))
            release_free_memory()  # the pieces' Docs and the dropped pipelines' strings
        if self._own_pipeline and len(self.nlp.vocab.strings) - self._strings_at_start > self.max_strings:
            self.nlp = make_nlp(self.lang)  # the old one's strings go with it
            self._cached = set()
            release_free_memory()
        return result

    def _warm(self, texts: list[str]) -> None:
        """Let spaCy's tokenizer cache the whitespace chunks of ``texts`` that it has not read yet.

        spaCy caches how it split each chunk ("(e.g.," → "(", "e.g.", ","), but once a chunk of
        a text involves a special case (an abbreviation, a contraction), it caches nothing more
        of that text (``has_special`` stays set to the end of the text), so most chunks of most
        texts were split afresh on every reading. A chunk read alone is cached unless it holds a
        special case itself; within a text, cached chunks are then found whatever came before.
        The tokens do not change (a chunk is split the same alone or in a text; checked by
        benchmarks/same_results.py --exact). Bounded: spaCy caches at most
        ``max_cache_size`` chunks, and no more are read alone after that."""
        tokenizer, cached = self.nlp.tokenizer, self._cached
        limit = getattr(tokenizer, "max_cache_size", 0)
        if len(cached) >= limit:  # spaCy's cache is full: nothing more to read alone
            return
        for text in texts:
            for chunk in text.split():
                if chunk not in cached:
                    if len(cached) >= limit:
                        return
                    cached.add(chunk)
                    tokenizer(chunk)

    def _read_pieces(self, text: str) -> Iterator[tuple[int, TokenizedText]]:
        """A text's pieces (``_pieces``), each tokenized with its character offset, one at a time.

        spaCy keeps every string it reads in its vocabulary (~50 MB for 10 MB of papers): a
        text longer than ``chunk_chars`` goes through fresh blank pipelines (unless the caller
        gave its own), each dropped with what it learned after PIPELINE_CHARS characters. With
        our own pipeline, pieces are at most PIECE_CHARS long (a Doc costs some 100 bytes a
        character) and sentences are found across them (``_Sentences``), as in one Doc."""
        fresh = len(text) > self.chunk_chars and self._own_pipeline
        nlp, renew_at = self.nlp, 0
        spellings: dict[str, str] = {}  # one string per spelling across the pieces
        sentences = _Sentences(self._punct) if self._own_pipeline else None
        size = min(self.chunk_chars, PIECE_CHARS) if sentences is not None else self.chunk_chars
        for offset, piece in _pieces(text, size):
            if fresh and offset >= renew_at:
                nlp, renew_at = make_nlp(self.lang), offset + PIPELINE_CHARS
                release_free_memory()  # what the last pipeline and its Docs held
            piece = readable(piece)
            if sentences is None:
                yield offset, from_doc(nlp(piece), spellings=spellings)
            else:
                doc = nlp.make_doc(piece)
                yield offset, from_doc(doc, sentences.starts(doc), spellings, text=piece)

    def words(self, text: str) -> list[str]:
        """Only the word forms of a short text, e.g. a gold keyphrase: as a document's words
        are read (``from_doc``), without word joiners and with ligatures spelled out."""
        forms = (word_form(t.text) for t in self.nlp.make_doc(readable(text)) if not t.is_space)
        return [form for form in forms if form]


LANGUAGE_SAMPLE_CHARS = 20_000  # what language_of reads of a text: the guard looks at its first 400 words


def language_of(text: str, fallback: str = "en") -> str:
    """The language (ISO 639-1) ``lang="auto"`` reads ``text`` in: the one its first words are
    clearly written in (``language.detect_language``: stop words of en, fr, pt, es, de, it, nl;
    the script for Russian, Greek, Arabic, Hindi...), else ``fallback`` (a text of under 6
    words is too short to tell, and a title of up to 19 needs its language's stop words to
    outnumber the fallback's by two; a script kwextract does not read gets the fallback, and
    the guard's warning)."""
    return _language_read_by(shared_tokenizer(check_language(fallback)), text)


@lru_cache(maxsize=None)
def shared_tokenizer(lang: str) -> Tokenizer:
    """One ``Tokenizer`` of ``lang`` for this process, made when first asked for: making one
    takes a tenth of a second, too long to repeat for each text or phrase."""
    return Tokenizer(lang=lang)


def _language_read_by(tokenizer: Tokenizer, text: str) -> str:
    """``language_of`` with ``tokenizer`` (of the fallback language) reading the text's start."""
    tokens = tokenizer(text[:LANGUAGE_SAMPLE_CHARS])
    return detect_language(tokens.words, tokens.lang)


class AutoTokenizer:
    """A ``Tokenizer`` that reads each text in the language it is written in (``lang="auto"``,
    ``language_of``, with the model's language as ``fallback``), so its tokens, stop words and
    stems are that language's (``TokenizedText.lang`` says which): keyphrases of a corpus in
    several languages, from one model. Texts of one language are tokenized together."""

    lang = AUTO  # no one language: rules("auto") refuses, as training and evaluating need one

    def __init__(self, fallback: str = "en") -> None:
        self.fallback = Tokenizer(lang=fallback)
        self._tokenizers: dict[str, Tokenizer] = {self.fallback.lang: self.fallback}

    def __call__(self, text: str) -> TokenizedText:
        return self.pipe([text])[0]

    def pipe(self, texts: list[str], batch_size: int = 64) -> list[TokenizedText]:
        langs = [_language_read_by(self.fallback, text) for text in texts]
        result: list[TokenizedText | None] = [None] * len(texts)
        for lang in dict.fromkeys(langs):  # each language once, in order of first appearance
            if lang not in self._tokenizers:
                self._tokenizers[lang] = Tokenizer(lang=lang)
            numbers = [i for i, found in enumerate(langs) if found == lang]
            for i, tokens in zip(numbers, self._tokenizers[lang].pipe([texts[i] for i in numbers], batch_size)):
                result[i] = tokens
        return result  # type: ignore[return-value]  # every place is filled

    def words(self, text: str) -> list[str]:
        """The word forms of a short text in the fallback language (a phrase has too few words
        to tell its language; word forms differ little between languages' tokenizers)."""
        return self.fallback.words(text)


def windows(tokens: TokenizedText, max_len: int) -> list[tuple[int, int]]:
    """Split token positions into windows of at most ``max_len`` tokens.

    Windows follow sentence boundaries: whole sentences are packed greedily, and only a
    sentence longer than ``max_len`` is cut. Together the windows cover every token once,
    so a long document is never silently truncated.
    """
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    n = len(tokens)
    if n == 0:
        return []
    bounds = [i for i, s in enumerate(tokens.sentence_starts) if s] or [0]
    if bounds[0] != 0:
        bounds.insert(0, 0)
    bounds.append(n)
    result: list[tuple[int, int]] = []
    start = 0
    for sent_begin, sent_end in zip(bounds, bounds[1:]):
        if sent_end - start <= max_len:
            continue  # the sentence still fits in the current window
        if sent_begin > start:
            result.append((start, sent_begin))
            start = sent_begin
        while sent_end - start > max_len:
            result.append((start, start + max_len))
            start += max_len
    if start < n:
        result.append((start, n))
    return result
