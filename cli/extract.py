"""``kwextract extract``: keyphrases of one text (argument, file or standard input)."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from kwextract.errors import InputError
from kwextract.inputs import InputFailure, InputOptions, decode_text, read_text_file
from kwextract.keyphrase import Keyphrase

from ._util import app, errors_to_exit_codes, is_terminal, distinct_option, lang_option, markup_option, precision_option, stdout


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    plain = "plain"


def read_text(text: Optional[str], file: Optional[Path], encoding: str, fallback_encoding: Optional[str] = None,
              markup: str = "auto") -> str:
    """The input text: a file, standard input ('-' or nothing given, or ``--file -``), or the argument. Files and
    standard input follow batch's input policy (kwextract.inputs.decode_text): binary data,
    text invalid in ``encoding`` and empty text are refused with the input's name."""
    options = InputOptions(encoding=encoding, fallback_encoding=fallback_encoding, markup=markup)
    if file is not None and text is not None:
        raise InputError("give the text as the TEXT argument or with --file, not both")
    if file is not None and str(file) != "-":
        item = read_text_file(file, options)
    elif file is not None or text is None or text == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise InputError("no text given and standard input is closed: pass TEXT or --file PATH")
        if sys.stdin.isatty() and text is None:
            raise InputError("no text given: pass TEXT, --file PATH, or pipe text into standard input")
        stream = getattr(sys.stdin, "buffer", None)
        item = decode_text("standard input", stream.read() if stream else sys.stdin.read().encode(encoding), options)
    else:
        item = decode_text("the TEXT argument", text.encode("utf-8", "surrogateescape"), InputOptions(markup=markup))
    if isinstance(item, InputFailure):
        raise InputError(f"{item.id}: {item.reason}")
    return item.text


def render(keyphrases: list[Keyphrase], fmt: Format, source: str, highlight: bool) -> None:
    if highlight:
        from kwextract.markup import PARAGRAPH
        from kwextract.tokenize import readable  # spaCy: only when the command runs

        # control characters as spaces, a markup's paragraph breaks as line breaks: none reaches the terminal
        marked = Text(readable(source).replace(PARAGRAPH, "\n"))
        for kp in keyphrases:
            marked.stylize("bold black on yellow", kp.start, kp.end)
        stdout.print(marked, soft_wrap=True)  # the text's own line breaks, never re-wrapped
        stdout.print()
    if fmt is Format.table:
        table = Table("rank", "keyphrase", "score", "start", "end", "count")
        for i, kp in enumerate(keyphrases, start=1):
            table.add_row(str(i), " ".join(kp.text.split()), f"{kp.score:.3f}", str(kp.start), str(kp.end), str(kp.count))
        stdout.print(table)
    elif fmt is Format.json:
        print(json.dumps([kp.to_dict() for kp in keyphrases], ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        for kp in keyphrases:
            print(json.dumps(kp.to_dict(), ensure_ascii=False))
    elif fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["text", "score", "start", "end", "count"])
        for kp in keyphrases:
            writer.writerow([kp.text, kp.score, kp.start, kp.end, kp.count])
        sys.stdout.write(buffer.getvalue())
    else:  # one keyphrase per line: a phrase that spans a line break is shown on one line
        for kp in keyphrases:
            print(" ".join(kp.text.split()))


@app.command()
def extract(
    text: Optional[str] = typer.Argument(None, help="The text; '-' or nothing reads standard input."),
    file: Optional[Path] = typer.Option(
        None, "--file", "-f", help="Read the text from this file ('-': standard input): text, Markdown, LaTeX, HTML, "
                                   "subtitles, Word, PowerPoint, EPUB, RTF, PDF or e-mail, each read by its kind."),
    top_k: int = typer.Option(10, "--top-k", "-k", help="How many keyphrases; 0 = the model's own selection."),
    min_score: float = typer.Option(0.0, "--min-score", help="Drop keyphrases scored below this."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model directory (default: the bundled model)."),
    fmt: Optional[Format] = typer.Option(
        None, "--format", help="Output format [default: table on a terminal, plain when piped]."
    ),
    highlight: bool = typer.Option(False, "--highlight", help="Print the text with its keyphrases highlighted."),
    distinct: bool = distinct_option(),
    encoding: str = typer.Option("utf-8", "--encoding", help="Encoding of --file."),
    markup: str = markup_option("the text is"),
    fallback_encoding: Optional[str] = typer.Option(
        None, "--fallback-encoding", help="Decode with this (e.g. latin-1) when --encoding fails; off by default."
    ),
    lang: Optional[str] = lang_option(),
    precision: str = precision_option(),
    threads: int = typer.Option(
        1, "--threads", min=1, metavar="<int>",
        help="CPU threads for the network. One by default: then another busy process slows it only by its "
             "share of the machine (with several threads torch can slow down many times over); more help one "
             "long text on an idle machine."),
) -> None:
    """Extract keyphrases from one text.

    \b
    Examples:
      kwextract extract "Recurrent neural networks for keyphrase extraction ..."
      cat paper.txt | kwextract extract --format json
      kwextract extract --lang fr "La communauté scientifique fête le centenaire d'Alan Turing ..."
    """
    import torch  # torch and spaCy: only when the command runs

    from kwextract.serialization import load

    torch.set_num_threads(threads)
    with errors_to_exit_codes():
        source = read_text(text, file, encoding, fallback_encoding, markup)
        extractor = load(model, lang=lang, precision=precision)
        keyphrases = extractor.extract(source, top_k=top_k or None, min_score=min_score, distinct=distinct)
    render(keyphrases, fmt or (Format.table if is_terminal() else Format.plain), source, highlight)
