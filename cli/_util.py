"""The Typer app and the helpers every command shares."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from kwextract.errors import KwextractError

# Click's exception classes as this typer uses them (typer 0.28 carries its own copy of click):
# found through typer's public BadParameter, which derives from both.
_USAGE_ERROR, _CLICK_EXCEPTION = (next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)
                                  for name in ("UsageError", "ClickException"))


class _OneLineUsageErrors(TyperGroup):
    """Click's usage errors (a bad choice, a value of the wrong type) as one line on stderr
    with exit code 2, like every other refusal of kwextract's, instead of usage + hint + box."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except _USAGE_ERROR as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # `kwextract` alone: its help, as before
                err.show()
            else:
                command = err.ctx.command_path if err.ctx is not None else "kwextract"
                print(f"error: {err.format_message()} (see '{command} --help')", file=sys.stderr)
            sys.exit(err.exit_code)
        except _CLICK_EXCEPTION as err:
            err.show()
            sys.exit(err.exit_code)
        except typer.Abort:
            print("Aborted!", file=sys.stderr)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    name="kwextract",
    cls=_OneLineUsageErrors,
    help="Keyphrase extraction with a BiLSTM-CRF. Exit codes: 0 all done, 1 some inputs failed, 2 usage error.",
    no_args_is_help=True,
    add_completion=True,
    # Plain click help: typer's rich help imports rich.markdown and markdown-it, which alone
    # doubles the start-up time of `kwextract --help` (benchmarks/speed.py times it).
    rich_markup_mode=None,
)
LANG_HELP = ("Language of the texts, an ISO 639-1 code (en, fr, pt, de, es, it, nl...): their tokenizer, stop "
             "words and stemmer. Default: the model's language. extract and batch also take auto: each text read "
             "in the language it is written in.")


def lang_option() -> Any:
    """The ``--lang`` option every command shares."""
    return typer.Option(None, "--lang", help=LANG_HELP, metavar="CODE")


def markup_option(every: str) -> Any:
    """The ``--markup`` option of the commands that read texts (``every``: what they read)."""
    return typer.Option("auto", "--markup", metavar="auto|text|html|markdown|latex|subtitles",
                        help=f"How {every} written, read as the text a reader sees (offsets still point into "
                             "the source). auto: files by their suffix (.html .htm .xhtml .xml; .md .markdown; "
                             ".tex; .srt .vtt), anything else as plain text; text: all as plain text; html, "
                             "markdown, latex or subtitles: every text so.")


def distinct_option() -> Any:
    """The ``--distinct`` option of the commands that extract."""
    return typer.Option(False, "--distinct", help="No keyphrase inside another ('neural networks' after 'graph "
                        "neural networks'): each topic once, at the cost of a few points of F1 on benchmarks "
                        "whose gold lists hold such pieces.")


def precision_option() -> Any:
    """The ``--precision`` option of the commands that extract."""
    return typer.Option("float32", "--precision", metavar="float32|bfloat16",
                        help="Number type of the network's recurrent encoder. bfloat16 is about 1.3x faster on a CPU "
                             "that computes it natively (AMX or AVX512-BF16), with the same F1 to a few hundredths "
                             "of a point though a few rankings change by rounding; elsewhere it is slower.")


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
