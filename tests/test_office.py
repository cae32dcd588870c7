"""Word and LibreOffice documents read as their paragraphs."""

import io
import json
import zipfile

import pytest

from kwextract import load
from kwextract.inputs import InputDocument, InputFailure, InputOptions, decode_text
from kwextract.office import OfficeError, office_kind, office_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx(body: str) -> bytes:
    """A minimal Word document with ``body`` (WordprocessingML) in its ``w:body``."""
    return _zip({"[Content_Types].xml": "<Types/>",
                 "word/document.xml": f'<?xml version="1.0"?><w:document {W} {MC}><w:body>{body}</w:body></w:document>'})


def para(*runs: str) -> str:
    return "<w:p><w:pPr><w:pStyle w:val='Heading1'/></w:pPr>" + "".join(runs) + "</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


REPORT = docx(
    para(run("Coral reef monitoring"))
    + para(run("Coral bleaching threatens the Great Barrier "), run("Reef. Keyphrase extrac"), run("tion"),
           "<w:del><w:r><w:delText>DELETED WORDS</w:delText></w:r></w:del>",
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "http://x.org"</w:instrText></w:r>',
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run(" of reef surveys"),
           '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
           "<w:r><w:tab/></w:r>", run("works"), "<w:r><w:br/></w:r>", run("well."))
    + "<w:tbl><w:tr><w:tc>" + para(run("Sea surface temperature")) + "</w:tc><w:tc>" + para(run("29 degrees"))
    + "</w:tc></w:tr></w:tbl>"
    + para("<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>" + para(run("Boxed coral note"))
           + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
           + para(run("Boxed coral note")) + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
           run("Anchor paragraph"))
    + para() + "<w:sectPr/>")

ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": (
    '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
    "<text:sequence-decls/><text:h>Coral reef monitoring</text:h>"
    "<text:p>Coral <text:span>bleaching</text:span> threatens<text:s text:c='3'/>reefs"
    "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.</text:p>"
    "</text:note-body></text:note>.<text:line-break/>Next line<text:s text:c='99999999999'/></text:p>"
    "<text:list><text:list-item><text:p>Reef surveys</text:p></text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>Sea surface temperature</text:p></table:table-cell>"
    "</table:table-row></table:table></office:text></office:body></office:document-content>")})


def test_a_word_document_gives_its_paragraphs_in_order():
    assert office_kind(REPORT) == "docx"
    text = office_text(REPORT)
    assert text.split("\n\n") == [
        "Coral reef monitoring",
        "Coral bleaching threatens the Great Barrier Reef. Keyphrase extraction of reef surveys\tworks\nwell.",
        "Sea surface temperature", "29 degrees", "Anchor paragraph", "Boxed coral note"]


def test_a_libreoffice_document_gives_its_paragraphs_in_order():
    assert office_kind(ODT) == "odt"
    paragraphs = office_text(ODT).split("\n\n")
    assert paragraphs[:2] == ["Coral reef monitoring", "Coral bleaching threatens   reefs.\nNext line" + " " * 1000]
    assert paragraphs[2:] == ["Reef surveys", "Sea surface temperature"]


A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def slide(*paragraphs: str) -> str:
    body = "".join(f"<a:p><a:pPr><a:tabLst><a:tab pos='1'/></a:tabLst></a:pPr><a:r><a:rPr lang='en'/><a:t>{p}</a:t>"
                   "</a:r></a:p>" for p in paragraphs)
    return f"<p:sld {A} {P}><p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"


SLIDES = _zip({
    "ppt/presentation.xml": f"<p:presentation {P} {R}><p:sldIdLst><p:sldId id='257' r:id='rId3'/>"
                            "<p:sldId id='256' r:id='rId2'/></p:sldIdLst></p:presentation>",
    "ppt/_rels/presentation.xml.rels": "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/"
                                       "relationships'><Relationship Id='rId2' Target='slides/slide1.xml'/>"
                                       "<Relationship Id='rId3' Target='slides/slide2.xml'/></Relationships>",
    "ppt/slides/slide1.xml": slide("Coral bleaching results", "Sea surface temperature rose"),
    "ppt/slides/slide2.xml": slide("Coral reef monitoring"),
    "ppt/notesSlides/notesSlide1.xml": slide("Speaker notes, not shown"),
})


def test_a_presentation_gives_its_slides_paragraphs_in_the_presentations_order():
    assert office_kind(SLIDES) == "pptx"
    assert office_text(SLIDES).split("\n\n") == ["Coral reef monitoring", "Coral bleaching results",
                                                  "Sea surface temperature rose"]
    assert decode_text("talk.pptx", SLIDES, InputOptions()).text == office_text(SLIDES)


def chapter(title: str, *paragraphs: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title>'
            f"<style>p {{ margin: 0 }}</style></head><body><h1>{title}</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>")


BOOK = _zip({
    "mimetype": "application/epub+zip",
    "META-INF/container.xml": '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                              '<rootfile full-path="OEBPS/content.opf"/></rootfiles></container>',
    "OEBPS/content.opf": '<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
                         '<item id="c2" href="text/chapter%202.xhtml"/><item id="c1" href="text/one.xhtml"/>'
                         '<item id="css" href="style.css"/></manifest><spine><itemref idref="c1"/>'
                         '<itemref idref="c2"/></spine></package>',
    "OEBPS/text/one.xhtml": chapter("Coral reefs", "Coral bleaching threatens reefs &amp; fisheries."),
    "OEBPS/text/chapter 2.xhtml": chapter("Sea temperature", "Warmer seas bleach coral."),
    "OEBPS/style.css": "p { margin: 0 }",
})


def test_an_ebook_gives_its_chapters_paragraphs_in_reading_order():
    assert office_kind(BOOK) == "epub"
    assert office_text(BOOK).split("\n\n") == ["Coral reefs", "Coral bleaching threatens reefs \u2060\u2060\u2060\u2060& fisheries.",
                                                "Sea temperature", "Warmer seas bleach coral."]
    found = load("fast").extract(decode_text("book.epub", BOOK, InputOptions()).text, top_k=5)
    assert found and not any("margin" in kp.text or "<" in kp.text for kp in found)


def test_a_libreoffice_presentation_gives_its_slides_without_speaker_notes():
    impress = _zip({"mimetype": "application/vnd.oasis.opendocument.presentation", "content.xml": (
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"><office:body>'
        "<office:presentation><draw:page><draw:frame><draw:text-box><text:p>Coral reef monitoring</text:p>"
        "</draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box><text:p>Speaker notes"
        "</text:p></draw:text-box></draw:frame></presentation:notes></draw:page><draw:page><draw:frame>"
        "<draw:text-box><text:p>Sea surface temperature</text:p></draw:text-box></draw:frame></draw:page>"
        "</office:presentation></office:body></office:document-content>")})
    assert office_text(impress).split("\n\n") == ["Coral reef monitoring", "Sea surface temperature"]


def test_other_zips_and_broken_documents_are_named():
    xlsx = _zip({"xl/workbook.xml": "<workbook/>"})
    assert office_kind(xlsx) is None and office_kind(b"plain text") is None and office_kind(b"PK\x03\x04junk") is None
    with pytest.raises(OfficeError, match="not a DOCX, ODT, PPTX or EPUB"):
        office_text(xlsx)
    broken = _zip({"word/document.xml": "<w:document><unclosed"})
    with pytest.raises(OfficeError, match="broken DOCX document"):
        office_text(broken)
    failure = decode_text("report.docx", broken, InputOptions())
    assert isinstance(failure, InputFailure) and failure.reason.startswith("a broken DOCX document (word/document.xml")
    assert "XLSX" in decode_text("book.xlsx", xlsx, InputOptions()).reason
    assert decode_text("empty.docx", docx(para()), InputOptions()).reason == "empty document"


def test_a_docx_file_gives_keyphrases_and_a_batch_reads_it_beside_text(tiny_model, tmp_path):
    """`kwextract extract -f report.docx` and `kwextract batch`: the document's words, offsets
    into its text; a broken document fails alone."""
    from typer.testing import CliRunner

    from cli.main import app

    item = decode_text("report.docx", REPORT, InputOptions())
    assert isinstance(item, InputDocument) and item.text == office_text(REPORT)
    found = load("fast").extract(item.text, top_k=10)
    assert found and all(item.text[kp.start : kp.end].split() == kp.text.split() for kp in found)
    assert not any("DELETED" in kp.text or "HYPERLINK" in kp.text or "w:" in kp.text for kp in found)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.docx").write_bytes(REPORT)
    (tmp_path / "in" / "broken.docx").write_bytes(_zip({"word/document.xml": "<w:document"}))
    (tmp_path / "in" / "notes.odt").write_bytes(ODT)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--glob", "*.*", "-o", str(out), "-m",
                                      str(tiny_model), "-w", "1", "--quiet"])
    assert result.exit_code == 1  # the broken document fails, alone
    done = {json.loads(line)["id"].rsplit("/", 1)[-1] for line in out.read_text().splitlines()}
    assert done == {"report.docx", "notes.odt"}
    assert "broken DOCX document" in (tmp_path / "out.jsonl.errors.jsonl").read_text()
    said = CliRunner().invoke(app, ["extract", "-f", str(tmp_path / "in" / "report.docx"), "-m", str(tiny_model),
                                    "--format", "json"])
    assert said.exit_code == 0 and json.loads(said.stdout)
