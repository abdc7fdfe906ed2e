"""Worker processes that run IR probes, so a runtime crash or hang costs one model, not the run.

`python -m generator.validate_worker` reads one ProbeJob per line on stdin and answers one Probe
per line on stdout. WorkerPool (the parent side) keeps a worker per job slot, times each job
out, and replaces a worker that crashed or was killed.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path
from types import TracebackType

from generator.results import Probe, ProbeJob

READY = "ready"
STARTUP_TIMEOUT = 120.0  # seconds for a fresh worker to import OpenVINO; not part of a job's time


class WorkerFailure(Exception):
    """The worker died or was stopped before it answered; the message is one line."""


class Worker:
    """One worker process, started on first use and again after it failed."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: deque[str] = deque(maxlen=20)

    def start(self) -> None:
        package_parent = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, path]))}
        self.lines, self.stderr = queue.Queue(), deque(maxlen=20)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator.validate_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process,), daemon=True).start()
        if self._answer(STARTUP_TIMEOUT, "start") != READY:
            raise WorkerFailure(f"validation worker did not start{self._stderr_tail()}")

    def run(self, job: ProbeJob, timeout: float) -> Probe:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        try:
            self.process.stdin.write(job.model_dump_json() + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it died: reading the answer reports how
        answer = self._answer(timeout, "answer")
        try:
            return Probe.model_validate_json(answer)
        except ValueError:
            self.stop()
            raise WorkerFailure(f"worker answered nonsense: {answer[:80]!r}") from None

    def _answer(self, timeout: float, what: str) -> str:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise WorkerFailure(f"timed out after {timeout:g} s: worker stopped") from None
        if line is None:
            code = self.stop()
            raise WorkerFailure(f"worker crashed ({exit_reason(code)}){self._stderr_tail()}")
        return line.rstrip("\n")

    def _stderr_tail(self) -> str:
        tail = [line.strip() for line in list(self.stderr) if line.strip()]
        return f": {tail[-1]}" if tail else ""

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        lines = self.lines
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def _drain(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        tail = self.stderr
        for line in process.stderr:
            tail.append(line)

    def stop(self) -> int | None:
        """Kill the process (it hung, or we are done) and return its exit code."""
        process, self.process = self.process, None
        if process is None:
            return None
        with contextlib.suppress(OSError):
            process.kill()
        return process.wait()

    def close(self) -> None:
        """Let an idle worker exit on end of input; kill it if it does not."""
        process = self.process
        if process is None:
            return
        with contextlib.suppress(OSError):
            assert process.stdin is not None
            process.stdin.close()
        try:
            process.wait(timeout=5)
            self.process = None
        except subprocess.TimeoutExpired:
            self.stop()


def exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-code).name
    return f"exit code {code}"


class WorkerPool:
    """`size` workers shared by the threads that run jobs; each job gets one to itself."""

    def __init__(self, size: int) -> None:
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers = [Worker() for _ in range(max(1, size))]
        for worker in self.workers:
            self.idle.put(worker)

    def run(self, job: ProbeJob, timeout: float) -> Probe:
        worker = self.idle.get()
        try:
            return worker.run(job, timeout)
        finally:
            self.idle.put(worker)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, tb: TracebackType) -> None:
        for worker in self.workers:
            worker.close()


def serve() -> None:
    """The worker's loop; stdout carries answers only, anything else printed goes to stderr."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # native code printing to fd 1 too
    import openvino  # after the redirect: plugins may print while loading

    from generator.ir_probe import probe_ir

    core = openvino.Core()
    answers.write(READY + "\n")
    for line in sys.stdin:
        job = ProbeJob.model_validate_json(line)
        try:
            probe = probe_ir(job, core)
        except Exception as error:  # a bug of ours: report it on this model, keep serving
            probe = Probe(error=f"internal error: {type(error).__name__}: {error}")
        answers.write(probe.model_dump_json() + "\n")


if __name__ == "__main__":
    serve()
