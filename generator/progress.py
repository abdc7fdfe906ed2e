"""Progress on stderr for long commands: a rich bar on a terminal, plain lines in CI logs.

Descriptions hold card names: shown as one line of plain text, never as rich markup or escapes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from generator.safe_text import printable, underlying


@contextmanager
def progress_lines(verb: str, total: int, enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """Yield `step(description)`, called once per finished item."""
    if not enabled or total == 0:
        yield lambda description: None
        return
    if not sys.stderr.isatty():
        done = 0

        def line(description: str) -> None:
            nonlocal done
            done += 1
            print(f"zoo: [{done}/{total}] {printable(description)}", file=sys.stderr, flush=True)

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(verb, markup=False), BarColumn(), MofNCompleteColumn())
    # the bar draws with escapes of its own: it writes past the SafeStream, its text is escaped here
    console = Console(file=underlying(sys.stderr))
    with Progress(
        *columns,
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda description: bar.update(task, advance=1, description=printable(description))
