"""The Typer app and the helpers every command shares."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

from kwextract.errors import KwextractError

app = typer.Typer(
    name="kwextract",
    help="Keyphrase extraction with a BiLSTM-CRF. Exit codes: 0 all done, 1 some inputs failed, 2 usage error.",
    no_args_is_help=True,
    add_completion=True,
    # Plain click help: typer's rich help imports rich.markdown and markdown-it, which alone
    # doubles the start-up time of `kwextract --help` (benchmarks/speed.py times it).
    rich_markup_mode=None,
)
LANG_HELP = ("Language of the texts, an ISO 639-1 code (en, fr, pt, de, es, it, nl...): their tokenizer, stop "
             "words and stemmer. Default: the model's language.")


def lang_option() -> Any:
    """The ``--lang`` option every command shares."""
    return typer.Option(None, "--lang", help=LANG_HELP, metavar="CODE")


stdout = Console()
stderr = Console(stderr=True, soft_wrap=True)


@contextmanager
def errors_to_exit_codes() -> Iterator[None]:
    """Turn kwextract's own errors into a message on stderr and exit code 2 (usage/input)."""
    try:
        yield
    except KwextractError as err:
        stderr.print(f"[bold red]error:[/] {err}", highlight=False)
        raise typer.Exit(2) from err
    except ValueError as err:
        stderr.print(f"[bold red]error:[/] {err}", highlight=False)
        raise typer.Exit(2) from err


def is_terminal() -> bool:
    return sys.stdout.isatty()
