"""``kwextract ensemble``: combine trained models into one that averages their span scores."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._util import app, errors_to_exit_codes, stderr


@app.command("ensemble")
def ensemble_command(
    members: list[str] = typer.Argument(..., help="Model directories to combine ('fast': the bundled model's first tagger)."),
    output: Path = typer.Option(..., "--output", "-o", help="Directory for the ensemble."),
    dev_data: list[Path] = typer.Option(..., "--dev", help="Labelled dev data to calibrate on (JSONL or docsutf8/keys); repeatable."),
    name: str = typer.Option("ensemble", help="Name recorded in the model card."),
    phrase_scorer: bool = typer.Option(
        True, "--phrase-scorer/--no-phrase-scorer",
        help="Also fit trees that score phrases from the averaged statistics (kept only if they help on dev).",
    ),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="CODE", help="Language of the dev texts and of the ensemble (ISO 639-1). Default: "
        "the first member's language."),
) -> None:
    """Combine two or more trained models: every span is scored by the mean of their CRF marginals,
    then ranking is calibrated on dev data. Slower (each member tags every text), steadier scores.

    \b
    Example:
      kwextract ensemble model-a model-b -o ensemble --dev dev.jsonl
    """
    from kwextract.data import read_documents  # torch and spaCy: only when the command runs
    from kwextract.ensemble import build_ensemble
    from kwextract.serialization import check_output, load, save

    with errors_to_exit_codes():
        check_output(output)  # before any work
        dev_sets = [read_documents(p) for p in dev_data]
        models = [load(m) for m in members]
        for m in models if lang is not None else []:
            m.set_language(lang)
        ensemble = build_ensemble(models, dev_sets, log=lambda m: stderr.print(m, highlight=False), name=name,
                                  sources=members, dev_names=[str(p) for p in dev_data], phrase_scorer=phrase_scorer)
        save(ensemble, output)
    stderr.print(f"ensemble of {len(members)} models written to {output}")
