"""kwextract as a spaCy pipeline component: ``nlp.add_pipe("kwextract")``.

It reads the pipeline's own tokens (no second tokenization), finds sentence boundaries
the way kwextract does without writing them onto the Doc, and stores the ranked result:

- ``doc.spans["keyphrases"]``: one span per keyphrase (its first occurrence), in rank order
- ``span._.kw_score`` / ``span._.kw_count`` / ``span._.kw_text``: the keyphrase's score, number
  of occurrences and text as ``kwextract.extract`` gives it (whitespace runs collapsed, a word
  broken across lines by a hyphen whole), where ``span.text`` is the Doc's own characters
- ``doc._.keyphrases``: the same list as ``kwextract.extract`` returns (``Keyphrase`` objects)

The factory is registered through the ``spacy_factories`` entry point, so it is available
in any pipeline once kwextract is installed. Its config: ``model`` (a bundled name or a
directory), ``top_k``, ``min_score``, ``batch_size``, ``lang`` (the language the texts are
read in: stop words and stems; by default the pipeline's own, ``nlp.lang``), ``precision``
("bfloat16" runs the encoder in bfloat16, as ``kwextract.load`` does) and ``distinct`` (no
keyphrase inside another, as ``extract(..., distinct=True)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path


from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from .config import check_extract_options, check_precision_name
from .errors import InputError
from .extractor import Extractor
from .keyphrase import Keyphrase
from .language import SUPPORTED, check_language
from .serialization import load, save
from .tokenize import TokenizedText, from_doc, readable, rejoin_hyphenated

SPANS_KEY = "keyphrases"


def _keyphrases_of(doc: Doc) -> list[Keyphrase]:
    """The keyphrases as ``extract`` gives them. A span covers whole tokens of the Doc, which
    may begin with a byte-order mark or a zero-width space that kwextract reads as a space:
    the offsets leave those out, as the library's do."""
    spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else []
    found = []
    for s in spans:
        read = readable(s.text)
        start, end = s.start_char + len(read) - len(read.lstrip()), s.end_char - (len(read) - len(read.rstrip()))
        found.append(Keyphrase(s.text if s._.kw_text is None else s._.kw_text, s._.kw_score, start, end, s._.kw_count))
    return found


def register_extensions() -> None:
    """Add the extensions once; an extension a user already registered is left alone."""
    if not Span.has_extension("kw_score"):
        Span.set_extension("kw_score", default=None)
    if not Span.has_extension("kw_count"):
        Span.set_extension("kw_count", default=None)
    if not Span.has_extension("kw_text"):
        Span.set_extension("kw_text", default=None)
    if not Doc.has_extension("keyphrases"):
        Doc.set_extension("keyphrases", getter=_keyphrases_of)


class KeyphraseComponent:
    """Runs a kwextract model over Docs and writes keyphrase spans onto them."""

    def __init__(self, nlp: Language, name: str, model: str | None, top_k: int | None,
                 min_score: float, batch_size: int, lang: str | None = None, precision: str = "float32",
                 distinct: bool = False) -> None:
        # a bad config fails at add_pipe, not mid-corpus
        check_extract_options(top_k, min_score, batch_size)
        check_precision_name(precision)
        self.lang = _reading_language(lang, nlp.lang)
        self.name = name
        self.model = model
        self.top_k = top_k
        self.min_score = min_score
        self.batch_size = batch_size
        self.precision = precision
        self.distinct = distinct
        self._source: str | Path | None = model  # where the model is loaded from (to_disk re-reads it)
        self._extractor: Extractor | None = None
        self._sentencizer = Sentencizer()
        register_extensions()

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = load(self._source, lang=self.lang, precision=self.precision)
        return self._extractor

    def _tokens(self, doc: Doc) -> TokenizedText:
        (starts,) = self._sentencizer.predict([doc])  # boundaries computed, the Doc left untouched
        return rejoin_hyphenated(from_doc(doc, [bool(s) for s in starts], lang=self.lang))

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        size = batch_size or self.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list[Doc]) -> list[Doc]:
        results = self.extractor.extract_tokenized([self._tokens(d) for d in docs], self.top_k, self.min_score,
                                                   distinct=self.distinct)
        for doc, keyphrases in zip(docs, results):
            spans = []
            for kp in keyphrases:
                span = doc.char_span(kp.start, kp.end, alignment_mode="expand")
                span._.kw_score = kp.score
                span._.kw_count = kp.count
                span._.kw_text = kp.text
                spans.append(span)
            doc.spans[SPANS_KEY] = spans
        return docs

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Save the model inside the pipeline folder, so ``spacy.load`` needs nothing else. It
        is saved in float32 (a bfloat16 encoder is for extraction only); the pipeline's config
        keeps ``precision``, so ``spacy.load`` runs it as before."""
        extractor = self.extractor if self.precision == "float32" else load(self._source, lang=self.lang)
        save(extractor, Path(path) / "model")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "KeyphraseComponent":
        self._source = Path(path) / "model"
        self._extractor = load(self._source, lang=self.lang, precision=self.precision)
        return self


def _reading_language(lang: str | None, pipeline_lang: str) -> str:
    """The language texts are read in: ``lang`` if given, else the pipeline's, which must be
    one kwextract supports (a pipeline of another language needs ``lang`` set on purpose)."""
    if lang is not None:
        return check_language(lang)
    if pipeline_lang not in SUPPORTED:
        raise InputError(f"the pipeline's language {pipeline_lang!r} is not one kwextract reads ({', '.join(SUPPORTED)}); "
                         "set the component's config lang, e.g. nlp.add_pipe('kwextract', config={'lang': 'en'})")
    return pipeline_lang


@Language.factory(
    "kwextract",
    default_config={"model": None, "top_k": 10, "min_score": 0.0, "batch_size": 64, "lang": None,
                    "precision": "float32", "distinct": False},
)
def make_component(nlp: Language, name: str, model: str | None, top_k: int | None,
                   min_score: float, batch_size: int, lang: str | None, precision: str,
                   distinct: bool) -> KeyphraseComponent:
    return KeyphraseComponent(nlp, name, model, top_k, min_score, batch_size, lang, precision, distinct)


