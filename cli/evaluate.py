"""``kwextract evaluate``: the quality protocol's P/R/F1 at 5, 10 and M on labelled data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ._util import app, errors_to_exit_codes, lang_option, stdout


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
    table = Table("data", "docs", "P@5", "R@5", "F1@5", "P@10", "R@10", "F1@10", "P@M", "R@M", "F1@M")
    for name, s in results.items():
        table.add_row(name, str(s["docs"]), *(f"{s[f'{m}@{k}']:.3f}" for k in ("5", "10", "M") for m in ("p", "r", "f1")))
    stdout.print(table)
