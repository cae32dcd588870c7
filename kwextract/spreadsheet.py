"""Excel workbooks (XLSX) → records, a row each: survey answers, tickets, reviews.

Texts to extract from are often a column of a spreadsheet, and a ZIP of XML is no text. As
``kwextract batch`` reads a CSV file's records, ``xlsx_records`` reads a workbook's: every
worksheet, in the workbook's order, its first non-empty row the header (the column names
``--text-field`` and ``--id-field`` choose from), each later non-empty row a record of the
cells' values as Excel shows them unformatted (shared and inline strings, rich text joined,
numbers and formula results as stored, TRUE/FALSE; a number in a date or time format as
ISO 8601, "2023-07-15" or "2023-07-15 13:45:00", where Excel stores a day count). Standard
library only (``zipfile``, ``xml.etree``), read a row at a time, so a large sheet is never
held whole.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

from .office import BROKEN_ARCHIVE, MAX_XML_BYTES

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COLUMN = re.compile(r"[A-Z]+")
# Excel's built-in number formats that show dates or times (14-22, 45-47; 27-36 and 50-58 in East
# Asian locales); a custom format shows one when, outside quotes, escapes and [colour] or
# [condition] brackets, it holds y, m, d, h or s ("yyyy-mm-dd", "[h]:mm" elapsed hours)
_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
_NOT_A_DATE_CODE = re.compile(r'"[^"]*"|\\.|\[(?![hHmMsS]+\])[^\]]*\]|_.|\*.')
_DATE_CODE = re.compile(r"[ymdhs]", re.IGNORECASE)


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
            workbook = _workbook(archive)
            dates = _date_styles(archive) if "xl/styles.xml" in names else frozenset()
            epoch = _epoch(workbook)
            for sheet, part in _sheets(archive, names, workbook):
                where = f"sheet {sheet!r}"
                header: dict[int, str] | None = None
                for number, cells in _rows(archive, part, strings, dates, epoch):
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
            workbook = _workbook(archive)
            for _, part in _sheets(archive, names, workbook):
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


def _workbook(archive: zipfile.ZipFile) -> ElementTree.Element:
    """xl/workbook.xml's root: its sheets, in order, and its properties (the date system)."""
    return ElementTree.parse(_part(archive, "xl/workbook.xml")).getroot()


def _sheets(archive: zipfile.ZipFile, names: set[str], workbook: ElementTree.Element) -> list[tuple[str, str]]:
    """(name, part) of each worksheet, in the order of ``workbook`` (xl/workbook.xml's root)."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in ElementTree.parse(_part(archive, "xl/_rels/workbook.xml.rels")).getroot().iter(_RELS + "Relationship"):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    sheets = []
    for sheet in workbook.iter(_S + "sheet"):
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


def _date_styles(archive: zipfile.ZipFile) -> frozenset[str]:
    """The cell styles (``<c s="...">``, a style's place among cellXfs) whose number format shows
    a date or a time; none when the styles part cannot be read (the rows are still read, their
    numbers as stored)."""
    try:
        root = ElementTree.parse(_part(archive, "xl/styles.xml")).getroot()
    except BROKEN_ARCHIVE:
        return frozenset()
    custom = {f.get("numFmtId") for f in root.iter(_S + "numFmt")
              if _DATE_CODE.search(_NOT_A_DATE_CODE.sub("", f.get("formatCode", "")))}
    styles = root.find(_S + "cellXfs")
    formats = [xf.get("numFmtId", "0") for xf in styles.iter(_S + "xf")] if styles is not None else []
    return frozenset(str(i) for i, f in enumerate(formats) if f in custom or (f.isdigit() and int(f) in _DATE_FORMATS))


def _epoch(workbook: ElementTree.Element) -> datetime:
    """Day 0 of the workbook's day counts: 1899-12-30 (Excel's 1900 system, as counted after its
    phantom 29 February 1900), or 1904-01-01 for a workbook in the 1904 system (old Mac Excel)."""
    properties = workbook.find(_S + "workbookPr")
    in_1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
    return datetime(1904, 1, 1) if in_1904 else datetime(1899, 12, 30)


def _date_text(serial: str, epoch: datetime) -> str:
    """A day count as ISO 8601: a date, a date and time, or a time of day (a count under 1);
    ``serial`` as stored when it is no day count a date can have."""
    try:
        days = float(serial)
        if not days >= 0:  # Excel shows no date for a negative count (nor NaN)
            return serial
        before_phantom = epoch.year == 1899 and 1 <= days < 60  # before Excel's phantom 29 February 1900
        moment = epoch + timedelta(days=before_phantom, seconds=round(days * 86_400))
    except (ValueError, OverflowError):
        return serial
    if days < 1 and epoch.year == 1899:
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.time() != datetime.min.time() else "%Y-%m-%d")


def _rows(archive: zipfile.ZipFile, part: str, strings: list[str], dates: frozenset[str],
          epoch: datetime) -> Iterator[tuple[int, dict[int, str]]]:
    """(row number, {column index: value}) of each row of a worksheet, a row at a time; a number
    whose style (one of ``dates``) shows a date or time, as ISO 8601 from ``epoch``."""
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
            elif kind in (None, "n") and cell.get("s", "0") in dates:
                text = _date_text(value.text, epoch)
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
