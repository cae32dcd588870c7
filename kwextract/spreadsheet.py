"""Excel workbooks (XLSX) → records, a row each: survey answers, tickets, reviews.

Texts to extract from are often a column of a spreadsheet, and a ZIP of XML is no text. As
``kwextract batch`` reads a CSV file's records, ``xlsx_records`` reads a workbook's: every
worksheet, in the workbook's order, its first non-empty row the header (the column names
``--text-field`` and ``--id-field`` choose from), each later non-empty row a record of the
cells' values as Excel shows them unformatted (shared and inline strings, rich text joined,
numbers and formula results as stored, TRUE/FALSE). Standard library only (``zipfile``,
``xml.etree``), read a row at a time, so a large sheet is never held whole.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from .office import BROKEN_ARCHIVE, MAX_XML_BYTES

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COLUMN = re.compile(r"[A-Z]+")


class SpreadsheetError(ValueError):
    """A file that is not a workbook kwextract reads, or one it cannot read; the message says why."""


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` is an Excel workbook (a ZIP holding ``xl/workbook.xml``)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except BROKEN_ARCHIVE:
        return False


def xlsx_records(source: str | io.BufferedIOBase) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(sheet name, row number, {column name: value}) for every record row of every worksheet
    of the workbook at ``source`` (a path or a binary file), every column of the header in
    each record ("" for an empty cell); a sheet without a header row gives none. Raises
    SpreadsheetError naming what is wrong (not a workbook, a part too large, a damaged one:
    after the records read before it)."""
    try:
        archive = zipfile.ZipFile(source)
    except BROKEN_ARCHIVE as err:
        raise SpreadsheetError(f"not a readable XLSX workbook ({err})") from None
    where = "the workbook"
    with archive:
        try:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError("a ZIP archive without xl/workbook.xml: not an XLSX workbook")
            strings = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
            for sheet, part in _sheets(archive, names):
                where = f"sheet {sheet!r}"
                header: dict[int, str] | None = None
                for number, cells in _rows(archive, part, strings):
                    if header is None:
                        header = {column: value.strip() for column, value in cells.items() if value.strip()} or None
                        continue
                    record = {name: cells.get(column, "") for column, name in header.items()}
                    if any(value.strip() for value in record.values()):
                        yield sheet, number, record
        except SpreadsheetError:
            raise
        except BROKEN_ARCHIVE as err:  # a damaged archive or part (or a cell's number): what was read stays read
            raise SpreadsheetError(f"cannot read {where} ({type(err).__name__}: {err})"[:300]) from None


def xlsx_row_count(path: str | Path) -> int:
    """About how many records the workbook at ``path`` holds, for a progress bar: the rows its
    sheets declare (``<dimension ref="A1:D120">``: 119 below the header), without reading
    them; 1 for a sheet that declares none or a file that cannot be read."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for _, part in _sheets(archive, names):
                with archive.open(part) as handle:
                    found = _DIMENSION.search(handle.read(4096))
                total += max(int(found.group(1)) - 1, 0) if found else 1
    except BROKEN_ARCHIVE:
        return 1
    return max(total, 1)


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def _part(archive: zipfile.ZipFile, name: str) -> zipfile.ZipExtFile:
    if archive.getinfo(name).file_size > MAX_XML_BYTES:
        raise SpreadsheetError(f"{name} unpacks to more than {MAX_XML_BYTES // 2**20} MB (a ZIP bomb?)")
    return archive.open(name)


def _sheets(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(name, part) of each worksheet, in the workbook's order."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in ElementTree.parse(_part(archive, "xl/_rels/workbook.xml.rels")).getroot().iter(_RELS + "Relationship"):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    sheets = []
    for sheet in ElementTree.parse(_part(archive, "xl/workbook.xml")).getroot().iter(_S + "sheet"):
        part = targets.get(sheet.get(_R + "id"))
        if part in names:
            sheets.append((sheet.get("name", part), part))
    return sheets


def _text(element: ElementTree.Element) -> str:
    """A string item's text: its ``<t>`` runs joined, phonetic guides (``<rPh>``) left out."""
    return "".join(t.text or "" for child in element if child.tag != _S + "rPh" for t in child.iter(_S + "t"))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings = []
    for _, element in ElementTree.iterparse(_part(archive, "xl/sharedStrings.xml")):
        if element.tag == _S + "si":
            strings.append(_text(element))
            element.clear()
    return strings


def _rows(archive: zipfile.ZipFile, part: str, strings: list[str]) -> Iterator[tuple[int, dict[int, str]]]:
    """(row number, {column index: value}) of each row of a worksheet, a row at a time."""
    last = 0
    for _, element in ElementTree.iterparse(_part(archive, part)):
        if element.tag != _S + "row":
            continue
        number = int(element.get("r") or last + 1)
        last = number
        cells = {}
        for position, cell in enumerate(element.iter(_S + "c")):
            column = _column_index(cell.get("r"), position)
            kind, value = cell.get("t"), cell.find(_S + "v")
            if kind == "inlineStr":
                inline = cell.find(_S + "is")
                text = _text(inline) if inline is not None else ""
            elif value is None or value.text is None:
                continue
            elif kind == "s":
                index = int(value.text)
                text = strings[index] if 0 <= index < len(strings) else ""
            elif kind == "b":
                text = "TRUE" if value.text.strip() == "1" else "FALSE"
            else:  # a number, a formula's string ("str") or an error ("e"), as stored
                text = value.text
            cells[column] = text
        element.clear()
        yield number, cells


def _column_index(reference: str | None, position: int) -> int:
    """The 0-based column of a cell reference ("C5" → 2); ``position`` when it has none."""
    letters = _COLUMN.match(reference or "")
    if letters is None:
        return position
    index = 0
    for letter in letters.group():
        index = index * 26 + ord(letter) - 64
    return index - 1
