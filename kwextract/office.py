"""Office files (DOCX, ODT, PPTX, ODP) and e-books (EPUB) → their text, a paragraph a block.

Most documents people write are Word, LibreOffice or PowerPoint files, and a ZIP of XML is no
text to a tokenizer. ``office_text`` reads the main text of a DOCX (``word/document.xml``), an
ODT (``content.xml``) or a PPTX (its slides, in the presentation's order) with the standard
library: paragraphs and headings in document order, table cells' and text boxes' paragraphs
among them, each paragraph a block of its own (a blank line between two: no keyphrase spans
one, ``surface.PARAGRAPH_BREAK``); tabs, line breaks and non-breaking hyphens as written.
Deleted tracked changes, field codes, footnote marks and footnotes, headers, footers and
speaker notes are left out. An EPUB's chapters are read in its reading order (the package's
spine), each as a browser shows it (``markup.markup_as_text``). Unlike HTML, Markdown and LaTeX, such a file's
bytes are not its text, so keyphrases' ``start:end`` point into the text this returns.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from urllib.parse import unquote
from collections.abc import Iterator
from xml.etree import ElementTree

from .markup import markup_as_text
from .surface import PARAGRAPH_BREAK

MAX_XML_BYTES = 256 * 1024 * 1024  # a document part larger than this, unpacked, is refused (a ZIP bomb)
# what a damaged ZIP of XML raises as its parts are read: CRC and header mismatches, bad deflate
# data, an unknown compression or encryption, a missing part, broken XML or text
BROKEN_ARCHIVE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, KeyError,
                  ElementTree.ParseError, OSError)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"  # PPTX slides' text
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"  # EPUB: where its package file is
_OPF = "{http://www.idpf.org/2007/opf}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

# DOCX: what a run's elements write, and what is not the document's text
_DOCX_CHARS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "\u2011",
               _A + "br": "\n"}
_DOCX_SKIPPED = {_W + name for name in ("delText", "instrText", "del", "moveFrom", "footnoteReference",
                                        "endnoteReference", "commentReference", "rPr", "pPr")} | {
    _A + "pPr", _A + "rPr",  # a slide paragraph's and run's properties (tab stops, fonts): no text
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}  # a copy of a text box, for old readers
# ODT: paragraphs and headings; what is not the text (footnotes are read apart from it)
_ODT_PARAGRAPHS = {_TEXT + "p", _TEXT + "h"}
_ODT_SKIPPED = {_TEXT + name for name in ("note", "tracked-changes", "bookmark-ref", "sequence-decls")} | {
    "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}notes"}  # an ODP slide's speaker notes


class OfficeError(ValueError):
    """A ZIP file that is not a document kwextract reads, or one it cannot read; the message says why."""


def office_kind(data: bytes) -> str | None:
    """``"docx"``, ``"odt"``, ``"pptx"`` or ``"epub"`` if ``data`` is such a document (a ZIP
    holding its main part), else None."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "ppt/presentation.xml" in names:
                return "pptx"
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
            if "content.xml" in names and mimetype in (b"application/vnd.oasis.opendocument.text",
                                                       b"application/vnd.oasis.opendocument.presentation"):
                return "odt"  # a LibreOffice text or presentation: the same paragraphs
            if "META-INF/container.xml" in names and mimetype == b"application/epub+zip":
                return "epub"
    except BROKEN_ARCHIVE:  # RuntimeError: an encrypted member; the rest: a damaged archive
        return None
    return None


def office_text(data: bytes, kind: str | None = None) -> str:
    """The text of a DOCX, ODT, PPTX or EPUB document's body: its paragraphs in order, a blank
    line between two (see the module docstring). Raises ``OfficeError`` for other or broken files."""
    kind = kind or office_kind(data)  # a caller that asked office_kind passes its answer
    if kind is None:
        raise OfficeError("not a DOCX, ODT, PPTX or EPUB document")
    part = {"docx": "word/document.xml", "odt": "content.xml", "pptx": "ppt/presentation.xml",
            "epub": "META-INF/container.xml"}[kind]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if kind == "epub":
                paragraphs = list(_epub_paragraphs(archive))
            elif kind == "pptx":
                paragraphs = [p for root in _slides(archive) for p in _docx_paragraphs(root, _A + "p", _A + "t")]
            else:
                root = _xml(archive, part)
                paragraphs = list(_docx_paragraphs(root) if kind == "docx" else _odt_paragraphs(root))
    except OfficeError:
        raise
    except BROKEN_ARCHIVE as err:
        raise OfficeError(f"a broken {kind.upper()} document ({part}: {type(err).__name__}: {err})"[:300]) from None
    return "\n\n".join(p for p in (" ".join(p.split("\n\n")) for p in paragraphs) if p.strip())


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    """One XML part of a document, parsed; refused if it unpacks to more than MAX_XML_BYTES."""
    if archive.getinfo(part).file_size > MAX_XML_BYTES:
        raise OfficeError(f"its {part} unpacks to more than {MAX_XML_BYTES >> 20} MB")
    return ElementTree.fromstring(archive.read(part))


def _epub_paragraphs(archive: zipfile.ZipFile) -> Iterator[str]:
    """An EPUB's paragraphs: its chapters in reading order (the package's spine), each read as
    a browser shows its body and cut at its blank lines, whitespace runs collapsed."""
    rootfile = next(_xml(archive, "META-INF/container.xml").iter(_CONTAINER + "rootfile"), None)
    if rootfile is None or not rootfile.get("full-path"):
        raise OfficeError("an EPUB without a package file (META-INF/container.xml names none)")
    package = rootfile.get("full-path", "")
    opf = _xml(archive, package)
    hrefs = {item.get("id"): item.get("href", "") for item in opf.iter(_OPF + "item")}
    names = set(archive.namelist())
    for ref in opf.iter(_OPF + "itemref"):
        name = posixpath.normpath(posixpath.join(posixpath.dirname(package), unquote(hrefs.get(ref.get("idref"), ""))))
        if name in names and archive.getinfo(name).file_size <= MAX_XML_BYTES:
            chapter = markup_as_text(_without_head(archive.read(name).decode("utf-8", "replace")))
            yield from (" ".join(block.split()) for block in PARAGRAPH_BREAK.split(chapter))


def _without_head(page: str) -> str:
    """An XHTML page less its ``<head>`` (whose title repeats the book's), found once, not by
    a pattern that would rescan the page from every "<head" of a broken one."""
    lower = page.lower()
    start = lower.find("<head>") if "<head>" in lower else lower.find("<head ")
    end = lower.find("</head>", start)
    return page if start < 0 or end < 0 else page[:start] + page[end + len("</head>"):]


def _slides(archive: zipfile.ZipFile) -> Iterator[ElementTree.Element]:
    """A PPTX's slides in the presentation's order (its slide list, through its relationships)."""
    targets = {rel.get("Id"): rel.get("Target", "") for rel in _xml(archive, "ppt/_rels/presentation.xml.rels")
               .iter(_RELS + "Relationship")}
    for slide in _xml(archive, "ppt/presentation.xml").iter(_P + "sldId"):
        target = targets.get(slide.get(_R + "id"), "")
        name = target.lstrip("/") if target.startswith("/") else "ppt/" + target
        if name in archive.namelist():
            yield _xml(archive, name)


def _docx_paragraphs(element: ElementTree.Element, paragraph: str = _W + "p",
                     text: str = _W + "t") -> Iterator[str]:
    """The paragraphs (``w:p``; a slide's ``a:p``, with ``text`` its runs' text element) under
    ``element`` in document order, each before the paragraphs nested in it (a text box's)."""
    for child in element:
        if child.tag == paragraph:
            parts: list[str] = []
            nested: list[ElementTree.Element] = []
            _docx_runs(child, parts, nested, text)
            yield "".join(parts)
            for box in nested:
                yield from _docx_paragraphs(box, paragraph, text)
        elif child.tag not in _DOCX_SKIPPED:
            yield from _docx_paragraphs(child, paragraph, text)


def _docx_runs(element: ElementTree.Element, parts: list[str], nested: list[ElementTree.Element],
               text: str = _W + "t") -> None:
    """The text of a paragraph's runs into ``parts``; the text boxes it holds into ``nested``."""
    for child in element:
        tag = child.tag
        if tag == text:
            parts.append(child.text or "")
        elif tag in _DOCX_CHARS:
            parts.append(_DOCX_CHARS[tag])
        elif tag == _W + "txbxContent":
            nested.append(child)
        elif tag not in _DOCX_SKIPPED:
            _docx_runs(child, parts, nested, text)


def _spaces(count: str) -> int:
    """An ODT space run's length: its ``text:c``, at least 1 and at most 1,000 (whatever the file says)."""
    try:
        return min(max(int(count), 1), 1000)
    except ValueError:
        return 1


def _odt_paragraphs(root: ElementTree.Element) -> Iterator[str]:
    """The paragraphs and headings of an ODT's body, in document order."""
    body = root.find(_OFFICE + "body")
    yield from _odt_blocks(body if body is not None else root)


def _odt_blocks(element: ElementTree.Element) -> Iterator[str]:
    for child in element:
        if child.tag in _ODT_PARAGRAPHS:
            parts: list[str] = []
            nested: list[ElementTree.Element] = []
            _odt_inline(child, parts, nested)
            yield "".join(parts)
            for frame in nested:
                yield from _odt_blocks(frame)
        elif child.tag not in _ODT_SKIPPED:
            yield from _odt_blocks(child)


def _odt_inline(element: ElementTree.Element, parts: list[str], nested: list[ElementTree.Element]) -> None:
    """A paragraph's mixed content (text, spans, spaces, tabs, breaks) into ``parts``; the
    paragraphs it holds (a frame's text box) into ``nested``."""
    parts.append(element.text or "")
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":
            parts.append(" " * _spaces(child.get(_TEXT + "c", "1")))
        elif tag == _TEXT + "tab":
            parts.append("\t")
        elif tag == _TEXT + "line-break":
            parts.append("\n")
        elif tag in _ODT_PARAGRAPHS:
            nested.append(ElementTree.Element("box", {}))
            nested[-1].append(child)
        elif tag not in _ODT_SKIPPED:
            _odt_inline(child, parts, nested)
        parts.append(child.tail or "")
