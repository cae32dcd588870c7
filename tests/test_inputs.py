"""Input files → documents or failures: encodings, byte-order marks, binary data."""

import codecs
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwextract.inputs import InputDocument, InputFailure, InputOptions, decode_text, iter_inputs, wide_encoding

TEXT = "Keyphrase extraction from scanned documents, café and naïve Bayes."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-be"])
def test_utf16_and_utf32_text_is_read_with_its_mark_or_when_asked(encoding):
    """Windows "Unicode" files are UTF-16 with a byte-order mark: their NUL bytes are text, not
    binary data. With a mark (utf-16, utf-32 write one) the default options read them; without
    one, --encoding names the encoding. The mark is not part of the text."""
    data = TEXT.encode(encoding)
    has_mark = encoding in ("utf-16", "utf-32")
    item = decode_text("f.txt", data, InputOptions() if has_mark else InputOptions(encoding=encoding))
    assert item == InputDocument("f.txt", TEXT)
    if not has_mark:  # unmarked and not asked for: refused as binary, with a hint for UTF-16
        refused = decode_text("f.txt", data, InputOptions())
        assert isinstance(refused, InputFailure) and "binary data" in refused.reason
        assert f"pass --encoding {encoding}" in refused.reason


def test_a_byte_order_mark_wins_over_the_encoding_asked_for():
    data = codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")
    assert wide_encoding(data[:4], "latin-1") == "utf-16"
    assert decode_text("f.txt", data, InputOptions(encoding="latin-1")) == InputDocument("f.txt", TEXT)
    assert wide_encoding(codecs.BOM_UTF32_LE, "utf-8") == "utf-32"  # its mark begins with UTF-16-LE's
    assert wide_encoding(b"abcd", "utf-8") is None and wide_encoding(b"abcd", "UTF16") == "UTF16"


def test_utf8_mark_stays_in_the_text_so_offsets_match_pythons_utf8():
    item = decode_text("f.txt", codecs.BOM_UTF8 + TEXT.encode(), InputOptions())
    assert item == InputDocument("f.txt", "\ufeff" + TEXT)  # the tokenizer reads U+FEFF as a space


def test_binary_data_is_refused_in_every_encoding():
    """NUL bytes in a byte-wide encoding; NUL characters, or bytes that are no whole character,
    in a wide one."""
    assert decode_text("b", b"\x00\x01\x02 binary data", InputOptions()).reason == \
        "binary data (contains NUL bytes), not text"
    assert "not valid utf-16 at byte" in decode_text("b", codecs.BOM_UTF16_LE + b"odd", InputOptions()).reason
    nul_text = decode_text("b", ("text\x00" * 20).encode("utf-16"), InputOptions())
    assert isinstance(nul_text, InputFailure) and "NUL characters" in nul_text.reason
    fallback = decode_text("b", b"\xff\xfe\xfd" + b"\x00" * 5000, InputOptions(encoding="utf-16-le",
                                                                               fallback_encoding="latin-1"))
    assert isinstance(fallback, InputFailure) and "binary data" in fallback.reason


def test_utf16_jsonl_and_csv_files_are_read_record_by_record(tmp_path):
    """A UTF-16 file cannot be cut at newline bytes: JSONL and CSV in UTF-16 (with a mark, or
    with --encoding) give their records, and a line that is not JSON still fails alone."""
    records = [{"id": "a", "text": "Graph neural networks for drug discovery."},
               {"id": "b", "text": "Protein structure prediction, encore une fois."}]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (tmp_path / "marked.jsonl").write_text("\n".join([lines[0], "not json", lines[1]]) + "\n", encoding="utf-16")
    (tmp_path / "asked.jsonl").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    (tmp_path / "sheet.csv").write_text('id,text\r\nc,"Sparse matrix factorisation, GPUs"\r\n', encoding="utf-16")
    marked = list(iter_inputs([tmp_path / "marked.jsonl"]))
    assert marked[0] == InputDocument("a", records[0]["text"]) and marked[2] == InputDocument("b", records[1]["text"])
    assert isinstance(marked[1], InputFailure) and marked[1].id.endswith("marked.jsonl:2")
    asked = list(iter_inputs([tmp_path / "asked.jsonl"], InputOptions(encoding="utf-16-le")))
    assert asked == [InputDocument(r["id"], r["text"]) for r in records]
    assert list(iter_inputs([tmp_path / "sheet.csv"])) == [InputDocument("c", "Sparse matrix factorisation, GPUs")]


def test_a_wide_jsonl_file_keeps_its_lines_around_a_bad_code_unit(tmp_path):
    """A lone surrogate is let through as in a JSON escape (read as U+FFFD downstream); a file
    cut in the middle of a character fails from there, the lines before it kept."""
    lines = [json.dumps({"id": i, "text": f"Ocean circulation model {i}."}) + "\n" for i in "abc"]
    bad = b"".join([lines[0].encode("utf-16-le"), '{"id": "b", "text": "x'.encode("utf-16-le"), b"\x41\xd8",
                    '"}\n'.encode("utf-16-le"), lines[2].encode("utf-16-le"), b"\x41"])  # then an odd byte
    (tmp_path / "broken.jsonl").write_bytes(codecs.BOM_UTF16_LE + bad)
    items = list(iter_inputs([tmp_path / "broken.jsonl"]))
    assert items[0] == InputDocument("a", "Ocean circulation model a.")
    assert items[1] == InputDocument("b", "x\ud841") and items[2] == InputDocument("c", "Ocean circulation model c.")
    assert isinstance(items[3], InputFailure) and items[3].id.endswith("broken.jsonl:4") and len(items) == 4
    assert "not valid utf-16 at line 4" in items[3].reason


def test_delimited_files_are_split_as_their_header_says(tmp_path):
    """Excel writes ";" where the decimal mark is a comma, and .tsv files are tab-separated: their
    records are read, not failed one by one for a missing text field (nor, for a .tsv, read as
    one text file). A comma-separated file whose texts hold semicolons stays comma-separated."""
    (tmp_path / "semicolon.csv").write_text('id;text\na;"Graph partitioning, with genetic algorithms"\n')
    (tmp_path / "tabs.tsv").write_text("id\ttext\nb\tSpeech recognition; decision trees\n")
    (tmp_path / "comma.csv").write_text('id,text\nc,"Query optimization; databases"\n')
    (tmp_path / "bars.csv").write_text("doc|body\nd|Image segmentation\n")
    items = list(iter_inputs([tmp_path / n for n in ("semicolon.csv", "tabs.tsv", "comma.csv")]))
    assert items == [InputDocument("a", "Graph partitioning, with genetic algorithms"),
                     InputDocument("b", "Speech recognition; decision trees"),
                     InputDocument("c", "Query optimization; databases")]
    bars = list(iter_inputs([tmp_path / "bars.csv"], InputOptions(id_field="doc", text_field="body")))
    assert bars == [InputDocument("d", "Image segmentation")]
    missing = list(iter_inputs([tmp_path / "comma.csv"], InputOptions(text_field="abstract")))
    assert [m.reason for m in missing] == ["no text field 'abstract'"]
    (tmp_path / "short.csv").write_text("id,text\na,Graph partitioning\nb\n")  # row b stops before its text
    short = list(iter_inputs([tmp_path / "short.csv"]))
    assert short[1] == InputFailure(f"{tmp_path / 'short.csv'}:3", "no text field 'text'")


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF that cannot be read"),
    (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (DOCX, ODT, PPTX, EPUB, and XLSX rows"),
    (b"\x1f\x8b\x08\x00", "gzip-compressed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
])
def test_files_of_common_formats_are_named_with_what_to_do(data, says):
    """A PDF or a Word file given for text: say what it is and how to get its text, rather than
    "binary data" or "not valid utf-8 at byte 11" (a PDF's first bytes may hold no NUL)."""
    failure = decode_text("paper", data, InputOptions(fallback_encoding="latin-1"))
    assert isinstance(failure, InputFailure) and failure.reason.startswith(says)


def test_read_file_gives_a_files_text_as_the_command_line_reads_it(tmp_path):
    import kwextract

    (tmp_path / "notes.md").write_text("# Coral reefs\n```\ncode()\n```\nCoral bleaching.", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 culture.".encode("latin-1"))
    assert " ".join(kwextract.read_file(tmp_path / "notes.md").split()) == "Coral reefs Coral bleaching."
    assert kwextract.read_file(str(tmp_path / "notes.md"), markup="text").startswith("# Coral reefs\n```")
    assert kwextract.read_file(tmp_path / "latin.txt", fallback_encoding="latin-1") == "Caf\xe9 culture."
    with pytest.raises(kwextract.InputError, match=r"latin\.txt: not valid utf-8 at byte 3"):
        kwextract.read_file(tmp_path / "latin.txt")
    with pytest.raises(kwextract.InputError, match=r"missing\.pdf: cannot read: No such file"):
        kwextract.read_file(tmp_path / "missing.pdf")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([(b"%PDF-1.4\n", ""), (b"{\\rtf1 ", ""), (b"", ".eml"), (b"PK\x03\x04", ""), (b"", ".tex"),
                        (b"", ".md"), (b"", ".srt"), (b"", ".html"), (b"\xff\xfe", ""), (b"", "")]),
       st.binary(max_size=300))
def test_no_bytes_make_the_readers_raise(kind, data):
    """Whatever a file holds, it is read as a document or refused with a reason: a reader that
    raised would end a whole batch."""
    magic, suffix = kind
    item = decode_text("f" + suffix, magic + data, InputOptions(fallback_encoding="latin-1"), suffix=suffix)
    assert isinstance(item, (InputDocument, InputFailure))


def test_damaged_copies_of_real_documents_are_failures_never_exceptions(tmp_path):
    """A Word, LibreOffice, PowerPoint, EPUB, Excel, RTF, PDF or e-mail file with a few bytes
    damaged (a bad download, a disk error) must be one failure, never an exception: one escaped
    from reading a DOCX whose deflate data or CRC was broken (zlib.error, BadZipFile) and would
    have ended a whole batch."""
    import random

    from .test_mail import MESSAGE
    from .test_office import BOOK, ODT, REPORT, SLIDES
    from .test_pdf import PAPER
    from .test_rtf import TEXTEDIT
    from .test_spreadsheet import ANSWERS

    rng = random.Random(0)
    for name, data, suffix in [("report.docx", REPORT, ".docx"), ("notes.odt", ODT, ".odt"), ("talk.pptx", SLIDES, ".pptx"),
                               ("book.epub", BOOK, ".epub"), ("paper.pdf", PAPER, ".pdf"), ("note.rtf", TEXTEDIT, ".rtf"),
                               ("mail.eml", MESSAGE, ".eml"), ("answers.xlsx", ANSWERS, ".xlsx")]:
        for attempt in range(60):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.getrandbits(8)
            path = tmp_path / f"{attempt}{suffix}"
            path.write_bytes(bytes(damaged))
            items = list(iter_inputs([path], InputOptions(text_field="answer")))  # must not raise
            assert items and all(isinstance(i, (InputDocument, InputFailure)) for i in items), name


def test_a_reader_that_raises_by_mistake_fails_its_file_not_the_batch(tmp_path, monkeypatch):
    """Every reader reports what it knows as failures; a bug in one (an exception it did not
    expect) must still be one file's failure, with the other files read."""
    import kwextract.inputs

    (tmp_path / "a.txt").write_text("Graph partitioning with genetic algorithms.")
    (tmp_path / "b.rtf").write_text("{\\rtf1 Broken on purpose}")
    (tmp_path / "c.txt").write_text("Wireless sensor networks.")

    def broken(data: bytes) -> str:
        raise IndexError("a reader's bug")

    monkeypatch.setattr(kwextract.inputs, "rtf_text", broken)
    items = list(iter_inputs([tmp_path]))
    assert [type(i).__name__ for i in items] == ["InputDocument", "InputFailure", "InputDocument"]
    assert items[1].id.endswith("b.rtf") and "IndexError: a reader's bug" in items[1].reason
