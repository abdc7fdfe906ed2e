"""The validation cache: probes already measured, and sha256 of IR files already read.

It lives in the user's cache folder, outside any checkout, and every file in it carries an HMAC
made with a key that only this user can read (`cache-key`, 0600): a file that anyone else wrote
there (a forged entry, a cache committed in a pull request) fails verification and is a miss.

A probe is keyed by everything it depends on (IR bytes, documented tensors, OpenVINO, device,
counting convention, zoo-cards and the code of the measuring rules), so a cached probe is the
probe a fresh run would measure. File hashes are remembered by (size, mtime, ctime, inode), as
git's index does, so an unchanged catalog is not read again.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import TypeAdapter

from generator.atomic_file import write_atomic
from generator.model_files import file_digest
from generator.user_cache import DEFAULT_VALIDATION_CACHE, USER_CACHE
from generator.validation.results import Probe, ProbeJob, read_regular

# the one default of `zoo validate --cache` and of the plugin's `cache` option
DEFAULT_CACHE = DEFAULT_VALIDATION_CACHE
KEY_NAME = "cache-key"
KEY_BYTES = 32
HASHES_FILE = "file-hashes.json"
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a larger file is not ours: a miss
# A file written this recently may change again within the same mtime tick: hash it every time.
RACY_NS = 2_000_000_000
# the code that measures: a change to a cost rule or a probe stage measures every IR again
RULE_MODULES = ("complexity.py", "conventions.py", "ir_probe.py")

Stamps = TypeAdapter(dict[str, tuple[int, int, int, int, str]])


def openvino_version() -> str:
    """The installed OpenVINO, without importing it (that takes a while)."""
    return version("openvino")


def zoo_cards_version() -> str:
    try:
        return version("zoo-cards")
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


_FINGERPRINT_LOCK = threading.Lock()


def rules_fingerprint() -> str:
    """sha256 of the measuring code's syntax tree (comments and formatting do not count) and of
    the Probe's schema; read from the source files, so the parent never imports OpenVINO."""
    with _FINGERPRINT_LOCK:  # CPython 3.11's ast.parse is not safe in two threads at once
        return _rules_fingerprint()


@functools.cache
def _rules_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in RULE_MODULES:
        source = Path(__file__).with_name(name).read_text(encoding="utf-8")
        digest.update(ast.dump(ast.parse(source)).encode())
    digest.update(json.dumps(Probe.model_json_schema(), sort_keys=True).encode())
    return digest.hexdigest()


def probe_key(job: ProbeJob, files: dict[str, str]) -> str:
    """sha256 over the IR files' hashes, the documented tensors, the device, the counting
    convention and the versions."""
    material = {
        "zoo-cards": zoo_cards_version(),
        "rules": rules_fingerprint(),
        "openvino": openvino_version(),
        "device": job.device,
        "convention": job.convention,
        "benchmark": job.benchmark,
        "benchmark_hint": job.benchmark_hint if job.benchmark else None,
        "files": files,
        "inputs": [[t.name, t.shape] for t in job.inputs],
        "outputs": [t.name for t in job.outputs],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def key_path() -> Path:
    """Where this user's cache key lives: the user cache folder, whatever `--cache` says."""
    return USER_CACHE / KEY_NAME


def cache_key(path: Path) -> bytes | None:
    """This user's secret key, made on first use; None when none can be read or made (then
    nothing is cached). A key that is not a private regular file of ours is replaced."""
    if (key := valid_key(path)) is not None:
        return key
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_NAME}.")  # 0600
        try:
            key = secrets.token_bytes(KEY_BYTES)
            with os.fdopen(handle, "wb") as stream:
                stream.write(key)
            try:
                os.link(temporary, path)  # the first run to get here makes the key
            except FileExistsError:
                if (made := valid_key(path)) is not None:
                    return made  # by a parallel run
                os.replace(temporary, path)  # a bad one: ours replaces it
            return key
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        return None


def valid_key(path: Path) -> bytes | None:
    """The key at `path` if it is a regular file of ours that nobody else can read."""
    try:
        data = read_regular(path, KEY_BYTES)
        info = path.lstat()
    except (OSError, ValueError):
        return None
    private = info.st_mode & 0o077 == 0 and info.st_uid == getattr(os, "getuid", int)()
    return data if private and len(data) == KEY_BYTES else None


class ValidationCache:
    """Probes as `<dir>/<key>.json`: an HMAC line, then the probe. A missing, unreadable,
    oversized or unauthenticated entry is a miss, never an error and never a verdict."""

    def __init__(self, directory: Path | None, key_file: Path | None = None) -> None:
        self.secret = cache_key(key_file or key_path()) if directory is not None else None
        self.directory = directory if self.secret is not None else None
        self.hashes: dict[str, tuple[int, int, int, int, str]] = {}
        self.lock = threading.Lock()
        self.dirty = False
        if (data := self._read(HASHES_FILE)) is not None:
            with contextlib.suppress(ValueError):
                self.hashes = Stamps.validate_json(data)

    def _mac(self, name: str, data: bytes) -> str:
        assert self.secret is not None
        return hmac.new(self.secret, name.encode() + b"\n" + data, hashlib.sha256).hexdigest()

    def _read(self, name: str) -> bytes | None:
        """The authenticated content of `name`, or None."""
        if self.directory is None:
            return None
        try:
            data = read_regular(self.directory / name, MAX_ENTRY_BYTES)
        except (OSError, ValueError):
            return None
        mac, _, content = data.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(name, content).encode()):
            return None
        return content

    def _write(self, name: str, content: str) -> None:
        if self.directory is not None:
            mac = self._mac(name, content.encode())
            with contextlib.suppress(OSError):  # a cache we cannot write only costs time
                write_atomic(self.directory / name, f"{mac}\n{content}")

    def load(self, key: str) -> Probe | None:
        if (data := self._read(f"{key}.json")) is None:
            return None
        try:
            return Probe.model_validate_json(data)
        except ValueError:
            return None

    def store(self, key: str, probe: Probe) -> None:
        self._write(f"{key}.json", probe.model_dump_json())

    def sha256(self, path: Path) -> str:
        """The file's sha256, read only if its size, mtime, ctime or inode changed."""
        info = path.stat()
        stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        where = str(path.resolve())
        with self.lock:
            known = self.hashes.get(where)
        if known and known[:4] == stamp:
            return known[4]
        digest = file_digest(path, "sha256")
        if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
            with self.lock:
                self.hashes[where] = (*stamp, digest)
                self.dirty = True
        return digest

    def save(self) -> None:
        """Keep the file hashes for the next run."""
        if self.directory is not None and self.dirty:
            with self.lock:
                text = json.dumps(self.hashes, indent=0, sort_keys=True)
            self._write(HASHES_FILE, text)
