"""`zoo validate` processes: Ctrl-C stops it at once with its workers, and a worker never
outlives its parent, even one killed with SIGKILL (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import irs
import pytest

from conftest import ROOT, shadow_modules, write_card
from generator.validation.validate_worker import Worker

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running: not gone and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture
def hanging(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """`zoo validate` (timeout 300 s) busy in its worker on an IR that never ends."""
    cards = tmp_path / "cards"
    card = write_card(
        cards,
        "endless",
        "name: endless\ntask: classification\ndescription: Never ends.\n"
        "ir: {FP32: FP32/endless.xml}\n",
    )
    irs.endless_loop(card.parent / "FP32" / "endless.xml")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    zoo = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "validate", "--cards", str(cards)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:
        workers = children(zoo.pid)
        time.sleep(0.05)
    assert workers, "no worker started"
    [worker] = workers
    while time.monotonic() < deadline and cpu_seconds(worker) < 2:
        time.sleep(0.1)  # importing OpenVINO takes about 1 s of CPU: now it runs the loop
    assert alive(worker) and alive(zoo.pid)
    yield zoo, worker
    for pid in (zoo.pid, worker):
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    zoo.wait()


def test_ctrl_c_stops_within_a_second_with_its_workers(hanging: tuple) -> None:
    zoo, worker = hanging
    start = time.monotonic()
    os.killpg(zoo.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    zoo.wait(timeout=30)
    took = time.monotonic() - start
    stderr = zoo.stderr.read()
    assert (zoo.returncode, stderr) == (130, "zoo: interrupted\n")
    assert took < 1.0, took
    assert not alive(worker)


def test_a_worker_dies_with_its_parent_killed_by_sigkill(hanging: tuple) -> None:
    zoo, worker = hanging
    os.kill(zoo.pid, signal.SIGKILL)
    zoo.wait(timeout=30)
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)


def test_worker_imports_nothing_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build runs in a zoo checkout that pull requests fill: a `generator/` or `openvino.py`
    there must not stand in for the real ones in the validation worker."""
    marker = shadow_modules(
        tmp_path, "generator/__init__.py", "generator/validation/__init__.py", "openvino.py"
    )
    monkeypatch.chdir(tmp_path)
    worker = Worker(threading.Event())
    try:
        worker.start()  # raises unless the real worker answered
    finally:
        worker.stop()
    assert not marker.exists()
