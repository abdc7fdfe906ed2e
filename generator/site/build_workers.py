"""The second core of a `mkdocs build`: a forked child makes the generated files ahead of
MkDocs, another process sanitizes the converted pages while MkDocs converts the next ones.

MkDocs builds on one core. The zoo's own work (rendering thousands of pages, cleaning their HTML)
runs beside it instead of before it. The file maker is forked, so it shares the loaded catalog
without copying it: only where nothing else runs threads (`mkdocs serve` does), see `can_fork`.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, Pipe
from typing import Any

from generator.site.site_files import PlannedFile, SiteError


class WorkerError(Exception):
    """A child stopped: what it said, or how it ended."""


def can_fork() -> bool:
    """A fork copies only the calling thread: with other threads running, a lock one of them
    holds would stay held in the child forever."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _fork(child: Callable[[], None], close: Sequence[Any] = ()) -> int:
    """Run `child` in a forked process that ends with it (never returning into the caller's
    stack: no MkDocs cleanup, no atexit); `close` are the parent's ends it must not hold."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for end in close:
            end.close()
        child()
        status = 0
    except BaseException:
        pass  # the child's own channel said what went wrong, or its exit code will
    finally:
        os._exit(status)


def _reap(pid: int) -> int:
    """The child's exit code (negative: the signal that ended it)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 0
    return os.waitstatus_to_exitcode(status)


class FileMaker:
    """Makes the planned files in a child, in plan order; the parent takes each when MkDocs
    first reads it (the child runs ahead, a pipe's worth of pages at most)."""

    def __init__(self, plan: Callable[[], list[PlannedFile]]) -> None:
        self._reader, writer = Pipe(duplex=False)
        # what exists now (the catalog above all) is left out of the garbage collector's passes,
        # which would write into every object and so copy each shared page into the parent
        gc.freeze()
        self._pid = _fork(lambda: self._run(plan, writer), close=[self._reader])
        writer.close()
        self._made: dict[int, bytes] = {}
        self._files: list[PlannedFile] | None = None

    @staticmethod
    def _run(plan: Callable[[], list[PlannedFile]], writer: Connection) -> None:
        try:
            files = plan()
            # the uris and copied paths first: MkDocs needs the whole list before any content
            writer.send([PlannedFile(file.uri, path=file.path) for file in files])
            for index, file in enumerate(files):
                if file.make is not None:
                    writer.send((index, file.make()))
        except BrokenPipeError:
            pass  # the build ended (or failed) before it wanted them all
        except SiteError as error:
            writer.send(SiteError(str(error)))
        except Exception:
            writer.send(WorkerError(f"making the site's files failed:\n{traceback.format_exc()}"))
        finally:
            writer.close()

    def _receive(self) -> Any:
        try:
            message = self._reader.recv()
        except (EOFError, OSError):
            raise WorkerError(f"the file maker ended early (exit code {self.close()})") from None
        if isinstance(message, Exception):
            self.close()
            raise message
        return message

    def files(self) -> list[PlannedFile]:
        """The planned files: a `path` to copy, or none (its content comes from `take`)."""
        if self._files is None:
            self._files = self._receive()
        return self._files

    def take(self, index: int) -> bytes:
        while index not in self._made:
            made, content = self._receive()
            self._made[made] = content
        return self._made.pop(index)

    def close(self) -> int:
        """Ends the child (done, or no longer wanted) and returns its exit code."""
        self._reader.close()
        gc.unfreeze()
        return _reap(self._pid)


class Sanitizer:
    """Cleans generated pages in a process of its own (generator/site/sanitize_child.py, a new
    interpreter: it needs nothing of the build's memory): `submit` returns at once, `results`
    waits for all of them. Results go through a temporary file, so neither side ever waits on a
    full pipe."""

    def __init__(self) -> None:
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by results/close)
        reader, writer = os.pipe()
        # the child finds this package (and nh3) where the build found it, and never in the
        # working directory (-P): that is the zoo's checkout, which a pull request fills
        path = os.pathsep.join(entry for entry in sys.path if entry)
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-m", "generator.site.sanitize_child"],
            stdin=reader,
            stdout=self._output,
            env={**os.environ, "PYTHONPATH": path},
        )
        os.close(reader)
        self._writer = Connection(writer, readable=False)
        self._submitted = 0

    @property
    def pid(self) -> int:
        return self._process.pid

    def submit(self, text: str) -> None:
        try:
            # as bytes: pickling the str would keep a UTF-8 copy inside it until the build ends
            self._writer.send_bytes(text.encode())
        except BrokenPipeError:
            raise WorkerError(self._ended(self._process.wait())) from None
        self._submitted += 1

    @staticmethod
    def _ended(code: int) -> str:
        return f"the page sanitizer ended early (exit code {code})"

    def results(self) -> Iterator[str]:
        """Every submitted text, cleaned, in order, one at a time (so the caller can let go of
        each original as its clean text comes); WorkerError if the child did not clean them all."""
        self._writer.close()
        code = self._process.wait()
        self._output.seek(0)
        count = 0
        while True:
            try:
                yield pickle.load(self._output)
            except EOFError:
                break
            count += 1
        self._output.close()
        if code != 0 or count != self._submitted:
            raise WorkerError(self._ended(code))

    def close(self) -> None:
        if not self._writer.closed:
            self._writer.close()
            self._process.wait()
        self._output.close()
