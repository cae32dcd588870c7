"""kwextract batch under abuse: outputs that would destroy inputs, bad models with several
workers, torn CSV records, a killed worker, two runs on one output, duplicate ids."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kwextract.batch import CSV_HEADER, completed_ids, format_record, output_lock
from kwextract.errors import InputError, KwextractWarning
from kwextract.keyphrase import Keyphrase

from .test_cli import KWEXTRACT, _big_jsonl, run


def _no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.output and "Traceback" not in (result.stderr or "")


def test_output_that_is_an_input_is_refused_and_the_input_kept(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "same.jsonl", 5)
    before = source.read_bytes()
    result = run("batch", str(source), "-o", str(source), "-m", str(tiny_model), "-w", "1")
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert source.read_bytes() == before
    _no_traceback(result)


@pytest.mark.parametrize("case", ["inside input folder", "existing directory", "under a file"])
def test_outputs_that_cannot_be_written_are_refused(tiny_model, tmp_path, case):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Graph partitioning with genetic algorithms.")
    output = {"inside input folder": folder / "out.jsonl", "existing directory": tmp_path,
              "under a file": folder / "a.txt" / "out.jsonl"}[case]
    result = run("batch", str(folder), "-o", str(output), "-m", str(tiny_model), "-w", "1")
    assert result.exit_code == 2, result.output
    assert str(output) in result.stderr and not (folder / "out.jsonl").exists()
    _no_traceback(result)


@pytest.mark.parametrize("damage", ["missing", "truncated weights"])
def test_bad_model_with_two_workers_fails_at_once(tiny_model, tmp_path, damage):
    model = tmp_path / "model"
    if damage == "truncated weights":
        import shutil

        shutil.copytree(tiny_model, model)
        weights = model / "weights.pt"
        weights.write_bytes(weights.read_bytes()[:1000])
    source = _big_jsonl(tmp_path / "in.jsonl", 5)
    proc = subprocess.run([KWEXTRACT, "batch", str(source), "-o", str(tmp_path / "o.jsonl"), "-m", str(model),
                           "-w", "2", "--force-workers"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert str(model) in proc.stderr and "Traceback" not in proc.stderr


def test_csv_resume_cuts_back_to_the_last_whole_record(tmp_path):
    phrases = [Keyphrase("line\nbreak", 0.9, 0, 10, 1), Keyphrase('a "quoted"\nphrase', 0.5, 11, 28, 1)]
    records = [format_record(f"d{i}", phrases, "csv") for i in range(4)]
    whole = CSV_HEADER + "".join(records)
    out = tmp_path / "out.csv"
    for cut in range(len(CSV_HEADER), len(whole) + 1):
        out.write_text(whole[:cut], newline="")
        ids = completed_ids(out, "csv")
        text = out.read_bytes().decode()
        rows = list(csv.reader(text.splitlines(keepends=True)))[1:]
        assert [r[0] for r in rows] == sorted(ids.elements()), cut  # every row left is whole
        assert text == CSV_HEADER + "".join(records[: len(ids)]), cut


def test_resume_names_file_and_line_of_a_bad_record(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "in.jsonl", 3)
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "d0", "keyphrases": []}\nnot json\n')
    result = run("batch", str(source), "-o", str(out), "-m", str(tiny_model), "-w", "1", "--resume")
    assert result.exit_code == 2 and f"{out}:2:" in result.stderr
    _no_traceback(result)
    out.write_text('{"keyphrases": []}\n')
    result = run("batch", str(source), "-o", str(out), "-m", str(tiny_model), "-w", "1", "--resume")
    assert result.exit_code == 2 and f"{out}:1:" in result.stderr


def test_second_writer_of_one_output_is_refused(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "in.jsonl", 3)
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    with output_lock(out):
        result = run("batch", str(source), "-o", str(out), "-m", str(tiny_model), "-w", "1")
        assert result.exit_code == 2 and f"(process {os.getpid()}) is writing it" in result.stderr
        assert out.read_text() == "kept\n"  # not truncated by the refused run
    assert not out.with_name("out.jsonl.lock").exists()
    assert run("batch", str(source), "-o", str(out), "-m", str(tiny_model), "-w", "1").exit_code == 0


def test_duplicate_ids_are_each_resumed_once_and_reported(tiny_model, tmp_path):
    source = tmp_path / "dup.jsonl"
    texts = ["Graph partitioning.", "Image segmentation.", "Query optimization.", "Speech recognition."]
    source.write_text("".join(json.dumps({"id": "same" if i < 3 else "other", "text": t}) + "\n"
                              for i, t in enumerate(texts)))
    full = tmp_path / "full.jsonl"
    result = run("batch", str(source), "-o", str(full), "-m", str(tiny_model), "-w", "1")
    assert result.exit_code == 0 and "2 documents have the id of an earlier document" in result.stderr
    lines = full.read_text().splitlines()
    partial = tmp_path / "partial.jsonl"
    partial.write_text(lines[0] + "\n")  # as if killed after the first of three "same" documents
    assert run("batch", str(source), "-o", str(partial), "-m", str(tiny_model), "-w", "1", "--resume").exit_code == 0
    resumed = [json.loads(line) for line in partial.read_text().splitlines()]
    expected = [json.loads(line) for line in lines]

    def phrases(records: list[dict]) -> list[tuple]:
        return [(r["id"], [(k["text"], k["start"], k["end"]) for k in r["keyphrases"]]) for r in records]

    assert phrases(resumed) == phrases(expected)  # each document once, in input order, the same phrases
    # the resumed run batches other texts with "other", which moves scores by float rounding
    # (Extractor.extract_batch says how much); the first line is the one kept from before
    assert resumed[0] == expected[0]
    assert [k["score"] for r in resumed for k in r["keyphrases"]] == pytest.approx(
        [k["score"] for r in expected for k in r["keyphrases"]], abs=1e-3)


def test_workers_beyond_the_cores_are_capped(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "in.jsonl", 3)
    result = run("batch", str(source), "-o", str(tmp_path / "o.jsonl"), "-m", str(tiny_model), "-w", "64")
    assert result.exit_code == 0 and "--workers 64 capped at" in result.stderr


def _pool_workers(parent: int) -> list[int]:
    """Pids of the spawned worker processes of ``parent`` (not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
@pytest.mark.slow
def test_a_killed_worker_never_hangs_the_batch_nor_loses_a_document(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "big.jsonl", 3000)
    reference = tmp_path / "ref.jsonl"
    assert run("batch", str(source), "-o", str(reference), "-m", str(tiny_model), "-w", "1").exit_code == 0
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([KWEXTRACT, "batch", str(source), "-o", str(out), "-m", str(tiny_model), "-q",
                             "-w", "2", "--force-workers"], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 2000):
        time.sleep(0.05)
    workers = _pool_workers(proc.pid)
    assert workers, "the pool's workers must be running for this test to mean anything"
    os.kill(workers[0], signal.SIGKILL)
    try:
        _, stderr = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("kwextract batch hung after one of its workers was killed")
    assert proc.returncode == 0, stderr
    assert out.read_text() == reference.read_text()  # every document once, in input order


def test_output_lock_without_a_second_writer_leaves_nothing_behind(tmp_path):
    out = tmp_path / "o.jsonl"
    with output_lock(out):
        assert out.with_name("o.jsonl.lock").read_text() == str(os.getpid())
        with pytest.raises(InputError, match="is writing it"):
            with output_lock(out):
                pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("broken", ['b,"Image segmentation with\n', 'b,"Image "segmentation" here.\n'])
def test_a_quote_left_open_in_csv_is_reported_not_swallowed(tiny_model, tmp_path, broken):
    source = tmp_path / "open-quote.csv"
    source.write_text("id,text\na,Graph partitioning with genetic algorithms.\n" + broken
                      + "c,Neural networks for speech recognition.\n")
    out = tmp_path / "out.jsonl"
    result = run("batch", "-w", "1", str(source), "-o", str(out), "-m", str(tiny_model))
    assert result.exit_code == 1, result.output  # some input failed
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a"]  # nothing mangled into "b"
    assert "open-quote.csv:3" in result.stderr and "line 3" in result.stderr and "quote" in result.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_a_chunk_submitted_after_a_worker_died_still_runs(tiny_model):
    # The pool learns of a dead worker between chunks; the next submit used to raise
    # BrokenProcessPool and end the batch (seen once in CI as a flaky kill test).
    from kwextract.batch import _RestartingPool

    pool = _RestartingPool(str(tiny_model), None, "float32", 2, (10, 0.0))
    try:
        chunk = [("a", "Keyphrase extraction with a recurrent neural network tagger.")]
        expected = pool.submit(chunk)()
        killed = _pool_workers(os.getpid())[0]
        os.kill(killed, signal.SIGKILL)
        deadline = time.time() + 60
        while time.time() < deadline and Path(f"/proc/{killed}").exists():
            time.sleep(0.05)  # reaped once the pool has marked itself broken
        assert not Path(f"/proc/{killed}").exists(), "the pool did not notice its dead worker"
        assert pool.submit(chunk)() == expected
    finally:
        pool.close()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_ids_with_lone_surrogates_are_written_and_resumed(tiny_model, tmp_path, fmt):
    """A broken "\\ud800" escape in a JSONL id, or a file name that is not UTF-8, reads as a
    Python string with a lone surrogate, which UTF-8 cannot hold: it is written with U+FFFD in
    its place, the documents after it are written too, and --resume knows it as done."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "bad\\ud800id", "text": "Graph partitioning with \\udc80 genetic algorithms."}\n'
                      '{"id": "after", "text": "Image segmentation of satellite images."}\n', encoding="utf-8")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("Query optimization in relational databases.")
    out = tmp_path / f"out.{fmt}"
    result = run("batch", str(source), str(folder), "-o", str(out), "-m", str(tiny_model), "-w", "1", "--format", fmt)
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    ids = [r for r in completed_ids(out, fmt)]
    assert sorted(ids) == sorted(["bad\ufffdid", "after", str(folder / "caf\ufffd.txt")])
    before = out.read_bytes()
    assert run("batch", str(source), str(folder), "-o", str(out), "-m", str(tiny_model), "-w", "1", "--format", fmt,
               "--resume").exit_code == 0
    assert out.read_bytes() == before  # nothing done twice


def test_batch_lang_auto_says_which_language_each_record_was_read_in(tiny_model, tmp_path):
    """A corpus in several languages, --lang auto: each JSONL record names the language its
    text was read in, as does a CSV output's last column; without auto no record carries one."""
    from .test_language import ENGLISH_TEXT, FRENCH, PORTUGUESE

    source = tmp_path / "mixed.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                              for i, t in (("en", ENGLISH_TEXT), ("fr", FRENCH), ("pt", PORTUGUESE), ("short", "Graph partitioning"))))
    for workers in ("1", "2"):
        out = tmp_path / f"auto-{workers}.jsonl"
        result = run("batch", str(source), "-o", str(out), "-m", str(tiny_model), "-w", workers, "--force-workers",
                     "--lang", "auto", "--quiet")
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert [(r["id"], r["lang"]) for r in records] == [("en", "en"), ("fr", "fr"), ("pt", "pt"), ("short", "en")]
    table = tmp_path / "auto.csv"
    result = run("batch", str(source), "-o", str(table), "-m", str(tiny_model), "-w", "1", "--format", "csv",
                 "--lang", "auto", "--quiet")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(table.read_text())))
    assert rows[0] == ["id", "keyphrases", "scores", "offsets", "lang"]
    assert [(r[0], r[4]) for r in rows[1:]] == [("en", "en"), ("fr", "fr"), ("pt", "pt"), ("short", "en")]
    # resuming a CSV needs the same columns: a plain run does not append rows without a language
    result = run("batch", str(source), "-o", str(table), "-m", str(tiny_model), "-w", "1", "--format", "csv",
                 "--resume", "--quiet")
    assert result.exit_code != 0 and "written with --lang auto" in result.output
    assert run("batch", str(source), "-o", str(table), "-m", str(tiny_model), "-w", "1", "--format", "csv",
               "--lang", "auto", "--resume", "--quiet").exit_code == 0
    assert list(csv.reader(io.StringIO(table.read_text()))) == rows  # nothing done twice
    plain = tmp_path / "plain.jsonl"
    with pytest.warns(KwextractWarning, match="looks 'fr', not 'en'"):  # read as English, the guard says so
        assert run("batch", str(source), "-o", str(plain), "-m", str(tiny_model), "-w", "1", "--quiet").exit_code == 0
    assert all("lang" not in json.loads(line) for line in plain.read_text().splitlines())
