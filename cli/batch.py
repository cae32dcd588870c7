"""``kwextract batch``: keyphrases of many documents (files, folders, JSONL, CSV) into JSONL or CSV."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ._util import app, errors_to_exit_codes, distinct_option, lang_option, markup_option, precision_option, stderr


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def batch(
    inputs: list[Path] = typer.Argument(
        ..., help="Files, folders (recursive), JSONL, CSV or TSV files (a CSV's separator, , ; tab or |, is read "
        "from its header), Excel workbooks (.xlsx: a document per row) and mail archives (.mbox: one per message)."),
    output: Path = typer.Option(..., "--output", "-o", help="Output file (JSONL or CSV)."),
    fmt: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", help="Output format."),
    glob: Optional[str] = typer.Option(
        None, "--glob", help="Which files to take from folders, e.g. '*.txt' or '*.jsonl' [default: every file of a "
                             "kind kwextract reads as a document: .txt .md .tex .html .xml .srt .vtt .docx .odt "
                             ".odp .pptx .epub .rtf .pdf .eml]."),
    id_field: str = typer.Option("id", "--id-field", help="Id field (column) of JSONL, CSV and Excel records."),
    text_field: str = typer.Option("text", "--text-field", help="Text field (column) of JSONL, CSV and Excel records."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Encoding of the inputs."),
    markup: str = markup_option("the texts (files, JSONL and CSV records) are"),
    distinct: bool = distinct_option(),
    fallback_encoding: Optional[str] = typer.Option(
        None, "--fallback-encoding", help="Decode with this (e.g. latin-1) when --encoding fails; off by default."
    ),
    top_k: int = typer.Option(10, "--top-k", "-k", help="Keyphrases per document; 0 = the model's own selection."),
    min_score: float = typer.Option(0.0, "--min-score"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model directory (default: bundled)."),
    workers: int = typer.Option(
        0, "--workers", "-w", help="Worker processes, one core each (each loads the model once); 0 = one per CPU core."
    ),
    resume: bool = typer.Option(False, "--resume", help="Skip ids already in OUTPUT (continue an interrupted run)."),
    force_workers: bool = typer.Option(
        False, "--force-workers", help="Run --workers processes even when there are fewer cores (default: capped)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local processes, or dask (pip install 'kwextract[dask]')."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local Dask cluster)."
    ),
    lang: Optional[str] = lang_option(),
    precision: str = precision_option(),
) -> None:
    """Extract keyphrases from many documents, one output record per document.

    Failures (unreadable, binary, undecodable or empty files, malformed lines) are reported
    on stderr and in OUTPUT.errors.jsonl; the other documents are still processed.
    Exit codes: 0 all done, 1 some inputs failed, 2 usage error.

    \b
    Example:
      kwextract batch papers/ corpus.jsonl -o keyphrases.jsonl --workers 2 --resume
    """
    from kwextract.batch import BatchOptions, available_cores, check_output, errors_path, run_batch  # when it runs
    from kwextract.inputs import InputFailure, InputOptions, count_inputs, iter_inputs, unmatched_files

    from ._progress import batch_progress

    show = not quiet and sys.stderr.isatty()
    progress = batch_progress(stderr, disable=not show)

    def on_failure(failure: InputFailure) -> None:
        progress.console.print(f"[red]failed:[/] {failure.id}: {failure.reason}", highlight=False, markup=True)

    with errors_to_exit_codes():
        options = BatchOptions(model, top_k or None, min_score, workers, fmt.value, resume, engine=engine.value,
                               lang=lang, precision=precision, distinct=distinct)
        input_options = InputOptions(glob, id_field, text_field, encoding, fallback_encoding, markup)
        check_output(inputs, output)
        cores = available_cores()
        if workers > cores and not force_workers and scheduler is None:  # a remote cluster has its own cores
            stderr.print(f"[yellow]note:[/] --workers {workers} capped at {cores}, the cores available (each worker "
                         "loads the model; --force-workers to run more)", highlight=False)
            options = replace(options, workers=cores)
        for folder, left in unmatched_files(inputs, input_options).items():
            plural = len(left) > 1
            why = (f"{'do' if plural else 'does'} not match --glob {glob!r}" if glob
                   else f"{'are' if plural else 'is'} of no kind kwextract reads as a document")
            stderr.print(f"[yellow]note:[/] {len(left)} file{'s' * plural} under {folder} {why} and "
                         f"{'are' if plural else 'is'} not read (e.g. {left[0].name}); "
                         "--glob chooses which files a folder gives", highlight=False)
        task = progress.add_task("batch", total=count_inputs(inputs, input_options) if show else None)
        with progress:
            summary = run_batch(
                iter_inputs(inputs, input_options),
                output,
                options,
                on_progress=lambda n: progress.advance(task, n),
                on_failure=on_failure,
                scheduler=scheduler,
            )
    if summary.duplicate_ids:
        many = summary.duplicate_ids > 1
        stderr.print(f"[bold yellow]warning:[/] {summary.duplicate_ids} document{'s' if many else ''} "
                     f"{'have' if many else 'has'} the id of an earlier document; their records share it "
                     "(use --id-field to pick a unique field)", highlight=False)
    if not quiet:
        stderr.print(
            f"done {summary.done}, failed {summary.failed}, skipped {summary.skipped} "
            f"in {summary.seconds:.1f} s ({summary.per_second:.1f} docs/s); output {output}"
            + (f", errors {errors_path(output)}" if summary.failed else ""),
            highlight=False,
        )
    if summary.failed:
        raise typer.Exit(1)
