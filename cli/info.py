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

    from kwextract.errors import ModelNotFoundError
    from kwextract.serialization import resolve  # torch and spaCy: only when the command runs

    with errors_to_exit_codes():
        path = resolve(model)
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"{path}: not a kwextract model directory (no config.json); pass a folder "
                                     "written by 'kwextract train', or nothing for the bundled model")
        card = path / "MODEL_CARD.md"
        text = card.read_text(encoding="utf-8") if card.exists() else f"{path}: no MODEL_CARD.md"
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())  # an ensemble's members too
    stdout.print(Markdown(text))
    stdout.print(f"\nlocation: {path}\nsize: {size / 1e6:.1f} MB", highlight=False, soft_wrap=True)  # never break the path
