"""Input paths → a stream of documents or failures, in a stable order, never loaded whole.

Inputs may be text files, folders (searched recursively with a glob), JSONL files and CSV or
TSV files with id and text fields. Every problem becomes an ``InputFailure`` naming the input
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
from functools import partial
from pathlib import Path

from .errors import InputError
from .latex import latex_as_text, splice_inputs
from .mail import MailError, mail_text, mailbox_messages
from .markdown import markdown_as_text
from .spreadsheet import SpreadsheetError, is_xlsx, xlsx_records, xlsx_row_count
from .markup import JOINER, markup_as_text
from .office import OfficeError, office_kind, office_text
from .pages import blank_running_lines
from .pdf import PdfError, pdf_text
from .rtf import RtfError, rtf_text
from .subtitles import subtitles_as_text

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

# how a text may be written → what reads it as the text a reader sees, the same length
READERS = {"html": markup_as_text, "markdown": markdown_as_text, "latex": latex_as_text,
           "subtitles": subtitles_as_text}
SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".xml": "html", ".md": "markdown",
            ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown", ".tex": "latex", ".ltx": "latex",
            ".srt": "subtitles", ".vtt": "subtitles"}
MARKUPS = ("auto", "text", *READERS)
# what a folder gives without --glob: every file kwextract reads as one document (JSONL and CSV
# files, a document a record, only when asked for: a stray table is not a corpus)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")  # Excel workbooks: a record per row (spreadsheet.py)
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", *SUFFIXES, ".docx", ".odt", ".odp", ".pptx", ".epub", ".rtf",
                                  ".pdf", ".eml"})


@dataclass(frozen=True)
class InputOptions:
    glob: str | None = None  # which files a folder gives; None: every document kwextract reads (folder_files)
    id_field: str = "id"
    text_field: str = "text"
    encoding: str = "utf-8"
    fallback_encoding: str | None = None  # e.g. "latin-1": used when ``encoding`` fails
    # how texts are written (READERS): "auto" reads files by their suffix (SUFFIXES) and records
    # and arguments as plain text; "text" reads everything as plain text; a format reads every text so
    markup: str = "auto"

    def __post_init__(self) -> None:
        if self.markup not in MARKUPS:
            raise InputError(f"unknown markup {self.markup!r}; one of {', '.join(MARKUPS)}")
        for name in (self.encoding, self.fallback_encoding):
            if name is not None:
                try:
                    codecs.lookup(name)
                except LookupError:
                    raise InputError(f"unknown encoding {name!r}; e.g. utf-8, latin-1, cp1252, utf-16") from None

    def markup_of(self, suffix: str = "") -> str:
        """How a text is read: as ``markup`` asks, else by its file's ``suffix`` (plain text
        for records, arguments and standard input, which have none)."""
        return SUFFIXES.get(suffix.lower(), "text") if self.markup == "auto" else self.markup

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"


# Byte-order marks of the encodings whose text is full of NUL bytes (UTF-32's first: UTF-32-LE's
# mark begins with UTF-16-LE's). A UTF-8 mark needs no such care: it decodes as U+FEFF, which
# the tokenizer reads as a space, so offsets still count it as Python's "utf-8" codec does.
_WIDE_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
               (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_encoding(head: bytes, encoding: str) -> str | None:
    """The UTF-16 or UTF-32 encoding of bytes that begin with ``head``: the one a byte-order
    mark names (it wins over ``encoding``: Windows "Unicode" files carry one), else
    ``encoding`` itself if it is one of them; None for the byte-wide encodings (UTF-8,
    Latin-1, ...), whose text never holds a NUL byte, so that one means binary data."""
    for mark, name in _WIDE_MARKS:
        if head.startswith(mark):
            return name
    return encoding if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")) else None


# The first bytes of file formats that people pass for text, and what to do about each.
_FORMATS = ((b"PK\x03\x04", "a ZIP archive (DOCX, ODT, PPTX, EPUB, and XLSX rows in batch, are read): extract its text first"),
            (b"\x1f\x8b", "gzip-compressed: decompress it first (gunzip)"),
            (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (DOC, XLS): save it as text first"),
            (b"\x89PNG", "an image (PNG), not text"), (b"\xff\xd8\xff", "an image (JPEG), not text"))


def _known_format(data: bytes) -> str | None:
    """What a file is, if it begins as a common format that is not plain text."""
    return next((what for magic, what in _FORMATS if data.startswith(magic)), None)


def _unmarked_hint(data: bytes) -> str:
    """A hint for bytes that look like UTF-16 or UTF-32 without a byte-order mark (latin text
    has a NUL in every other byte of UTF-16, in three of every four of UTF-32), else nothing."""
    probe = data[: BINARY_PROBE - BINARY_PROBE % 4]
    if len(probe) < 16:
        return ""
    for size in (4, 2):
        letters = [i for i in range(size) if probe[i::size].count(0) < 0.6 * len(probe[i::size])]
        if len(letters) == 1 and letters[0] in (0, size - 1):
            name = f"utf-{8 * size}-{'le' if letters[0] == 0 else 'be'}"
            return f"; if it is {name[:6].upper()} text without a byte-order mark, pass --encoding {name}"
    return ""


def read_file(path: str | Path, encoding: str = "utf-8", markup: str = "auto",
              fallback_encoding: str | None = None) -> str:
    """The text of one file as ``kwextract extract --file`` reads it: plain text in
    ``encoding``; Markdown, LaTeX, HTML and subtitles as the text a reader sees (``markup``,
    by suffix by default); Word, LibreOffice, PowerPoint, PDF and e-mail files as their text.
    Raises ``InputError`` naming the file and why it cannot be read."""
    options = InputOptions(encoding=encoding, fallback_encoding=fallback_encoding, markup=markup)
    item = read_text_file(Path(path), options)
    if isinstance(item, InputFailure):
        raise InputError(f"{item.id}: {item.reason}")
    return item.text


def read_text_file(path: Path, options: InputOptions) -> Item:
    """One text file as a document, or the reason it cannot be one. An HTML, XML, Markdown,
    LaTeX or subtitle file (SUFFIXES) is read as the text a reader sees, the same length (READERS):
    offsets point into the file's text all the same (a LaTeX file's with the files it reads
    spliced in: ``latex.splice_inputs``)."""
    name = str(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        return InputFailure(name, "not a regular file (a device, pipe or socket)")
    try:
        data = path.read_bytes()
    except OSError as err:
        return InputFailure(name, f"cannot read: {err.strerror or err}")
    if options.markup_of(path.suffix) == "latex":  # a paper in several files is read whole
        data = splice_inputs(data, path)
    return decode_text(name, data, options, suffix=path.suffix)


def decode_text(name: str, data: bytes, options: InputOptions, suffix: str = "") -> Item:
    """Bytes of one text (a file, standard input) as a document, or the reason they cannot be:
    the one input policy of ``kwextract extract`` and ``kwextract batch`` (read as
    ``options.markup_of(suffix)``, ``suffix`` being the file's, if any; e-mails, PDFs and
    office documents as their text: ``_read_document``). UTF-16 and UTF-32
    are read when a byte-order mark says so or ``options.encoding`` asks for them
    (``wide_encoding``); their mark is not part of the text, and a lone surrogate code unit in
    them is let through as in a JSON escape (the tokenizer reads it as U+FFFD)."""
    document = _read_document(name, data, suffix)
    if document is not None:
        return document
    known = _known_format(data)
    if known is not None:
        return InputFailure(name, known)
    wide = wide_encoding(data[:4], options.encoding)
    if wide is None and b"\x00" in data[:BINARY_PROBE]:
        return InputFailure(name, "binary data (contains NUL bytes), not text" + _unmarked_hint(data))
    encoding = wide or options.encoding
    try:
        text = data.decode(encoding, "surrogatepass" if wide else "strict")
    except (UnicodeDecodeError, LookupError) as err:
        if options.fallback_encoding is None:
            where = f" at byte {err.start}" if isinstance(err, UnicodeDecodeError) else ""
            return InputFailure(name, f"not valid {encoding}{where}; pass --encoding or --fallback-encoding latin-1")
        try:
            text = data.decode(options.fallback_encoding)
        except (UnicodeDecodeError, LookupError) as second:
            return InputFailure(name, f"not valid {encoding} nor {options.fallback_encoding}: {second}")
    if "\x00" in text[:BINARY_PROBE]:  # wide text, or a fallback's reading of bytes that were not text
        return InputFailure(name, f"binary data (read as {encoding if wide else 'text'}, it holds NUL characters)")
    return _document(name, text, options.markup_of(suffix))


def _read_document(name: str, data: bytes, suffix: str) -> Item | None:
    """A file whose bytes are not its text, read as its text: an e-mail message (by its
    suffix: mail.py), a PDF (pdf.py), a Word, LibreOffice, PowerPoint or EPUB document (office.py)
    or an RTF file (rtf.py);
    None for any other bytes."""
    kind = office_kind(data)
    if kind is None and is_xlsx(data):  # records, not one document (a ZIP that is no office text only)
        return InputFailure(name, "an Excel workbook (XLSX): kwextract batch reads its rows as documents "
                                  "(--text-field COLUMN, --id-field COLUMN)")
    if suffix.lower() == ".eml":
        read = mail_text
    elif data.startswith(b"%PDF-"):
        read = pdf_text
    elif kind is not None:
        read = partial(office_text, kind=kind)  # the archive's kind read once
    elif data.lstrip().startswith(b"{\\rtf"):
        read = rtf_text
    else:
        return None
    try:
        text = read(data)
    except (MailError, PdfError, OfficeError, RtfError) as err:
        return InputFailure(name, str(err))
    if read is pdf_text and not text.strip():
        return InputFailure(name, "empty document (a PDF without a text layer, a scan? run OCR on it first)")
    return _document(name, text, "text")


def _document(name: str, text: str, markup: str) -> Item:
    """A decoded text as a document (read as the text a reader sees of ``markup``), or why it
    is empty. A plain text in pages (form feeds, as pdftotext writes) has its running heads
    and page numbers blanked (``pages.blank_running_lines``)."""
    if markup == "text" and text.count("\f") >= 2:
        text = blank_running_lines(text)
    if markup != "text":
        text = READERS[markup](text)
        if not text.replace(JOINER, "").strip():  # U+2029, a markup's paragraph break, is whitespace
            return InputFailure(name, f"empty document (no text outside the {markup} markup)")
    if not text.strip():
        return InputFailure(name, "empty document")
    return InputDocument(name, text)


def _record(name: str, record: object, options: InputOptions) -> Item:
    if not isinstance(record, dict):
        return InputFailure(name, "record is not an object")
    if options.text_field not in record:
        return InputFailure(name, f"no text field {options.text_field!r}")
    text = record[options.text_field]
    if not isinstance(text, str):
        kind = {bool: "true/false", int: "number", float: "number", list: "array", dict: "object",
                type(None): "null"}.get(type(text), "value")
        return InputFailure(name, f"text field {options.text_field!r} is a JSON {kind}, not a string")
    doc_id = record.get(options.id_field)
    doc_id = name if doc_id in (None, "") else str(doc_id)
    return _document(doc_id, text, options.markup_of())


def _head(path: Path) -> bytes:
    """The first bytes of a file, where a byte-order mark would be."""
    with path.open("rb") as handle:
        return handle.read(4)


def text_lines(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, str | None, str | None]]:
    """Each line of a text file as (its number from 1, the line, None), or (number, None, what
    is wrong) for a line not valid in ``encoding``: one bad line fails alone. A byte-order
    mark is never part of the first line. UTF-16 and UTF-32 files (``wide_encoding``) cannot be
    cut at newline bytes: they are read as text, lone surrogates let through (``decode_text``),
    and what still cannot be decoded (a file cut in the middle of a character) ends them with
    the first line not read. OSError (a file that cannot be opened) is the caller's."""
    wide = wide_encoding(_head(path), encoding)
    if wide is None:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode(encoding)
                except UnicodeDecodeError as err:
                    yield number, None, f"not valid {encoding} at byte {err.start} of the line ({err.reason})"
                    continue
                yield number, line.lstrip("\ufeff") if number == 1 else line, None
        return
    with path.open(encoding=wide, errors="surrogatepass", newline="\n") as text:
        number = 0
        try:
            for number, line in enumerate(text, start=1):
                yield number, line.lstrip("\ufeff") if number == 1 else line, None
        except UnicodeDecodeError as err:
            yield number + 1, None, f"not valid {wide} at line {number + 1} or after it ({err}); the lines before it were read"


def iter_jsonl_records(path: Path, options: InputOptions) -> Iterator[Item]:
    """One item per non-blank line, each line decoded and parsed on its own (``text_lines``)."""
    try:
        for number, line, problem in text_lines(path, options.encoding):
            name = f"{path}:{number}"
            if line is None:
                yield InputFailure(name, f"malformed JSON line {number}: {problem}")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputFailure(name, f"malformed JSON line {number}: {err}")
                continue
            yield _record(name, record, options)
    except OSError as err:
        yield InputFailure(str(path), f"cannot read: {err.strerror or err}")


DELIMITERS = (",", ";", "\t", "|")  # comma; semicolon (spreadsheets where the decimal mark is a comma); tab; bar


def _delimiter(header: str, field: str, default: str) -> str:
    """The delimiter that splits a CSV header so that one of its fields is ``field`` (the text
    field), trying ``default`` first; ``default`` when none does (every record then fails,
    naming the missing field)."""
    for delimiter in (default, *DELIMITERS):
        if field in next(csv.reader([header.lstrip("\ufeff")], delimiter=delimiter), []):
            return delimiter
    return default


def iter_csv_records(path: Path, options: InputOptions) -> Iterator[Item]:
    """One item per record of a delimited file with a header: comma-separated (``.csv``) or
    tab-separated (``.tsv``) by default, or whichever of DELIMITERS makes the header name the
    text field (Excel writes ";" where the decimal mark is a comma)."""
    csv.field_size_limit(sys.maxsize)
    try:
        # utf-8-sig: a spreadsheet's byte-order mark would otherwise become part of the first
        # column's name; a UTF-16 or UTF-32 mark (Excel's "Unicode text") names the encoding
        encoding = wide_encoding(_head(path), options.encoding) or (
            "utf-8-sig" if options.is_utf8 else options.encoding)
        handle = path.open(encoding=encoding, newline="", errors="strict")
    except OSError as err:
        yield InputFailure(str(path), f"cannot read: {err.strerror or err}")
        return
    with handle:
        header = handle.readline()
        handle.seek(0)
        delimiter = _delimiter(header, options.text_field, "\t" if path.suffix.lower() == ".tsv" else ",")
        # strict: a quote left open must not swallow the rows after it into one text unnoticed
        reader = csv.DictReader(handle, delimiter=delimiter, strict=True)
        number, line = 1, 2  # the last record read (the header is 1) and the line the next one starts on
        try:
            for number, row in enumerate(reader, start=2):
                row = {key: value for key, value in row.items() if value is not None}  # a short row's missing cells
                yield _record(f"{path}:{number}", row, options)
                line = reader.line_num + 1
        except UnicodeDecodeError as err:
            yield InputFailure(str(path), f"cannot parse CSV: {err}")
        except csv.Error as err:
            yield InputFailure(f"{path}:{number + 1}", f"cannot parse the CSV record starting on line {line} ({err}); "
                                                       "is a quote left open? The records before it were read")


def folder_files(folder: Path, glob: str | None) -> list[Path]:
    """The files under ``folder`` (recursive, in sorted order) that a batch reads: those
    ``glob`` matches; without one, every file of a kind kwextract reads as a document
    (DOCUMENT_SUFFIXES), hidden files and folders aside."""
    if glob is not None:
        return sorted(p for p in folder.rglob(glob) if p.is_file() or p.is_symlink())
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink())
                  and p.suffix.lower() in DOCUMENT_SUFFIXES and not _hidden(p, folder))


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def unmatched_files(paths: list[Path], options: InputOptions = InputOptions()) -> dict[Path, list[Path]]:
    """For each folder among ``paths``, its files that ``options.glob`` (or, without one, the
    kinds kwextract reads) leaves out, hidden files aside: a JSONL or CSV file in a folder of
    .txt files is otherwise skipped without a word."""
    found = {}
    for path in paths:
        if path.is_dir():
            taken = set(folder_files(path, options.glob))
            left = sorted(p for p in path.rglob("*") if p.is_file() and p not in taken and not _hidden(p, path))
            if left:
                found[path] = left
    return found


def iter_inputs(paths: list[Path], options: InputOptions = InputOptions()) -> Iterator[Item]:
    """Every document of the given inputs, in order (folders in sorted path order)."""
    for path in paths:
        if path.is_dir():
            files = folder_files(path, options.glob)
            if not files:
                yield InputFailure(str(path), f"folder has no files matching {options.glob!r}" if options.glob
                                   else "folder has no documents (.txt, .md, .tex, .html, .docx, .pdf, .eml...); "
                                        "--glob chooses which files a folder gives")
            for file in files:
                yield from _iter_file_safely(file, options)
        elif path.exists() or path.is_symlink():
            yield from _iter_file_safely(path, options)
        else:
            yield InputFailure(str(path), "no such file or folder")


def iter_xlsx_records(path: Path, options: InputOptions) -> Iterator[Item]:
    """One item per record row of an Excel workbook's sheets (``spreadsheet.xlsx_records``),
    named ``PATH:SHEET:ROW``; a sheet without the text field's column is one failure naming its
    columns, not one per row."""
    sheet, skipped = None, set()
    try:
        for sheet, number, row in xlsx_records(str(path)):
            if sheet in skipped:
                continue
            if options.text_field not in row:
                skipped.add(sheet)
                yield InputFailure(f"{path}:{sheet}", f"no column {options.text_field!r} in its header row (columns: "
                                                      f"{', '.join(map(repr, row))}); pass --text-field COLUMN")
                continue
            yield _record(f"{path}:{sheet}:{number}", row, options)
    except SpreadsheetError as err:
        yield InputFailure(f"{path}:{sheet}" if sheet else str(path),
                           f"{err}; the rows before it were read" if sheet else str(err))


def iter_mbox_records(path: Path) -> Iterator[Item]:
    """One document per message of an mbox archive (``mail.mailbox_messages``), its subject and
    body as a saved ``.eml`` is read, named by its Message-ID (else ``PATH:N``); a message that
    cannot be read fails alone."""
    try:
        for number, message_id, data in mailbox_messages(str(path)):
            name = message_id or f"{path}:{number}"
            try:
                text = mail_text(data)
            except MailError as err:
                yield InputFailure(name, str(err))
                continue
            yield _document(name, text, "text")
    except MailError as err:
        yield InputFailure(str(path), str(err))
    except OSError as err:
        yield InputFailure(str(path), f"cannot read: {err.strerror or err}")


def _iter_file_safely(path: Path, options: InputOptions) -> Iterator[Item]:
    """``_iter_file``, with anything a reader raises by mistake turned into a failure of that
    file (after the records it gave): one file's bug never ends a batch of many."""
    try:
        yield from _iter_file(path, options)
    except Exception as err:  # the readers report what they know as failures; this is for what they do not
        yield InputFailure(str(path), f"cannot read ({type(err).__name__}: {err}); the records before it were "
                                      "read. Please report this file's kind to kwextract")


def _iter_file(path: Path, options: InputOptions) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from iter_jsonl_records(path, options)
    elif suffix in (".csv", ".tsv"):
        yield from iter_csv_records(path, options)
    elif suffix in SPREADSHEET_SUFFIXES:
        yield from iter_xlsx_records(path, options)
    elif suffix == ".mbox":
        yield from iter_mbox_records(path)
    else:
        yield read_text_file(path, options)


def count_inputs(paths: list[Path], options: InputOptions = InputOptions()) -> int:
    """A cheap estimate of how many documents the inputs hold (for a progress bar's ETA)."""
    total = 0
    for path in paths:
        files = folder_files(path, options.glob) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix in (".jsonl", ".ndjson", ".csv", ".tsv", ".mbox"):
                try:
                    with file.open("rb") as handle:
                        if suffix == ".mbox":  # a message after each "From " line
                            total += sum(1 for line in handle if line.startswith(b"From "))
                        else:
                            total += sum(1 for line in handle if line.strip()) - (suffix in (".csv", ".tsv"))
                except OSError:
                    total += 1
            elif suffix in SPREADSHEET_SUFFIXES:
                total += xlsx_row_count(file)
            else:
                total += 1
    return max(total, 0)
