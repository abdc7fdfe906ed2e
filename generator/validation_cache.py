"""The validation cache: probes already measured, and sha256 of IR files already read.

A probe is keyed by everything it depends on (IR bytes, documented tensors, OpenVINO, device),
so a cached probe is the probe a fresh run would measure. File hashes are remembered by
(size, mtime, inode), as git's index does, so an unchanged catalog is not read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from importlib.metadata import version
from pathlib import Path

from generator.atomic_file import write_atomic
from generator.model_files import file_digest
from generator.results import PROBE_VERSION, Probe, ProbeJob

HASHES_FILE = "file-hashes.json"
# A file written this recently may change again within the same mtime tick: hash it every time.
RACY_NS = 2_000_000_000


def openvino_version() -> str:
    """The installed OpenVINO, without importing it (that takes a while)."""
    return version("openvino")


def probe_key(job: ProbeJob, files: dict[str, str]) -> str:
    """sha256 over the IR files' hashes, the documented tensors, OpenVINO and the device."""
    material = {
        "probe": PROBE_VERSION,
        "openvino": openvino_version(),
        "device": job.device,
        "files": files,
        "inputs": [[t.name, t.shape] for t in job.inputs],
        "outputs": [t.name for t in job.outputs],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


class ValidationCache:
    """Probes as `<dir>/<key>.json`; a missing or unreadable entry is a miss, never an error."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.hashes: dict[str, list] = {}
        self.lock = threading.Lock()
        self.dirty = False
        if directory is not None:
            with contextlib.suppress(OSError, ValueError):
                self.hashes = json.loads((directory / HASHES_FILE).read_text(encoding="utf-8"))

    def load(self, key: str) -> Probe | None:
        if self.directory is None:
            return None
        try:
            return Probe.model_validate_json((self.directory / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None

    def store(self, key: str, probe: Probe) -> None:
        if self.directory is not None:
            with contextlib.suppress(OSError):  # a cache we cannot write only costs time
                write_atomic(self.directory / f"{key}.json", probe.model_dump_json())

    def sha256(self, path: Path) -> str:
        """The file's sha256, read only if its size, mtime or inode changed since last time."""
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        where = str(path.resolve())
        with self.lock:
            known = self.hashes.get(where)
        if known and known[:3] == stamp:
            return known[3]
        digest = file_digest(path, "sha256")
        if time.time_ns() - stat.st_mtime_ns > RACY_NS:
            with self.lock:
                self.hashes[where] = [*stamp, digest]
                self.dirty = True
        return digest

    def save(self) -> None:
        """Keep the file hashes for the next run."""
        if self.directory is not None and self.dirty:
            with self.lock:
                text = json.dumps(self.hashes, indent=0, sort_keys=True)
            with contextlib.suppress(OSError):
                write_atomic(self.directory / HASHES_FILE, text)
