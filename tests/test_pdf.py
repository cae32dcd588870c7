"""PDF files read as their pages' text (with pypdf, the `pdf` extra; the `test` extra has it)."""

import json

import pytest

from kwextract import load
from kwextract.inputs import InputDocument, InputFailure, InputOptions, decode_text
from kwextract.pages import without_running_lines
from kwextract.pdf import PdfError, pdf_text


def pdf(*pages: list[str]) -> bytes:
    """A PDF whose pages show these lines of text (Helvetica, top to bottom)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))),
                                                            len(pages)),
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        shown = " ".join("(%s) Tj 0 -14 Td" % line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                         for line in lines)
        stream = f"BT /F1 11 Tf 72 720 Td {shown} ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * i} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


PAPER = pdf(["Keyphrase extraction with recurrent neural networks", "",
             "Keyphrase extraction finds the phrases that sum up a document. Recurrent neural",
             "networks read each word in context; a conditional random field tags keyphrase spans. Keyphrase extrac-",
             "tion from scientific papers is evaluated on benchmark corpora."],
            ["Recurrent neural networks and conditional random fields make keyphrase extraction",
             "accurate on scientific papers (page two)."])


def test_a_pdf_gives_its_pages_text_in_order():
    text = pdf_text(PAPER)
    assert text.index("Keyphrase extraction with") < text.index("page two")
    assert "conditional random field tags keyphrase spans" in " ".join(text.split())
    assert "corpora.\nRecurrent" in text  # a page break is a line break: a sentence may run over it


def test_a_pdf_file_gives_keyphrases_and_broken_or_scanned_ones_are_named(tiny_model, tmp_path):
    item = decode_text("paper.pdf", PAPER, InputOptions())
    assert isinstance(item, InputDocument) and item.text == pdf_text(PAPER)
    found = {kp.text for kp in load("fast").extract(item.text, top_k=10)}
    assert "Keyphrase extraction" in found or "keyphrase extraction" in found
    assert not any("extrac-" in phrase for phrase in found)  # the word broken across lines reads whole
    scan = decode_text("scan.pdf", pdf([]), InputOptions())
    assert isinstance(scan, InputFailure) and "without a text layer" in scan.reason
    broken = decode_text("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", InputOptions())
    assert isinstance(broken, InputFailure) and broken.reason.startswith("a PDF that cannot be read")
    from typer.testing import CliRunner

    from cli.main import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "paper.pdf").write_bytes(PAPER)
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--glob", "*.pdf", "-o", str(out), "-m",
                                      str(tiny_model), "-w", "1", "--quiet"])
    assert result.exit_code == 1  # the broken PDF fails, alone
    assert [json.loads(line)["id"].rsplit("/", 1)[-1] for line in out.read_text().splitlines()] == ["paper.pdf"]
    assert "broken.pdf" in (tmp_path / "out.jsonl.errors.jsonl").read_text()


def test_without_pypdf_a_pdf_is_refused_with_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pypdf(name, *args, **kwargs):
        if name.startswith("pypdf"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pypdf)
    with pytest.raises(PdfError, match=r"pip install 'kwextract\[pdf\]'"):
        pdf_text(PAPER)
    assert "kwextract[pdf]" in decode_text("paper.pdf", PAPER, InputOptions()).reason


def test_running_heads_and_page_numbers_are_left_out():
    """A journal's name on every page was the most frequent phrase of a paper read from PDF."""
    bodies = ["Coral bleaching threatens reefs worldwide.", "Sea surface temperature rose by two degrees.",
              "Fisheries suffer when reefs bleach.", "Monitoring programmes help reef managers.",
              "Reefs recover slowly after bleaching."]
    journal = pdf(*[[f"Journal of Marine Ecology Letters 12 (2024) {300 + i}", body, f"Results {chr(65 + i)} hold.",
                     str(i + 1)] for i, body in enumerate(bodies)])
    text = pdf_text(journal)
    assert "Journal of Marine" not in text and not any(line.strip().isdigit() for line in text.splitlines())
    assert all(body in text for body in bodies)
    found = [kp.text for kp in load("fast").extract(text, top_k=10)]
    assert not any("Journal" in phrase or "Marine Ecology" in phrase for phrase in found)
    assert without_running_lines(["Header\nOne.", "Header\nTwo."]) == ["Header\nOne.", "Header\nTwo."]  # 2 pages
