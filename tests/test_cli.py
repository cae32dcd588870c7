"""The command line through Typer's CliRunner, plus real subprocesses of the installed command."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kwextract.cli.main import app
from kwextract.config import FORMAT_VERSION

runner = CliRunner()
TEXT = "A genetic algorithm is proposed for graph partitioning and image segmentation."
KWEXTRACT = shutil.which("kwextract") or str(Path(sys.executable).parent / "kwextract")


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_extract_argument_stdin_and_file_agree(tiny_model, tmp_path):
    by_arg = run("extract", TEXT, "-m", str(tiny_model), "--format", "json")
    by_stdin = run("extract", "-", "-m", str(tiny_model), "--format", "json", input=TEXT)
    path = tmp_path / "t.txt"
    path.write_text(TEXT)
    by_file = run("extract", "--file", str(path), "-m", str(tiny_model), "--format", "json")
    by_file_stdin = run("extract", "--file", "-", "-m", str(tiny_model), "--format", "json", input=TEXT)
    assert by_arg.exit_code == by_stdin.exit_code == by_file.exit_code == by_file_stdin.exit_code == 0, by_arg.output
    parsed = json.loads(by_arg.stdout)
    assert parsed == json.loads(by_stdin.stdout) == json.loads(by_file.stdout) == json.loads(by_file_stdin.stdout)
    assert all(TEXT[k["start"] : k["end"]] == k["text"] for k in parsed)


def test_extract_refuses_text_and_file_together(tiny_model, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TEXT)
    result = run("extract", "another text", "--file", str(path), "-m", str(tiny_model))
    assert result.exit_code == 2 and "not both" in result.output


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "plain", "table"])
def test_every_format_parses(tiny_model, fmt):
    result = run("extract", TEXT, "-m", str(tiny_model), "--format", fmt, "-k", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        assert len(json.loads(out)) == 3
    elif fmt == "jsonl":
        assert [set(json.loads(line)) for line in out.splitlines()] == [{"text", "score", "start", "end", "count"}] * 3
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 3 and TEXT[int(rows[0]["start"]) : int(rows[0]["end"])] == rows[0]["text"]
    elif fmt == "plain":
        assert len(out.splitlines()) == 3
    else:
        assert "keyphrase" in out


def test_highlight_prints_the_text(tiny_model):
    result = run("extract", TEXT, "-m", str(tiny_model), "--highlight", "--format", "plain")
    assert result.exit_code == 0 and "graph partitioning" in result.stdout


def test_usage_errors_exit_2(tiny_model, tmp_path):
    assert run("extract", TEXT, "-m", str(tmp_path / "missing")).exit_code == 2
    assert run("extract", "--file", str(tmp_path / "nope.txt"), "-m", str(tiny_model)).exit_code == 2
    assert run("extract", TEXT, "--format", "yaml").exit_code == 2


def test_info_shows_the_card(tiny_model):
    result = run("info", str(tiny_model))
    assert result.exit_code == 0 and f"Model format {FORMAT_VERSION}" in result.stdout


def test_train_continues_a_base_model(tiny_model, corpus, tmp_path):
    out = tmp_path / "continued"
    result = run("train", "--base", str(tiny_model), "--train", str(corpus["train"]), "--dev", str(corpus["dev"]),
                 "-o", str(out), "--epochs", "1", "--quiet")
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["base_model"]["path"] == str(tiny_model) and meta["train_config"]["learning_rate"] == 2e-4
    refused = run("train", "--unsupervised", "--unlabeled", str(corpus["train"]), "--base", str(tiny_model),
                  "-o", str(tmp_path / "x"))
    assert refused.exit_code == 2 and "kwextract adapt" in refused.output


def test_commands_that_write_a_model_refuse_an_output_that_is_not_one_before_any_work(tiny_model, corpus, tmp_path):
    """An output that is a file or a folder of other things is refused at once (exit 2) and left
    as it was; the bundled model is never calibrated in place inside the installed package."""
    data = tmp_path / "data.jsonl"
    data.write_bytes(corpus["train"].read_bytes())
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    commands = [("train", "--train", str(corpus["train"]), "--dev", str(corpus["dev"]), "--epochs", "1"),
                ("train", "--unsupervised", "--unlabeled", str(corpus["train"])),
                ("adapt", "--unlabeled", str(corpus["train"]), "-m", str(tiny_model)),
                ("ensemble", str(tiny_model), str(tiny_model), "--dev", str(corpus["dev"])),
                ("calibrate", "-m", str(tiny_model), "--dev", str(corpus["dev"]))]
    for command in commands:
        for target, message in ((data, "is not a folder"), (folder, "not a kwextract model")):
            result = run(*command, "-o", str(target))
            assert result.exit_code == 2 and message in result.stderr, (command, result.output)
            assert "epoch" not in result.output and "written" not in result.output
    assert data.read_bytes() == corpus["train"].read_bytes() and [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no checkpoint, no .old
    for bundled in ([], ["-m", "fast"]):
        result = run("calibrate", "--dev", str(corpus["dev"]), *bundled)
        assert result.exit_code == 2 and "give --output" in result.stderr


def test_train_refuses_a_learning_rate_decay_above_1(corpus, tmp_path):
    result = run("train", "--train", str(corpus["train"]), "-o", str(tmp_path / "m"), "--lr-decay", "2")
    assert result.exit_code == 2 and "lr_decay must be in (0, 1], got 2.0" in result.output
    assert not (tmp_path / "m").exists()


def test_train_starts_from_word_vectors_and_refuses_negative_epochs(corpus, tmp_path):
    out = tmp_path / "wv"
    result = run("train", "--train", str(corpus["train"]), "-o", str(out), "--epochs", "1", "--hidden-size", "8",
                 "--num-layers", "1", "--word-dim", "8", "--word-vector-epochs", "1", "--no-phrase-scorer",
                 "--word-dropout", "0.25")
    assert result.exit_code == 0, result.output
    assert "word vectors epoch 1:" in result.output
    recipe = json.loads((out / "meta.json").read_text())["train_config"]
    assert recipe["word_vector_epochs"] == 1 and recipe["word_dropout"] == 0.25
    refused = run("train", "--train", str(corpus["train"]), "-o", str(tmp_path / "x"), "--word-vector-epochs", "-1")
    assert refused.exit_code == 2 and "word_vector_epochs must be at least 0, got -1" in refused.output


def test_evaluate_json(tiny_model, corpus):
    result = run("evaluate", "-m", str(tiny_model), "--data", str(corpus["dev"]), "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)[str(corpus["dev"])]
    assert scores["docs"] == 15 and scores["f1@10"] > 0.3


def test_evaluate_table_keeps_every_figure_whole_in_80_columns(tiny_model, corpus, tmp_path):
    """Eleven figures side by side were cut to "0.…" in an 80-column terminal or a pipe; one
    column per data file keeps them whole. Data with nothing to score is said to be so."""
    unscorable = tmp_path / "unscorable.jsonl"
    unscorable.write_text('{"id": "a", "text": "Graph partitioning.", "keyphrases": ["speech recognition"]}\n')
    as_json = json.loads(run("evaluate", "-m", str(tiny_model), "--data", str(corpus["dev"]), "--json").stdout)
    result = run("evaluate", "-m", str(tiny_model), "--data", str(corpus["dev"]), "--data", str(unscorable))
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.strip()[:1].isalpha()}
    scores = as_json[str(corpus["dev"])]
    assert rows["F1@10"] == [f"{scores['f1@10']:.3f}", "0.000"] and rows["docs"] == ["15", "0"]
    assert "…" not in result.stdout and max(map(len, result.stdout.splitlines())) <= 80
    assert "unscorable.jsonl: no document has a gold keyphrase that occurs in its text" in result.stderr


def test_version_and_help():
    assert run("--version").stdout.startswith("kwextract ")
    for command in ("extract", "batch", "train", "evaluate", "info", "adapt", "calibrate"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout


def test_installed_command_in_a_real_subprocess(tiny_model):
    proc = subprocess.run(
        [KWEXTRACT, "extract", "-m", str(tiny_model), "--format", "jsonl"],
        input=TEXT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert any(json.loads(line)["text"].lower() == "graph partitioning" for line in proc.stdout.splitlines())


# --- batch -------------------------------------------------------------------------------


def _messy_folder(root: Path) -> tuple[Path, set[str], set[str]]:
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT)
    (folder / "sub" / "b.txt").write_text("Speech recognition with a decision tree.")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 binary data")
    (folder / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me and neural networks.".encode("latin-1"))
    (folder / "notepad.txt").write_text("Caf\xe9 culture and keyphrase extraction.", encoding="utf-16")  # NULs, a mark
    (folder / "empty.txt").write_text("")
    (folder / "unreadable.txt").symlink_to(folder / "gone.txt")  # dangling: cannot be read, even by root
    (folder / "notes.log").write_text("of no kind read as a document")
    records = root / "docs.jsonl"
    records.write_text(
        '{"id": "r1", "text": "Query optimization in databases."}\n{"id": "r2", "text": \n'
        '{"id": "r3", "text": "Wireless sensor network."}\n'
    )
    good = {str(folder / "a.txt"), str(folder / "sub" / "b.txt"), str(folder / "notepad.txt"), "r1", "r3"}
    bad = {str(folder / n) for n in ("binary.txt", "latin1.txt", "empty.txt", "unreadable.txt")} | {f"{records}:2"}
    return folder, good, bad


def test_batch_over_messy_inputs(tiny_model, tmp_path):
    folder, good, bad = _messy_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    result = run("batch", "-w", "1", str(folder), str(tmp_path / "docs.jsonl"), "-o", str(out), "-m", str(tiny_model))
    assert result.exit_code == 1, result.output
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == sorted(good)
    errors = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert {e["input"] for e in errors} == bad and all(e["reason"] for e in errors)
    assert "latin1.txt" in result.stderr and "malformed JSON line 2" in result.stderr
    # a file the folder holds but --glob leaves out is named, not skipped without a word
    said = " ".join(result.stderr.split())
    assert f"1 file under {folder} is of no kind kwextract reads as a document and is not read (e.g. notes.log)" \
        in said, said
    # the documented fallback turns the Latin-1 file into a good document
    again = run("batch", "-w", "1", str(folder / "latin1.txt"), "-o", str(out), "-m", str(tiny_model),
                "--fallback-encoding", "latin-1")
    assert again.exit_code == 0 and json.loads(out.read_text())["id"].endswith("latin1.txt")


def test_batch_says_what_is_wrong_with_a_record(tiny_model, tmp_path):
    source = tmp_path / "records.jsonl"
    source.write_text('{"id": "ok", "text": "Wireless sensor network."}\n{"id": "n", "text": 5}\n'
                      '{"id": "none"}\n[1, 2]\n{"id": "null", "text": null}\n')
    out = tmp_path / "out.jsonl"
    result = run("batch", "-w", "1", str(source), "-o", str(out), "-m", str(tiny_model))
    assert result.exit_code == 1 and [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["ok"]
    said = " ".join(result.stderr.split())
    assert f"{source}:2: text field 'text' is a JSON number, not a string" in said, said
    assert f"{source}:3: no text field 'text'" in said
    assert f"{source}:4: record is not an object" in said
    assert f"{source}:5: text field 'text' is a JSON null, not a string" in said, said


def test_batch_csv_in_and_out(tiny_model, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('doc,body\nx1,"Graph partitioning, again."\nx2,Image segmentation\n')
    out = tmp_path / "out.csv"
    result = run("batch", "-w", "1", str(source), "-o", str(out), "--format", "csv", "--id-field", "doc",
                 "--text-field", "body", "-m", str(tiny_model))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert [r["id"] for r in rows] == ["x1", "x2"] and rows[1]["keyphrases"]


def test_folder_without_matches_is_reported(tiny_model, tmp_path):
    (tmp_path / "empty_dir").mkdir()
    result = run("batch", "-w", "1", str(tmp_path / "empty_dir"), "-o", str(tmp_path / "o.jsonl"), "-m", str(tiny_model))
    assert result.exit_code == 1 and "folder has no documents" in result.stderr
    (tmp_path / "empty_dir" / "a.txt").write_text("Keyphrase extraction.")
    result = run("batch", "-w", "1", str(tmp_path / "empty_dir"), "-o", str(tmp_path / "p.jsonl"), "-m",
                 str(tiny_model), "--glob", "*.md")
    assert result.exit_code == 1 and "no files matching '*.md'" in result.stderr


def test_a_folder_gives_every_document_kwextract_reads_by_default(tiny_model, tmp_path):
    """Without --glob, a folder of mixed documents is read whole: text, Markdown, LaTeX, web
    pages, subtitles, Word and e-mail files; a table, a log or a hidden folder's copy is not."""
    folder = tmp_path / "docs"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    for name, text in (("a.txt", "Keyphrase extraction with recurrent networks."),
                       ("b.md", "# Graph partitioning\nGenetic algorithms for graph partitioning."),
                       ("c.tex", "\\section{Sensor networks}Routing in wireless sensor networks."),
                       ("d.html", "<p>Query optimization in databases.</p>"),
                       ("e.srt", "1\n00:00:01,000 --> 00:00:02,000\nSpeech recognition.\n"),
                       ("table.csv", "id,text\nx,not a corpus\n"), ("run.log", "a log"),
                       (".ipynb_checkpoints/b-checkpoint.md", "a copy")):
        (folder / name).write_text(text)
    out = tmp_path / "out.jsonl"
    result = run("batch", "-w", "1", str(folder), "-o", str(out), "-m", str(tiny_model))
    assert result.exit_code == 0, result.stderr
    assert [Path(json.loads(line)["id"]).name for line in out.read_text().splitlines()] == \
        ["a.txt", "b.md", "c.tex", "d.html", "e.srt"]
    assert "2 files under" in " ".join(result.stderr.split()) and "of no kind kwextract reads" in result.stderr


def _big_jsonl(path: Path, n: int) -> Path:
    sentences = [TEXT, "Speech recognition with a decision tree.", "Query optimization in databases.",
                 "A wireless sensor network for image segmentation."]
    with path.open("w") as out:
        for i in range(n):
            out.write(json.dumps({"id": f"d{i}", "text": f"{sentences[i % 4]} Item {i}."}) + "\n")
    return path


def _records(path: Path, fmt: str) -> list:
    """An output's records: JSON lines as text, CSV rows as lists (a row may hold line breaks)."""
    if fmt == "jsonl":
        return path.read_text().splitlines()
    return list(csv.reader(io.StringIO(path.read_bytes().decode(), newline="")))[1:]


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "workers"), [("jsonl", 1), ("csv", 1), ("jsonl", 2), ("csv", 2)])
def test_resume_after_a_killed_run_gives_each_id_once(tiny_model, tmp_path, fmt, workers):
    source = _big_jsonl(tmp_path / "big.jsonl", 3000)
    reference = tmp_path / f"ref.{fmt}"
    assert run("batch", "-w", "1", str(source), "-o", str(reference), "-m", str(tiny_model),
               "--format", fmt).exit_code == 0
    out = tmp_path / f"out.{fmt}"
    args = ["-w", str(workers), "--force-workers", "--format", fmt, "-m", str(tiny_model)]
    proc = subprocess.Popen([KWEXTRACT, "batch", str(source), "-o", str(out), "-q", *args])
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 2000):
        time.sleep(0.05)
    workers_of_run = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30  # the pool's workers follow their killed parent, not live on with a model
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers_of_run):
        time.sleep(0.2)
    assert not [pid for pid in workers_of_run if Path(f"/proc/{pid}").exists() and _state(pid) != "Z"]
    with out.open("a") as handle:  # as if power failed mid-record (for CSV, inside a quoted field)
        handle.write('{"id": "d99999", "keyph' if fmt == "jsonl" else 'd99999,"torn\nfield')
    partial = len(_records(out, fmt)) - 1
    assert 0 < partial < 3000, "the run must be killed midway for this test to mean anything"
    result = run("batch", str(source), "-o", str(out), "--resume", *args)
    assert result.exit_code == 0, result.output
    records = _records(out, fmt)
    ids = [json.loads(r)["id"] for r in records] if fmt == "jsonl" else [r[0] for r in records]
    assert len(ids) == len(set(ids)) == 3000
    assert sorted(map(str, records)) == sorted(map(str, _records(reference, fmt)))  # each record whole and right


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_two_workers_write_the_same_output_as_one(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "mid.jsonl", 200)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("batch", str(source), "-o", str(one), "-m", str(tiny_model), "-w", "1").exit_code == 0
    result = run("batch", str(source), "-o", str(two), "-m", str(tiny_model), "-w", "2")
    assert result.exit_code == 0, result.output
    assert one.read_text() == two.read_text()


# --- bad values: one line naming the input, exit code 2, never a traceback -------------------

BAD_VALUES = [
    ("extract", ["Graph partitioning.", "--min-score", "2"], "min_score must be"),
    ("extract", ["Graph partitioning.", "--min-score", "nan"], "min_score must be"),
    ("extract", ["Graph partitioning.", "--min-score", "inf"], "min_score must be"),
    ("extract", ["Graph partitioning.", "--top-k", "-3"], "top_k must be"),
    ("extract", ["--file", "{tmp}/nowhere.txt"], "nowhere.txt"),
    ("extract", ["--file", "{tmp}/binary.bin"], "binary data"),
    ("extract", ["--file", "{tmp}/blank.txt"], "empty document"),
    ("extract", ["--file", "{tmp}/latin1.txt", "--encoding", "no-such-codec"], "unknown encoding"),
    ("extract", ["   \n\t "], "empty document"),
    ("extract", ["nul\x00byte"], "binary data"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--min-score", "-1"], "min_score must be"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--encoding", "no-such-codec"], "unknown encoding"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--fallback-encoding", "nope"], "unknown encoding"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--top-k", "-1"], "top_k must be"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--lang", "xx"], "unsupported language 'xx'"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--format", "xml"], "xml"),
    ("batch", ["{tmp}/docs.jsonl", "-o", "{tmp}/o.jsonl", "--engine", "spark"], "spark"),
    ("extract", ["Graph partitioning.", "--lang", "xx"], "unsupported language 'xx'"),
    ("extract", ["Graph partitioning.", "--format", "xml"], "xml"),
    ("extract", ["Graph partitioning.", "--top-k", "many"], "many"),
    ("extract", ["Graph partitioning.", "--threads", "0"], "--threads"),
]


@pytest.mark.parametrize(("command", "args", "message"), BAD_VALUES, ids=[f"{c} {' '.join(a)}" for c, a, _ in BAD_VALUES])
def test_bad_values_get_one_line_and_exit_code_2(tiny_model, tmp_path, command, args, message):
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01 binary")
    (tmp_path / "blank.txt").write_text("  \n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    _big_jsonl(tmp_path / "docs.jsonl", 2)
    values = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run(command, *values, "-m", str(tiny_model), *(["-w", "1"] if command == "batch" else []))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_extract_reads_a_windows_unicode_file_and_leaves_its_mark_out_of_keyphrases(tmp_path):
    """Notepad's "Unicode" is UTF-16 with a byte-order mark, its "UTF-8" has a mark too: both are
    read, and no keyphrase starts with the mark (it was glued to the first word)."""
    text = "Keyphrase extraction with neural networks."
    (tmp_path / "u16.txt").write_text(text, encoding="utf-16")
    (tmp_path / "u8.txt").write_text(text, encoding="utf-8-sig")
    for name, first in (("u16.txt", 0), ("u8.txt", 1)):  # offsets count the UTF-8 mark, as Python's utf-8 does
        result = run("extract", "--file", str(tmp_path / name), "--format", "json")
        assert result.exit_code == 0, result.output
        found = json.loads(result.stdout)
        assert found and not any("\ufeff" in kp["text"] for kp in found)
        assert {"text": "Keyphrase extraction", "start": first} in [{k: kp[k] for k in ("text", "start")} for kp in found]


def test_extract_reads_standard_input_in_the_given_encoding(tiny_model):
    text = "Café culture and graph partitioning with genetic algorithms."
    result = runner.invoke(app, ["extract", "-", "-m", str(tiny_model), "--format", "json", "--encoding", "latin-1"],
                           input=text.encode("latin-1"))
    assert result.exit_code == 0, result.output
    assert all(text[k["start"]:k["end"]] == k["text"] for k in json.loads(result.stdout))


def test_extract_falls_back_to_another_encoding_when_asked(tiny_model, tmp_path):
    """The refusal of a file that is not UTF-8 names --fallback-encoding, which extract takes too."""
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café culture and graph partitioning with genetic algorithms.".encode("latin-1"))
    refused = run("extract", "--file", str(path), "-m", str(tiny_model))
    assert refused.exit_code == 2 and "--fallback-encoding latin-1" in refused.stderr
    result = run("extract", "--file", str(path), "-m", str(tiny_model), "--format", "json", "--fallback-encoding", "latin-1")
    assert result.exit_code == 0, result.output
    assert any(k["text"] == "graph partitioning" for k in json.loads(result.stdout))


def test_highlight_never_echoes_control_characters(tiny_model):
    """A text's escape sequences are not sent to the terminal with it (read as spaces)."""
    text = "Graph \x1b[31mpartitioning\x1b[0m with genetic algorithms\x07 and \x7f image segmentation."
    result = run("extract", text, "-m", str(tiny_model), "--highlight", "--format", "plain")
    assert result.exit_code == 0, result.output
    assert not any(c in result.stdout for c in "\x1b\x07\x7f") and "genetic algorithms" in result.stdout


def test_extract_with_closed_standard_input_says_so(tiny_model):
    proc = subprocess.run([KWEXTRACT, "extract", "-m", str(tiny_model)], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120)
    closed = subprocess.run(f"{KWEXTRACT} extract -m {tiny_model} <&-", shell=True, capture_output=True, text=True,
                            timeout=120)
    assert proc.returncode == 2 and "empty document" in proc.stderr
    assert closed.returncode == 2 and "standard input is closed" in closed.stderr and "Traceback" not in closed.stderr


def test_csv_input_with_a_byte_order_mark(tiny_model, tmp_path):
    source = tmp_path / "excel.csv"
    source.write_bytes("\ufeffid,text\nx1,Graph partitioning with genetic algorithms.\n".encode("utf-8"))
    jsonl = tmp_path / "bom.jsonl"
    jsonl.write_bytes('\ufeff{"id": "j1", "text": "Image segmentation."}\n'.encode("utf-8"))
    out = tmp_path / "out.jsonl"
    result = run("batch", "-w", "1", str(source), str(jsonl), "-o", str(out), "-m", str(tiny_model))
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["x1", "j1"]


def test_api_refuses_option_values_with_its_own_error(tiny_model):
    from kwextract import InputError, load

    model = load(tiny_model)
    for kwargs in ({"top_k": 0}, {"top_k": 2.5}, {"top_k": "5"}, {"top_k": True}, {"min_score": 2},
                   {"min_score": float("nan")}, {"batch_size": -1}, {"batch_size": 0}):
        with pytest.raises(InputError):
            model.extract_batch([TEXT], **kwargs)
    assert model.extract(TEXT, top_k=None) == model.extract_batch([TEXT], top_k=None)[0]


def test_info_on_a_folder_that_is_not_a_model(tmp_path):
    result = run("info", str(tmp_path))
    assert result.exit_code == 2 and "not a kwextract model directory" in result.stderr


def test_missing_batch_input_is_a_usage_error(tiny_model, tmp_path):
    real = _big_jsonl(tmp_path / "in.jsonl", 2)
    result = run("batch", str(real), str(tmp_path / "typo.jsonl"), "-o", str(tmp_path / "o.jsonl"), "-m",
                 str(tiny_model), "-w", "1")
    assert result.exit_code == 2 and "no such input" in result.stderr and "typo.jsonl" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_highlight_keeps_the_texts_own_lines_when_piped(tiny_model):
    text = " ".join(["Graph partitioning with a genetic algorithm and image segmentation."] * 3)  # one long line
    result = run("extract", text, "-m", str(tiny_model), "--highlight", "--format", "plain")
    assert result.exit_code == 0 and text in result.stdout


# Every other command, the same property: a bad value is one line on stderr naming it, rc 2.
# {model} is a trained model, {train}/{dev} labelled data, {tmp} a scratch folder.
BAD_VALUES_OTHER_COMMANDS = [
    ("train", ["--train", "{tmp}/nowhere.jsonl", "-o", "{tmp}/m"], "nowhere.jsonl"),
    ("train", ["--train", "{tmp}/garbage.jsonl", "-o", "{tmp}/m"], "garbage.jsonl"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--epochs", "-1"], "epochs"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--hidden-size", "0"], "hidden_size"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--learning-rate", "nan"], "learning_rate"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--learning-rate", "-1"], "learning_rate"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--encoder", "transformer"], "encoder"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--window-tokens", "0"], "window_tokens"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--batch-size", "0"], "batch_size"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--pretrained-vectors", "no-such-vectors"], "no-such-vectors"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--base", "{tmp}/no-model"], "no-model"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--dev", "{tmp}/nowhere.jsonl"], "nowhere.jsonl"),
    ("train", ["--unsupervised", "--unlabeled", "{train}", "-o", "{tmp}/m", "--held-out", "1.5"], "held_out"),
    ("train", ["--unsupervised", "--unlabeled", "{tmp}/nowhere", "-o", "{tmp}/m"], "nowhere"),
    ("train", ["-o", "{tmp}/m"], "--train"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--num-layers", "0"], "num_layers"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--word-dim", "-1"], "word_dim"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--patience", "0"], "patience"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--max-windows-per-doc", "0"], "max_windows_per_doc"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--lr-decay", "2"], "lr_decay"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--pretrained-words", "-1"], "pretrained_words"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--word-vector-epochs", "-1"], "word_vector_epochs"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--pretrain-epochs", "-1"], "pretrain_epochs"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--word-dropout", "1"], "word_dropout"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--lang", "xx"], "unsupported language 'xx'"),
    ("train", ["--train", "{train}", "-o", "{tmp}/m", "--epochs", "ten"], "ten"),
    ("train", ["--train", "{train}", "--unsupervised", "--unlabeled", "{train}", "-o", "{tmp}/m"], "not both"),
    ("adapt", ["--unlabeled", "{tmp}/nowhere.txt", "-o", "{tmp}/a", "-m", "{model}"], "nowhere.txt"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--rounds", "-1"], "rounds"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--min-confidence", "2"], "min_confidence"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{tmp}/no-model"], "no-model"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--guard", "{tmp}/nowhere.jsonl"],
     "nowhere.jsonl"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--epochs-per-round", "0"],
     "epochs_per_round"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--tfidf-phrases", "-1"], "tfidf_phrases"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--anchor-weight", "-1"], "anchor_weight"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--max-tag-rate-change", "0.5"],
     "max_tag_rate_change"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--drift-reference", "yesterday"],
     "drift_reference"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--max-guard-drop", "-1"], "max_guard_drop"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--rehearse", "{tmp}/nowhere.jsonl"],
     "nowhere.jsonl"),
    ("adapt", ["--unlabeled", "{train}", "-o", "{tmp}/a", "-m", "{model}", "--lang", "xx"], "unsupported language"),
    ("calibrate", ["--dev", "{dev}", "-m", "{model}", "-o", "{tmp}/c", "--lang", "xx"], "unsupported language"),
    ("ensemble", ["{model}", "{model}", "-o", "{tmp}/e", "--dev", "{dev}", "--lang", "xx"], "unsupported language"),
    ("evaluate", ["-d", "{dev}", "-m", "{model}", "--lang", "xx"], "unsupported language"),
    ("calibrate", ["--dev", "{tmp}/nowhere.jsonl", "-m", "{model}", "-o", "{tmp}/c"], "nowhere.jsonl"),
    ("calibrate", ["--dev", "{tmp}/garbage.jsonl", "-m", "{model}", "-o", "{tmp}/c"], "garbage.jsonl"),
    ("calibrate", ["--dev", "{tmp}/empty.jsonl", "-m", "{model}", "-o", "{tmp}/c"], "empty"),
    ("calibrate", ["--dev", "{dev}", "-m", "{tmp}/no-model", "-o", "{tmp}/c"], "no-model"),
    ("ensemble", ["{model}", "-o", "{tmp}/e", "--dev", "{dev}"], "at least two"),
    ("ensemble", ["{model}", "{tmp}", "-o", "{tmp}/e", "--dev", "{dev}"], "not a kwextract model"),
    ("ensemble", ["{model}", "{model}", "-o", "{tmp}/e", "--dev", "{tmp}/nowhere.jsonl"], "nowhere.jsonl"),
    ("evaluate", ["-d", "{tmp}/nowhere.jsonl", "-m", "{model}"], "nowhere.jsonl"),
    ("evaluate", ["-d", "{tmp}/garbage.jsonl", "-m", "{model}"], "garbage.jsonl"),
    ("evaluate", ["-d", "{dev}", "-m", "{tmp}/no-model"], "no-model"),
    ("info", ["{tmp}/no-model"], "no-model"),
    ("extract", ["Graph partitioning.", "--model", "{tmp}/no-model"], "no-model"),
    ("batch", ["{dev}", "-o", "{tmp}/o.jsonl", "--model", "{tmp}/no-model", "-w", "1"], "no-model"),
    ("batch", ["{dev}", "-o", "{tmp}/o.jsonl", "--model", "{tmp}/no-model", "-w", "2"], "no-model"),
    ("kwextract-no-such-command", [], "No such command"),
    ("batch", ["{dev}", "-o", "{tmp}/o.jsonl", "-m", "{model}", "--workers", "-2"], "workers"),
    ("info", ["{tmp}/garbage.jsonl"], "garbage.jsonl"),
]


@pytest.mark.parametrize(("command", "args", "message"), BAD_VALUES_OTHER_COMMANDS,
                         ids=[f"{c} {' '.join(a)}" for c, a, _ in BAD_VALUES_OTHER_COMMANDS])
def test_every_command_refuses_bad_values_in_one_line(tiny_model, corpus, tmp_path, command, args, message):
    (tmp_path / "garbage.jsonl").write_text('{"id": "a", "text": "fine", "keyphrases": ["x"]}\n{not json\n')
    (tmp_path / "empty.jsonl").write_text("")
    fill = {"{tmp}": str(tmp_path), "{model}": str(tiny_model), "{train}": str(corpus["train"]),
            "{dev}": str(corpus["dev"])}
    values = [a for a in args]
    for key, value in fill.items():
        values = [a.replace(key, value) for a in values]
    result = run("bogus") if command == "kwextract-no-such-command" else run(command, *values)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_extract_and_batch_take_a_precision(tiny_model, tmp_path):
    result = run("extract", TEXT, "-m", str(tiny_model), "--precision", "bfloat16", "--format", "json")
    assert result.exit_code == 0, result.output
    assert all(TEXT[k["start"] : k["end"]] == k["text"] for k in json.loads(result.stdout))
    wrong = run("extract", TEXT, "-m", str(tiny_model), "--precision", "half")
    assert wrong.exit_code == 2 and "float32, bfloat16" in wrong.output
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n")
    done = run("batch", str(source), "-o", str(output), "-m", str(tiny_model), "--workers", "1",
               "--precision", "bfloat16", "--quiet")
    assert done.exit_code == 0, done.output
    assert json.loads(output.read_text())["keyphrases"]
