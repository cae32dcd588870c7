"""``kwextract info``: a model's card."""

from __future__ import annotations

from typing import Optional

import typer

from ._util import app, errors_to_exit_codes, stdout


@app.command()
def info(model: Optional[str] = typer.Argument(None, help="Model directory (default: the bundled model).")) -> None:
    """Show a model's card: training data, size, scores, format version.

    \b
    Example:
      kwextract info
    """
    from rich.markdown import Markdown

    from kwextract.serialization import resolve  # torch and spaCy: only when the command runs

    with errors_to_exit_codes():
        path = resolve(model)  # refuses a folder that is not a model
        card = path / "MODEL_CARD.md"
        text = card.read_text(encoding="utf-8") if card.exists() else f"{path}: no MODEL_CARD.md"
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())  # an ensemble's members too
    stdout.print(Markdown(text))
    stdout.print(f"\nlocation: {path}\nsize: {size / 1e6:.1f} MB", highlight=False, soft_wrap=True)  # never break the path
