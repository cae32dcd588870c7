"""``kwextract evaluate``: the quality protocol's P/R/F1 at 5, 10 and M on labelled data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.table import Table

from ._util import app, errors_to_exit_codes, lang_option, stderr, stdout


@app.command("evaluate")
def evaluate_command(
    data: list[Path] = typer.Option(..., "--data", "-d", help="Labelled JSONL file or docsutf8/keys folder; repeatable."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model directory (default: bundled)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    lang: Optional[str] = lang_option(),
) -> None:
    """Score a model: present keyphrases, stems of the language (Porter for English, Snowball for
    the others), macro P/R/F1 at 5, 10 and M.

    \b
    Example:
      kwextract evaluate --model my-model --data test.jsonl
    """
    from kwextract.data import read_documents  # torch and spaCy: only when the command runs
    from kwextract.evaluate import evaluate
    from kwextract.serialization import load

    with errors_to_exit_codes():
        extractor = load(model, lang=lang)
        results = {str(path): evaluate(extractor, read_documents(path)) for path in data}
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for name, s in results.items():
        if not s["docs"]:
            stderr.print(f"[bold yellow]warning:[/] {name}: no document has a gold keyphrase that occurs in its text; "
                         "its scores are 0 by definition, not a measurement", highlight=False)
    # one column per data file and one row per figure: narrow enough for an 80-column terminal
    # or pipe with several files (eleven figures side by side were cut to "0.…"), names folded
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for name in results:
        table.add_column(name, justify="right", overflow="fold", min_width=5)
    table.add_row("docs", *(str(s["docs"]) for s in results.values()))
    for k in ("5", "10", "M"):
        for m in ("p", "r", "f1"):
            label = f"{'F1' if m == 'f1' else m.upper()}@{k}"
            table.add_row(label, *(f"{s[f'{m}@{k}']:.3f}" for s in results.values()))
    stdout.print(table)
