"""Progress bars of the long-running commands (imported when such a command runs: rich's
progress module is not needed for ``--help``)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class DocsPerSecond(TextColumn):
    def __init__(self) -> None:
        super().__init__("")

    def render(self, task: Task) -> Text:
        """Documents per second since the start, as the closing summary counts them (rich's own
        speed is a recent moving estimate, which disagreed with the summary)."""
        elapsed = task.finished_time if task.finished else task.elapsed
        return Text(f"{task.completed / elapsed if elapsed else 0:,.1f} docs/s")


def batch_progress(console: Console, disable: bool) -> Progress:
    """``kwextract batch``'s bar: documents done of all, share, docs/s, elapsed time and ETA."""
    return Progress(
        TextColumn("[bold]batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        DocsPerSecond(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
    )


def train_progress(console: Console, disable: bool) -> Progress:
    """``kwextract train``'s bar: epoch, steps done of all, loss, dev F1@10 and ETA."""
    return Progress(
        TextColumn("epoch {task.fields[epoch]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f}  {task.fields[measure]} {task.fields[dev]}"),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
    )
