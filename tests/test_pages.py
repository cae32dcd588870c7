"""Paginated text: running heads and feet left out (PDFs) or blanked (form-fed text)."""

from kwextract import load
from kwextract.inputs import InputDocument, InputOptions, decode_text
from kwextract.pages import blank_running_lines, running_lines, without_running_lines

BODIES = ["Coral bleaching threatens reefs worldwide.", "Sea surface temperature rose by two degrees.",
          "Fisheries suffer when reefs bleach.", "Monitoring programmes help reef managers."]
# what pdftotext writes: pages parted by form feeds, a running head and a page number on each
PAGES = "\f".join(f"Journal of Marine Ecology Letters 12 (2024) {300 + i}\n\n{body}\nResults {chr(65 + i)} hold.\n\n"
                  f"{i + 1}\n" for i, body in enumerate(BODIES))


def test_running_heads_and_page_numbers_are_found_on_most_pages_only():
    pages = [page.split("\n") for page in PAGES.split("\f")]
    assert running_lines(pages) == [{0, 5}] * 4  # the head and the number, not the body nor the blank lines
    assert without_running_lines(["Header\nOne.", "Header\nTwo."]) == ["Header\nOne.", "Header\nTwo."]  # 2 pages
    varied = ["Intro\nA.", "Methods\nB.", "Results\nC.", "Discussion\nD."]
    assert without_running_lines(varied) == varied  # a line on one page only is no running head


def test_a_form_fed_text_has_its_running_lines_blanked_at_the_same_offsets():
    text = blank_running_lines(PAGES)
    assert len(text) == len(PAGES) and text.count("\n") == PAGES.count("\n") and text.count("\f") == 3
    assert "Journal" not in text and all(body in text for body in BODIES)
    item = decode_text("paper.txt", PAGES.encode(), InputOptions())
    assert isinstance(item, InputDocument) and item.text == text
    found = load("fast").extract(item.text, top_k=10)
    assert found and not any("Journal" in kp.text or "Marine Ecology" in kp.text for kp in found)
    assert all(PAGES[kp.start : kp.end].split() == kp.text.split() for kp in found)
    assert decode_text("two.txt", b"Head\nOne.\fHead\nTwo.", InputOptions()).text == "Head\nOne.\fHead\nTwo."
