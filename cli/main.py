"""The ``kwextract`` entry point: the app with every command registered.

Only typer and rich are imported here; each command imports the model stack (torch, spaCy)
when it runs, so ``--help``, ``--version`` and shell completion start at once.
"""

from __future__ import annotations

import warnings
from typing import Optional

import typer

from kwextract import __version__

from . import adapt, batch, calibrate, ensemble, evaluate, extract, info, train  # noqa: F401  (registers the commands)
from ._util import app, stderr


def _version(value: bool) -> None:
    if value:
        print(f"kwextract {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Keyphrase extraction with a BiLSTM-CRF. Exit codes: 0 all done, 1 some inputs failed, 2 usage error."""


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # type: ignore[no-untyped-def]
    """Library warnings as one line on stderr, without the source line Python shows by default."""
    stderr.print(f"[bold yellow]warning:[/] {message}", highlight=False)


def main() -> None:
    warnings.showwarning = _show_warning
    app(prog_name="kwextract")
