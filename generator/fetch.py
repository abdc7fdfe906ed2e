"""`zoo fetch`: download the model files a card lists, verified against their checksums.

Downloads stream into a content-addressed cache (one copy per checksum), resume with HTTP
Range after an interruption, retry with backoff, and only ever place verified files.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.catalog import CardSource
from generator.model_files import file_digest
from generator.schema import FileEntry

CHUNK = 1 << 16
Progress = Callable[[str, int, int | None], None]  # (file, bytes so far, total or None)


class FetchError(Exception):
    """A file that could not be fetched or verified; the message names it."""


@dataclass(frozen=True)
class FetchResult:
    card: str
    file: str
    status: Literal["downloaded", "cached", "present", "skipped", "failed"]
    message: str = ""
    size: int = 0


@dataclass(frozen=True)
class FetchOptions:
    cache: Path
    retries: int = 4
    backoff: float = 0.5  # seconds, doubled after each failed attempt
    timeout: float = 30.0


def fetch_catalog(
    sources: Iterable[CardSource],
    options: FetchOptions,
    jobs: int = 4,
    progress: Progress | None = None,
    done: Callable[[str], None] | None = None,
) -> list[FetchResult]:
    """Fetch every file of every card; failures are results, the others still run.

    `progress` hears about bytes as they stream, `done` about each finished file."""
    work = [(source, entry) for source in sources for entry in source.card.files]

    def one(item: tuple[CardSource, FileEntry]) -> FetchResult:
        result = fetch_entry(item[0], item[1], options, progress)
        if done:
            done(f"{result.card}/{result.file}: {result.status}")
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, work))


def fetch_entry(
    source: CardSource, entry: FileEntry, options: FetchOptions, progress: Progress | None = None
) -> FetchResult:
    target = source.folder / entry.name
    if not target.resolve().is_relative_to(source.folder.resolve()):
        return FetchResult(source.name, entry.name, "failed", "file name leaves the card folder")
    checksum = entry.checksum
    if target.is_file() and checksum and verified(target, entry):
        return FetchResult(source.name, entry.name, "present", size=target.stat().st_size)
    if entry.url is None:
        return FetchResult(source.name, entry.name, "skipped", "no url in the card")
    try:
        cached, was_cached = download_to_cache(entry, options, progress)
    except FetchError as error:
        return FetchResult(source.name, entry.name, "failed", str(error))
    place(cached, target)
    status = "cached" if was_cached else "downloaded"
    return FetchResult(source.name, entry.name, status, size=cached.stat().st_size)


def verified(path: Path, entry: FileEntry) -> bool:
    if entry.size is not None and path.stat().st_size != entry.size:
        return False
    checksum = entry.checksum
    if checksum is None:
        return True
    algorithm, expected = checksum
    return file_digest(path, algorithm) == expected


def download_to_cache(
    entry: FileEntry, options: FetchOptions, progress: Progress | None
) -> tuple[Path, bool]:
    """Return (path in cache, whether it was already there)."""
    algorithm, expected = entry.checksum or ("sha256", None)
    final = options.cache / algorithm / (expected or "-")
    if expected is not None and final.is_file() and verified(final, entry):
        return final, True
    partial = options.cache / "partial" / (expected or _url_key(entry.url or ""))
    partial.parent.mkdir(parents=True, exist_ok=True)
    with _lock(partial):  # two cards may list the same file: download it once
        if expected is not None and final.is_file() and verified(final, entry):
            return final, True
        return _download(entry, partial, algorithm, expected, options, progress), False


def _download(
    entry: FileEntry,
    partial: Path,
    algorithm: str,
    expected: str | None,
    options: FetchOptions,
    progress: Progress | None,
) -> Path:
    delay = options.backoff
    for attempt in range(options.retries + 1):
        try:
            digest = _stream(entry, partial, algorithm, options.timeout, progress)
            break
        except (OSError, http.client.HTTPException, _Retry) as error:
            if isinstance(error, urllib.error.HTTPError) and error.code < 500:
                partial.unlink(missing_ok=True)
                raise FetchError(f"{entry.name}: HTTP {error.code} from {entry.url}") from None
            if attempt == options.retries:
                raise FetchError(
                    f"{entry.name}: failed after {attempt + 1} attempts: {_reason(error)}"
                ) from None
            time.sleep(delay)
            delay *= 2
    size = partial.stat().st_size
    if entry.size is not None and size != entry.size:
        partial.unlink()
        raise FetchError(f"{entry.name}: expected {entry.size} bytes, got {size}")
    if expected is not None and digest != expected:
        partial.unlink()
        raise FetchError(f"{entry.name}: {algorithm} expected {expected}, got {digest}")
    final = options.cache / algorithm / digest
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, final)
    return final


class _Retry(Exception):
    """A response that ended early or was refused in a way worth trying again."""


def _stream(
    entry: FileEntry, partial: Path, algorithm: str, timeout: float, progress: Progress | None
) -> str:
    """Append the rest of the file to `partial`; return the digest of the whole file."""
    have = partial.stat().st_size if partial.exists() else 0
    request = urllib.request.Request(entry.url or "", headers={"User-Agent": "zoo-cards"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if have and response.status != 206:  # server ignored Range: start over
            have = 0
        if have:  # the digest goes on from the bytes already here
            with partial.open("rb") as stream:
                hasher = hashlib.file_digest(stream, algorithm)
        else:
            hasher = hashlib.new(algorithm)
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else entry.size
        with partial.open("ab" if have else "wb") as out:
            done = have
            while chunk := response.read1(CHUNK):  # read1: keep what arrived before a stall
                out.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                if progress:
                    progress(entry.name, done, total)
    if total is not None and done < total:
        raise _Retry(f"connection closed after {done} of {total} bytes")
    return hasher.hexdigest()


def place(cached: Path, target: Path) -> None:
    """Put a verified file at `target` atomically: a hard link when possible, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.zoo-tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(cached, temporary)
    except OSError:
        shutil.copyfile(cached, temporary)
    os.replace(temporary, target)


_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def _url_key(url: str) -> str:
    return "url-" + hashlib.sha256(url.encode()).hexdigest()[:32]


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
