"""Excel workbooks read as records, a row each."""

import io
import json
import zipfile

import pytest

from kwextract.inputs import InputDocument, InputFailure, InputOptions, decode_text, iter_inputs
from kwextract.spreadsheet import SpreadsheetError, xlsx_records

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(sheets: dict[str, str], shared: list[str]) -> bytes:
    """An XLSX as Excel writes one: a workbook, its relationships, shared strings and sheets
    (``sheets``: name → the <sheetData> rows)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        entries = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1))
        archive.writestr("xl/workbook.xml", f"<workbook {MAIN} {RELS}><sheets>{entries}</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" Type="worksheet"/>'
                       for i in range(1, len(sheets) + 1))
        archive.writestr("xl/_rels/workbook.xml.rels",
                         f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                         "</Relationships>")
        items = "".join(f"<si>{s}</si>" if s.startswith("<r>") else f"<si><t>{s}</t></si>" for s in shared)
        archive.writestr("xl/sharedStrings.xml", f"<sst {MAIN}>{items}</sst>")
        for i, rows in enumerate(sheets.values(), 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", f"<worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>")
    return buffer.getvalue()


ANSWERS = workbook({
    "Survey": (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>17</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="b"><v>1</v></c></row>'
        '<row r="4"><c r="A4"><v>18</v></c><c r="C4" t="b"><v>0</v></c></row>'  # no answer: an empty document
        '<row r="5"><c r="A5"><v>19</v></c><c r="B5" t="inlineStr"><is><t>Battery life is short</t></is></c></row>'
        '<row r="6"></row>'  # a blank row: no record
        '<row r="7"><c r="A7"><v>20</v></c><c r="B7" t="s"><v>4</v></c></row>'),
    "Notes": '<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>No answer column here</t></is></c></row>',
}, ["id", "answer", "follow up", "The delivery was late &amp; the box was damaged.",
    "<r><t>Customer </t></r><r><rPr><b/></rPr><t>support</t></r><r><t> answered quickly</t></r>"])


def test_a_workbook_s_rows_are_records_of_its_header_s_columns():
    rows = list(xlsx_records(io.BytesIO(ANSWERS)))
    assert rows[0] == ("Survey", 2, {"id": "17", "answer": "The delivery was late & the box was damaged.",
                                     "follow up": "TRUE"})
    assert rows[1] == ("Survey", 4, {"id": "18", "answer": "", "follow up": "FALSE"})
    assert rows[2][2]["answer"] == "Battery life is short" and rows[3][2]["answer"] == "Customer support answered quickly"
    assert [(sheet, number) for sheet, number, _ in rows] == [("Survey", 2), ("Survey", 4), ("Survey", 5), ("Survey", 7),
                                                              ("Notes", 2)]


def test_batch_reads_a_workbook_s_text_column_and_names_what_it_cannot(tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(ANSWERS)
    items = list(iter_inputs([path], InputOptions(text_field="answer")))
    documents = [i for i in items if isinstance(i, InputDocument)]
    assert [d.id for d in documents] == ["17", "19", "20"]
    assert documents[0].text == "The delivery was late & the box was damaged."
    failures = {i.id: i.reason for i in items if isinstance(i, InputFailure)}
    assert failures["18"] == "empty document"  # named by its id column, as a CSV record is
    assert failures[f"{path}:Notes"].startswith("no column 'answer' in its header row (columns: 'note')")
    assert len(failures) == 2  # one failure for the sheet without the column, not one a row


def test_a_workbook_given_as_one_text_or_broken_is_named_with_what_to_do(tmp_path):
    said = decode_text("answers.xlsx", ANSWERS, InputOptions(), suffix=".xlsx")
    assert isinstance(said, InputFailure) and "kwextract batch reads its rows" in said.reason
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(ANSWERS[:200])
    assert [type(i) for i in iter_inputs([broken], InputOptions(text_field="answer"))] == [InputFailure]
    with pytest.raises(SpreadsheetError, match="not a readable XLSX"):
        list(xlsx_records(io.BytesIO(b"PK\x03\x04 not a zip")))
    half = workbook({"S": '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'
                          '<row r="2"><c r="A2" t="inlineStr"><is><t>First answer about batteries</t></is></c></row>'
                          '<row r="3"><c r="A3"'}, [])  # cut off mid-row
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(half)
    items = list(iter_inputs([cut]))
    assert isinstance(items[0], InputDocument) and items[0].text == "First answer about batteries"
    assert isinstance(items[-1], InputFailure) and "the rows before it were read" in items[-1].reason, items[-1]


def test_kwextract_batch_writes_a_record_per_answer(tmp_path):
    from typer.testing import CliRunner

    from cli.main import app

    path = tmp_path / "answers.xlsx"
    path.write_bytes(ANSWERS)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(path), "-o", str(out), "--text-field", "answer", "-w", "1",
                                      "--quiet"])
    assert result.exit_code == 1  # the empty answer and the sheet without the column fail, alone
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["17", "19", "20"] and all(r["keyphrases"] for r in records)


def test_the_progress_bar_counts_a_workbook_s_rows_and_an_archive_s_messages(tmp_path):
    from kwextract.inputs import count_inputs

    (tmp_path / "a.xlsx").write_bytes(ANSWERS)  # the helper's sheets declare no size: one each
    assert count_inputs([tmp_path / "a.xlsx"]) == 2
    # a sheet that declares its size (as Excel writes one) is counted by it, without reading its rows
    sized = workbook({"S": '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'}, [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sized)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"<sheetData>", b'<dimension ref="A1:B120"/><sheetData>')
            target.writestr(item, data)
    (tmp_path / "b.xlsx").write_bytes(buffer.getvalue())
    assert count_inputs([tmp_path / "b.xlsx"]) == 119
    (tmp_path / "c.mbox").write_bytes(b"From a\nSubject: x\n\nbody\n\nFrom b\nSubject: y\n\nbody\n")
    assert count_inputs([tmp_path / "c.mbox"]) == 2


def dated_workbook(styles: str, rows: str, workbook_pr: str = "") -> bytes:
    """``workbook`` with a styles part and, optionally, workbook properties (the date system)."""
    data = io.BytesIO(workbook({"Log": rows}, ["when", "note", "amount"]))
    out = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/workbook.xml" and workbook_pr:
                content = content.replace(b"<sheets>", workbook_pr.encode() + b"<sheets>")
            archive.writestr(item, content)
        archive.writestr("xl/styles.xml", f"<styleSheet {MAIN}>{styles}</styleSheet>")
    return out.getvalue()


STYLES = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/>'
          '<numFmt numFmtId="165" formatCode="#,##0.00\\ &quot;days&quot;"/></numFmts>'
          '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>'
          '<xf numFmtId="21"/></cellXfs>')  # General, a date, a custom date and time, "3.50 days", a time


def test_dates_and_times_read_as_excel_shows_them_not_as_day_counts():
    """Excel stores a date as a day count; a column of dates read 45122 before."""
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
            '<row r="2"><c r="A2" s="1"><v>45122</v></c><c r="B2" s="4"><v>0.5729166667</v></c>'
            '<c r="C2" s="3"><v>3.5</v></c></row>'
            '<row r="3"><c r="A3" s="2"><v>45122.5729166667</v></c><c r="B3" s="0"><v>45122</v></c>'
            '<c r="C3" s="1"><v>-3</v></c></row>')
    records = [record for _, _, record in xlsx_records(io.BytesIO(dated_workbook(STYLES, rows)))]
    assert records == [{"when": "2023-07-15", "note": "13:45:00", "amount": "3.5"},  # "days" in quotes: a number
                       {"when": "2023-07-15 13:45:00", "note": "45122", "amount": "-3"}]  # General; no negative date
    in_1904 = dated_workbook(STYLES, rows, '<workbookPr date1904="1"/>')
    assert next(xlsx_records(io.BytesIO(in_1904)))[2]["when"] == "2027-07-16"  # the same count from 1904-01-01: 1,462 days on


def test_odd_styles_leave_numbers_as_stored_and_lose_no_row():
    """A style or format id that is no number (a damaged or hand-written workbook) is no date."""
    styles = ('<numFmts><numFmt numFmtId="x1" formatCode="yyyy"/></numFmts>'
              '<cellXfs><xf numFmtId="zz"/><xf numFmtId="x1"/><xf/></cellXfs>')
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" s="0"><v>45122</v></c><c r="B2" s="q"><v>7</v></c></row>'
            '<row r="3"><c r="A3" s="1"><v>45122</v></c><c r="B3" s="9"><v>8</v></c></row>')
    records = [record for _, _, record in xlsx_records(io.BytesIO(dated_workbook(styles, rows)))]
    assert records == [{"when": "45122", "note": "7"}, {"when": "2023-07-15", "note": "8"}]
    broken = dated_workbook("<cellXfs><xf numFmtId=", rows)  # a styles part that is no XML: numbers as stored
    assert [record for _, _, record in xlsx_records(io.BytesIO(broken))][1] == {"when": "45122", "note": "8"}
