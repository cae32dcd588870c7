"""Input paths → a stream of documents or failures, in a stable order, never loaded whole.

Inputs may be text files, folders (searched recursively with a glob), JSONL files and CSV
files with id and text fields. Every problem becomes an ``InputFailure`` naming the input
and the reason, so one bad file never stops the others.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

BINARY_PROBE = 8192


def _writable(name: str) -> str:
    """``name`` with each lone surrogate (an undecodable byte of a file name, a broken
    "\\ud800" escape in JSON) replaced by U+FFFD, so that it can be written as UTF-8."""
    return _SURROGATE.sub("\ufffd", name)


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class InputDocument:
    id: str  # writable as UTF-8 (``_writable``), as the output and ``--resume`` read it
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _writable(self.id))


@dataclass(frozen=True)
class InputFailure:
    id: str  # the input's name: a path, or path:line for one record of a JSONL/CSV file
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _writable(self.id))
        object.__setattr__(self, "reason", _writable(self.reason))


Item = InputDocument | InputFailure


@dataclass(frozen=True)
class InputOptions:
    glob: str = "*.txt"
    id_field: str = "id"
    text_field: str = "text"
    encoding: str = "utf-8"
    fallback_encoding: str | None = None  # e.g. "latin-1": used when ``encoding`` fails

    def __post_init__(self) -> None:
        for name in (self.encoding, self.fallback_encoding):
            if name is not None:
                try:
                    codecs.lookup(name)
                except LookupError:
                    raise InputError(f"unknown encoding {name!r}; e.g. utf-8, latin-1, cp1252, utf-16") from None

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"


def read_text_file(path: Path, options: InputOptions) -> Item:
    """One text file as a document, or the reason it cannot be one."""
    name = str(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        return InputFailure(name, "not a regular file (a device, pipe or socket)")
    try:
        data = path.read_bytes()
    except OSError as err:
        return InputFailure(name, f"cannot read: {err.strerror or err}")
    return decode_text(name, data, options)


def decode_text(name: str, data: bytes, options: InputOptions) -> Item:
    """Bytes of one text (a file, standard input) as a document, or the reason they cannot be:
    the one input policy of ``kwextract extract`` and ``kwextract batch``."""
    if b"\x00" in data[:BINARY_PROBE]:
        return InputFailure(name, "binary data (contains NUL bytes), not text")
    try:
        text = data.decode(options.encoding)
    except (UnicodeDecodeError, LookupError) as err:
        if options.fallback_encoding is None:
            where = f" at byte {err.start}" if isinstance(err, UnicodeDecodeError) else ""
            return InputFailure(
                name, f"not valid {options.encoding}{where}; pass --encoding or --fallback-encoding latin-1"
            )
        try:
            text = data.decode(options.fallback_encoding)
        except (UnicodeDecodeError, LookupError) as second:
            return InputFailure(name, f"not valid {options.encoding} nor {options.fallback_encoding}: {second}")
    if not text.strip():
        return InputFailure(name, "empty document")
    return InputDocument(name, text)


def _record(name: str, record: object, options: InputOptions) -> Item:
    if not isinstance(record, dict):
        return InputFailure(name, "record is not an object")
    text = record.get(options.text_field)
    if text is None:
        return InputFailure(name, f"no text field {options.text_field!r}")
    if not isinstance(text, str):
        kind = {bool: "true/false", int: "number", float: "number", list: "array", dict: "object"}.get(type(text), "value")
        return InputFailure(name, f"text field {options.text_field!r} is a JSON {kind}, not a string")
    doc_id = record.get(options.id_field)
    doc_id = name if doc_id in (None, "") else str(doc_id)
    if not text.strip():
        return InputFailure(doc_id, "empty document")
    return InputDocument(doc_id, text)


def iter_jsonl_records(path: Path, options: InputOptions) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as err:
        yield InputFailure(str(path), f"cannot read: {err.strerror or err}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            name = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                line = raw.decode(options.encoding)
                record = json.loads(line.lstrip("\ufeff") if number == 1 else line)  # a byte-order mark
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                yield InputFailure(name, f"malformed JSON line {number}: {err}")
                continue
            yield _record(name, record, options)


def iter_csv_records(path: Path, options: InputOptions) -> Iterator[Item]:
    csv.field_size_limit(sys.maxsize)
    try:
        # utf-8-sig: a spreadsheet's byte-order mark would otherwise become part of the first column's name
        encoding = "utf-8-sig" if options.is_utf8 else options.encoding
        handle = path.open(encoding=encoding, newline="", errors="strict")
    except OSError as err:
        yield InputFailure(str(path), f"cannot read: {err.strerror or err}")
        return
    with handle:
        # strict: a quote left open must not swallow the rows after it into one text unnoticed
        reader = csv.DictReader(handle, strict=True)
        number, line = 1, 2  # the last record read (the header is 1) and the line the next one starts on
        try:
            for number, row in enumerate(reader, start=2):
                yield _record(f"{path}:{number}", row, options)
                line = reader.line_num + 1
        except UnicodeDecodeError as err:
            yield InputFailure(str(path), f"cannot parse CSV: {err}")
        except csv.Error as err:
            yield InputFailure(f"{path}:{number + 1}", f"cannot parse the CSV record starting on line {line} ({err}); "
                                                       "is a quote left open? The records before it were read")


def unmatched_files(paths: list[Path], options: InputOptions = InputOptions()) -> dict[Path, list[Path]]:
    """For each folder among ``paths``, its files that ``options.glob`` leaves out (hidden files
    aside): a JSONL or CSV file in a folder of .txt files is otherwise skipped without a word."""
    found = {}
    for path in paths:
        if path.is_dir():
            taken = set(path.rglob(options.glob))
            left = sorted(p for p in path.rglob("*") if p.is_file() and p not in taken
                          and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if left:
                found[path] = left
    return found


def iter_inputs(paths: list[Path], options: InputOptions = InputOptions()) -> Iterator[Item]:
    """Every document of the given inputs, in order (folders in sorted path order)."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob(options.glob) if p.is_file() or p.is_symlink())
            if not files:
                yield InputFailure(str(path), f"folder has no files matching {options.glob!r}")
            for file in files:
                yield from _iter_file(file, options)
        elif path.exists() or path.is_symlink():
            yield from _iter_file(path, options)
        else:
            yield InputFailure(str(path), "no such file or folder")


def _iter_file(path: Path, options: InputOptions) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from iter_jsonl_records(path, options)
    elif suffix == ".csv":
        yield from iter_csv_records(path, options)
    else:
        yield read_text_file(path, options)


def count_inputs(paths: list[Path], options: InputOptions = InputOptions()) -> int:
    """A cheap estimate of how many documents the inputs hold (for a progress bar's ETA)."""
    total = 0
    for path in paths:
        files = sorted(path.rglob(options.glob)) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix in (".jsonl", ".ndjson", ".csv"):
                try:
                    with file.open("rb") as handle:
                        total += sum(1 for line in handle if line.strip()) - (suffix == ".csv")
                except OSError:
                    total += 1
            else:
                total += 1
    return max(total, 0)
