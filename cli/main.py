"""The ``kwextract`` entry point: the app with every command registered."""

from __future__ import annotations

from typing import Optional

import typer

from kwextract import __version__

from . import adapt, batch, calibrate, ensemble, evaluate, extract, info, train  # noqa: F401  (registers the commands)
from ._util import app


def _version(value: bool) -> None:
    if value:
        print(f"kwextract {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Keyphrase extraction with a BiLSTM-CRF. Exit codes: 0 all done, 1 some inputs failed, 2 usage error."""


def main() -> None:
    app()
