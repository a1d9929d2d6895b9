"""The build's progress bar (on stderr, literal text), shared by local and Dask execution."""

from __future__ import annotations

from typing import Any


def progress_bar(enabled: bool) -> Any:
    """A rich ``Progress`` with the build's columns; shown only when ``enabled``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [
        TextColumn("building reports", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed", markup=False),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}", markup=False),
    ]
    console = Console(stderr=True, markup=False, emoji=False, highlight=False)
    return Progress(*columns, console=console, disable=not enabled, transient=False)
