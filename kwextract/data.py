"""Reading labelled documents: the shared JSONL format and the docsutf8/keys folder layout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .inputs import text_lines


@dataclass(frozen=True)
class Document:
    """One document with its gold keyphrases (strings) and/or character spans."""

    id: str
    text: str
    keyphrases: tuple[str, ...] = ()
    char_spans: tuple[tuple[int, int], ...] = field(default=())


def iter_jsonl(path: str | Path) -> Iterator[Document]:
    """Documents of a JSONL file: ``{"id", "text", "keyphrases"}`` per line.

    ``keyphrases`` may be missing (unlabelled text); ``spans`` may give ``[start, end]``
    character offsets instead of or beside the phrase strings.
    """
    path = Path(path)
    try:
        for number, line, problem in text_lines(path):  # UTF-8, a byte-order mark left out
            if line is None:
                raise InputError(f"{path}, line {number}: {problem}; labelled files are read as UTF-8 "
                                 "(or UTF-16 and UTF-32 with a byte-order mark)")
            if line.strip():
                yield _document(path, number, line)
    except OSError as err:
        raise InputError(f"{path}: cannot open ({err.strerror})") from err


def _document(path: Path, number: int, line: str) -> Document:
    """Line ``number`` of the JSONL file ``path`` as a document."""
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise TypeError(f"a JSON {type(record).__name__}, not an object")
        text = record["text"]
        if not isinstance(text, str):
            raise TypeError("'text' is not a string")
        doc_id = record.get("id")
        doc_id = f"{path.name}:{number}" if doc_id is None else str(doc_id)
        phrases = _phrases(record.get("keyphrases", []))
        spans = tuple((int(s), int(e)) for s, e in record.get("spans", ()))
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{path}, line {number}: not a valid document record ({err})") from err
    return Document(doc_id, text, phrases, spans)


def _phrases(value: object) -> tuple[str, ...]:
    """A record's ``keyphrases``: a list of strings. A string ("a; b") would otherwise be read as
    one gold phrase per character, and a null as the phrase "None"."""
    if not isinstance(value, list):
        raise TypeError(f"'keyphrases' must be a list of strings, got a JSON {type(value).__name__}")
    for i, phrase in enumerate(value):
        if not isinstance(phrase, str):
            raise TypeError(f"'keyphrases' item {i} is {json.dumps(phrase)}, not a string")
    return tuple(value)


def read_key_folder(path: str | Path) -> list[Document]:
    """Documents of the common public layout: ``docsutf8/<id>.txt`` + ``keys/<id>.key``."""
    root = Path(path)
    docs_dir, keys_dir = root / "docsutf8", root / "keys"
    if not docs_dir.is_dir() or not keys_dir.is_dir():
        raise InputError(f"{root}: expected the folders docsutf8/ and keys/ inside it")
    documents = []
    for txt in sorted(docs_dir.glob("*.txt")):
        key = keys_dir / f"{txt.stem}.key"
        if not key.exists():
            raise InputError(f"{txt}: no key file {key}")
        text = txt.read_text(encoding="utf-8", errors="replace")
        phrases = [line.strip() for line in key.read_text(encoding="utf-8", errors="replace").splitlines()]
        documents.append(Document(txt.stem, text, tuple(p for p in phrases if p)))
    return documents


def read_documents(path: str | Path) -> list[Document]:
    """Labelled documents from a JSONL file or a docsutf8/keys folder."""
    path = Path(path)
    if path.is_dir():
        return read_key_folder(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return list(iter_jsonl(path))
