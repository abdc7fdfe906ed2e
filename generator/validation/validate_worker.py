"""Worker processes that run IR probes, so a runtime crash or hang costs one model, not the run.

`python -m generator.validation.validate_worker` reads one ProbeJob per line on stdin and
answers one Probe per line on stdout. WorkerPool (the parent side) keeps a worker per job slot,
times each job out, and replaces a worker that crashed or was killed. A worker dies with its
parent, even when the parent is killed with SIGKILL, and leaves Ctrl-C to the parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from types import TracebackType

from generator.validation.results import Probe, ProbeJob

READY = "ready"
STARTUP_TIMEOUT = 120.0  # seconds for a fresh worker to import OpenVINO; not part of a job's time
PARENT_ENV = "ZOO_VALIDATE_PARENT"  # the parent's pid, for a worker to notice it is gone
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class WorkerFailure(Exception):
    """The worker died or was stopped before it answered; the message is one line."""


class Worker:
    """One worker process, started on first use and again after it failed, until `stopped`."""

    def __init__(self, stopped: threading.Event) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: deque[str] = deque(maxlen=20)
        self.stopped = stopped
        self.lock = threading.Lock()  # the job's thread and the main thread (Ctrl-C) stop it

    def start(self) -> subprocess.Popen[str]:
        package_parent = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, path])),
            PARENT_ENV: str(os.getpid()),
        }
        with self.lock:
            if self.stopped.is_set():
                raise WorkerFailure("validation stopped")
            self.lines, self.stderr = queue.Queue(), deque(maxlen=20)
            process = self.process = subprocess.Popen(
                # -P: nothing from the working directory (a zoo checkout, filled by pull
                # requests) is imported in place of this package or its dependencies
                [sys.executable, "-P", "-m", "generator.validation.validate_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=env,
            )
        threading.Thread(target=self._read, args=(process,), daemon=True).start()
        threading.Thread(target=self._drain, args=(process,), daemon=True).start()
        if self._answer(STARTUP_TIMEOUT, "start") != READY:
            raise WorkerFailure(f"validation worker did not start{self._stderr_tail()}")
        return process

    def run(self, job: ProbeJob, timeout: float) -> Probe:
        process = self.process
        if process is None or process.poll() is not None:
            process = self.start()
        assert process.stdin is not None
        try:
            process.stdin.write(job.model_dump_json() + "\n")
            process.stdin.flush()
        except (OSError, ValueError):
            pass  # it died or was stopped: reading the answer reports how
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
        with self.lock:
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
        self.stopped = threading.Event()
        self.workers = [Worker(self.stopped) for _ in range(max(1, size))]
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
        if error is None:
            self.close()
        else:
            self.kill()

    def close(self) -> None:
        """Let the idle workers exit."""
        self.stopped.set()
        for worker in self.workers:
            worker.close()

    def kill(self) -> None:
        """Kill every worker now; the jobs they run fail at once and none starts again."""
        self.stopped.set()
        for worker in self.workers:
            worker.stop()


def die_with_parent() -> None:
    """End this worker when its parent ends, however it ends: on Linux the kernel sends SIGKILL
    (prctl PR_SET_PDEATHSIG); elsewhere a thread polls the parent's pid."""
    parent = int(os.environ.get(PARENT_ENV) or os.getppid())
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before we asked
        os._exit(1)


def watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def serve() -> None:
    """The worker's loop; stdout carries answers only, anything else printed goes to stderr."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which kills us
    die_with_parent()
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # native code printing to fd 1 too
    import openvino  # after the redirect: plugins may print while loading

    from generator.validation.ir_probe import probe_ir

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
