"""``kwextract calibrate``: re-choose a model's inference settings on dev data."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kwextract.errors import InputError

from ._util import app, errors_to_exit_codes, stderr


@app.command("calibrate")
def calibrate_command(
    dev_data: list[Path] = typer.Option(..., "--dev", help="Labelled dev data (JSONL or docsutf8/keys); repeatable."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model directory to update in place."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the calibrated model here instead."),
    phrase_scorer: bool = typer.Option(
        True, "--phrase-scorer/--no-phrase-scorer",
        help="Also fit trees that score phrases from the tagger's statistics (kept only if they help on dev).",
    ),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="CODE", help="Language of the dev texts (ISO 639-1); the calibrated model becomes a "
        "model of that language. Default: the model's language."),
) -> None:
    """Choose score aggregation, the phrase scorer and the top_k=None selection threshold on dev data
    (the tagger's weights are unchanged).

    \b
    Example:
      kwextract calibrate --model my-model --dev dev.jsonl
    """
    from kwextract.calibrate import calibrate  # torch and spaCy: only when the command runs
    from kwextract.data import read_documents
    from kwextract.serialization import BUNDLED, check_output, load, resolve, save

    with errors_to_exit_codes():
        if output is None and (model is None or model in BUNDLED):
            raise InputError(f"the bundled model {model or 'default'!r} is part of the installed package and is not "
                             "calibrated in place: give --output for the calibrated copy")
        target = check_output(output or resolve(model))  # before any work
        extractor = load(model)
        if lang is not None:
            extractor.set_language(lang)
        result = calibrate(extractor, [read_documents(p) for p in dev_data],
                           log=lambda m: stderr.print(m, highlight=False), phrase_scorer=phrase_scorer)
        result.apply(extractor)
        extractor.meta = {**extractor.meta,
                          "calibration": {**result.report, "dev_data": [str(p) for p in dev_data]}}
        save(extractor, target)
