"""`zoo fetch`: download the model files a card lists, verified, from untrusted cards and servers.

http(s) only, sizes and deadlines enforced while bytes stream, Content-Range checked on resume,
plain file names, and a lock per file in the content-addressed cache so concurrent runs are safe.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import os
import re
import secrets
import shutil
import stat
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

from generator.cards.card_paths import OutsideCard, card_path, plain_file_name
from generator.cards.catalog import CardSource
from generator.cards.schema import FileEntry
from generator.model_files import file_digest
from generator.safe_text import printable

CHUNK = 1 << 16
SCHEMES = ("http", "https")
Progress = Callable[[str, int, int | None], None]  # (file, bytes so far, total or None)


class FetchError(Exception):
    """A file that could not be fetched or verified, for good: the message says why."""


class _Retry(Exception):
    """A response that ended early or was refused in a way worth trying again."""


class _Cancelled(Exception):
    """The run was interrupted: stop now, keep the partial file to resume."""


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
    stall: float = 30.0  # seconds without a byte before an attempt is given up
    deadline: float = 3600.0  # seconds for one file, every attempt and backoff included
    max_size: int = 16 << 30  # bytes, for a file whose card gives no size
    cancel: threading.Event = field(default_factory=threading.Event, compare=False)


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
    reporting = threading.Lock()  # one `done` at a time: its lines must not interleave

    def one(item: tuple[CardSource, FileEntry]) -> FetchResult:
        source, entry = item
        result = fetch_file(source.name, source.folder, entry, options, progress)
        if done:
            with reporting:
                done(f"{result.card}/{printable(result.file)}: {result.status}")
        return result

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        return list(pool.map(one, work))
    except KeyboardInterrupt:
        options.cancel.set()  # running downloads stop at their next read
        raise
    finally:
        pool.shutdown(cancel_futures=True)


def fetch_file(
    card: str,
    folder: Path,
    entry: FileEntry,
    options: FetchOptions,
    progress: Progress | None = None,
) -> FetchResult:
    """Fetch one `files:` entry of the card in `folder`; every failure is a one-line result."""
    name = entry.name

    def failed(message: str) -> FetchResult:
        return FetchResult(card, name, "failed", printable(message))

    if why := plain_file_name(name):
        return failed(why)
    try:
        target = card_path(folder, name)
        if entry.checksum and _regular_file(target) and verified(target, entry):
            return FetchResult(card, name, "present", size=target.stat().st_size)
    except OutsideCard as error:
        return failed(str(error))
    except OSError as error:
        return failed(f"{name}: cannot read it in the card folder: {_reason(error)}")
    if entry.url is None:
        return FetchResult(card, name, "skipped", "no url in the card")
    try:
        url = checked_url(str(entry.url))
        cached, was_cached = download_to_cache(entry, url, options, progress)
        place(cached, card_path(folder, name))
    except (FetchError, OutsideCard) as error:
        return failed(f"{name}: {error}")
    except ValueError as error:  # urllib on a hostile redirect's URL, say
        return failed(f"{name}: {error}")
    except OSError as error:  # the disk, not the server: cache or card folder unwritable
        return failed(f"{name}: {_reason(error)}")
    status = "cached" if was_cached else "downloaded"
    return FetchResult(card, name, status, size=cached.stat().st_size)


def checked_url(url: str) -> str:
    """`url` when it is an absolute http(s) URL, else FetchError: nothing is opened before."""
    if any(not 32 < ord(char) < 127 for char in url):
        raise FetchError(f"url {url!r} has spaces, control or non-ASCII characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise FetchError(f"url {url!r} is malformed: {error}") from None
    if not parts.scheme:
        raise FetchError(f"url {url!r} has no scheme: give an http(s) URL")
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"url {url!r}: only http and https are fetched, not {parts.scheme}:")
    if not parts.hostname:
        raise FetchError(f"url {url!r} has no host")
    return url


def verified(path: Path, entry: FileEntry) -> bool:
    if entry.size is not None and path.stat().st_size != entry.size:
        return False
    checksum = entry.checksum
    if checksum is None:
        return True
    algorithm, expected = checksum
    return file_digest(path, algorithm) == expected


def download_to_cache(
    entry: FileEntry, url: str, options: FetchOptions, progress: Progress | None
) -> tuple[Path, bool]:
    """Return (path in cache, whether it was already there)."""
    algorithm, expected = entry.checksum or ("sha256", None)
    final = options.cache / algorithm / (expected or "-")
    if expected is not None and _regular_file(final) and verified(final, entry):
        return final, True
    key = expected or "url-" + hashlib.sha256(url.encode()).hexdigest()[:32]
    # two cards, threads or `zoo fetch` processes may want the same file: one downloads it
    with _cache_lock(options, key):
        if expected is not None and _regular_file(final) and verified(final, entry):
            return final, True
        partial = _cache_folder(options.cache, "partial") / key
        try:
            digest = _download(entry, url, partial, algorithm, expected, options, progress)
            final = _cache_folder(options.cache, algorithm) / digest
            os.replace(partial, final)
        except (FetchError, OSError, ValueError):
            partial.unlink(missing_ok=True)  # Ctrl-C keeps it, to resume
            raise
        return final, False


def _download(
    entry: FileEntry,
    url: str,
    partial: Path,
    algorithm: str,
    expected: str | None,
    options: FetchOptions,
    progress: Progress | None,
) -> str:
    """Bring `partial` to the whole verified file; return its digest."""
    deadline = time.monotonic() + options.deadline
    delay = options.backoff
    attempt = 0
    while True:
        attempt += 1
        try:
            digest, resumed = _stream(entry, url, partial, algorithm, options, deadline, progress)
        except urllib.error.HTTPError as error:
            error.close()  # its body is not wanted: free the connection
            if error.code < 500:
                raise FetchError(f"HTTP {error.code} from {url}") from None
            reason: BaseException = error
        except (OSError, http.client.HTTPException, _Retry) as error:
            reason = error
        else:
            if expected is None or digest == expected:
                return digest
            partial.unlink()
            if not resumed:  # a resumed file may have kept someone else's bytes: once more
                raise FetchError(f"{algorithm} expected {expected}, got {digest}")
            reason = _Retry(f"{algorithm} of the resumed file was {digest}")
        if attempt > options.retries:
            raise FetchError(f"failed after {attempt} attempts: {_reason(reason)}")
        if time.monotonic() + delay >= deadline:
            raise FetchError(f"no complete file within the {options.deadline:g} s deadline")
        if options.cancel.wait(delay):
            raise _Cancelled
        delay *= 2


def _stream(
    entry: FileEntry,
    url: str,
    partial: Path,
    algorithm: str,
    options: FetchOptions,
    deadline: float,
    progress: Progress | None,
) -> tuple[str, bool]:
    """Append the rest of the file to `partial`; return (digest of the whole, resumed or not)."""
    limit = entry.size if entry.size is not None else options.max_size
    have = _partial_size(partial)
    if have > limit:
        have = 0
    if have and have == entry.size:  # complete already: an earlier run stopped before the rename
        return file_digest(partial, algorithm), True
    request = urllib.request.Request(url, headers={"User-Agent": "zoo-cards"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    with _OPENER.open(request, timeout=_wait(options, deadline)) as response:
        length = _content_length(response.headers)
        if response.status == 206 and have:
            wrong = _wrong_range(response.headers, have, length, entry.size, limit)
            if wrong:  # never append at an offset we did not ask for: start from zero
                partial.unlink()
                raise _Retry(f"{wrong} for a resume from byte {have}")
        elif response.status != 200:
            raise FetchError(f"HTTP {response.status} from {url}: expected 200")
        else:
            have = 0  # a whole file: the server ignored Range, or there was nothing to resume
        total = None if length is None else have + length
        if total is not None and entry.size is not None and total != entry.size:
            raise FetchError(f"the server sends {total} bytes, the card's size is {entry.size}")
        if total is not None and total > limit:
            raise FetchError(f"the server sends {total} bytes, over the {limit} byte limit")
        if have:  # the digest goes on from the bytes already here
            with partial.open("rb") as stream:
                hasher = hashlib.file_digest(stream, algorithm)
        else:
            hasher = hashlib.new(algorithm)
        flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_APPEND if have else os.O_TRUNC)
        done = have
        with os.fdopen(os.open(partial, flags, 0o644), "wb") as out:
            while chunk := response.read1(min(CHUNK, limit - done + 1)):
                # read1: keep what arrived before a stall; one byte over the limit is enough
                if done + len(chunk) > limit:
                    raise FetchError(f"the server sends more than {limit} bytes")
                out.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                if progress:
                    progress(entry.name, done, total or entry.size)
                if options.cancel.is_set():
                    raise _Cancelled
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"no complete file within the {options.deadline:g} s deadline"
                        f" ({done} bytes so far)"
                    )
    whole = total if total is not None else entry.size
    if whole is not None and done < whole:
        raise _Retry(f"connection closed after {done} of {whole} bytes")
    return hasher.hexdigest(), have > 0


def _wait(options: FetchOptions, deadline: float) -> float:
    """Seconds a connect or a read may block: the stall timeout, cut to the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"no complete file within the {options.deadline:g} s deadline")
    return min(options.stall, left)


def _content_length(headers: Message) -> int | None:
    values = {value.strip() for value in headers.get_all("Content-Length") or []}
    if not values:
        return None
    if len(values) > 1 or not all(value.isdigit() and value.isascii() for value in values):
        raise FetchError(f"bad Content-Length '{printable(', '.join(sorted(values)))}'")
    return int(values.pop())


def _wrong_range(
    headers: Message, have: int, length: int | None, size: int | None, limit: int
) -> str | None:
    """What is wrong with the Content-Range of a 206 answering `Range: bytes=<have>-`."""
    header = headers.get("Content-Range", "")
    match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", header.strip(), re.ASCII)
    if not match:
        return f"bad Content-Range '{printable(header)}'"
    start, end, total = (int(group) for group in match.groups())
    if (
        start != have
        or end != total - 1
        or (size is not None and total != size)
        or total > limit
        or (length is not None and length != end - start + 1)
    ):
        return f"wrong Content-Range '{printable(header)}'"
    return None


def place(cached: Path, target: Path) -> None:
    """Put a verified file at `target` atomically: a hard link when possible, else a copy.

    The temporary name is unique, so runs placing the same file do not trip on each other."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.zoo-tmp")
    try:
        try:
            os.link(cached, temporary)
        except OSError:
            with cached.open("rb") as source, temporary.open("xb") as copy:
                shutil.copyfileobj(source, copy)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def _cache_lock(options: FetchOptions, key: str) -> Iterator[None]:
    """An exclusive lock on `key`, between threads (an open file each) and processes.

    Waiting is bounded by the deadline (a stopped holder must not hang us) and by Ctrl-C."""
    path = _cache_folder(options.cache, "locks") / f"{key}.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        deadline = time.monotonic() + options.deadline
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"another download of this file held its lock for the whole"
                        f" {options.deadline:g} s deadline"
                    ) from None
                if options.cancel.wait(0.05):
                    raise _Cancelled from None
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _cache_folder(cache: Path, name: str) -> Path:
    """`cache/name`, created; a symlink there (a cache is input too) is refused."""
    folder = cache / name
    folder.mkdir(parents=True, exist_ok=True)
    if folder.is_symlink():
        raise FetchError(f"cache folder {folder} is a symlink")
    return folder


def _regular_file(path: Path) -> bool:
    """True for a regular file that is not a symlink (a symlink may point anywhere)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _partial_size(partial: Path) -> int:
    try:
        info = os.lstat(partial)
    except FileNotFoundError:
        return 0
    if not stat.S_ISREG(info.st_mode):
        partial.unlink()  # a symlink or the like: never written through
        return 0
    return info.st_size


class _HttpRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects only to http(s): urllib alone follows ftp: and fails file: with a bare 30x."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("Location") or headers.get("URI")
        if location:
            try:
                target = urljoin(req.full_url, location.strip())
                scheme = urlsplit(target).scheme.lower()
            except ValueError:
                target, scheme = location, "malformed"
            if scheme not in SCHEMES:
                fp.close()
                why = "malformed" if scheme == "malformed" else "not http(s)"
                raise FetchError(f"refused a redirect to '{printable(target)}': {why}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """An opener with http(s) handlers only: no file:, ftp: or data: even by mistake."""
    opener = urllib.request.OpenerDirector()
    handlers = (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpRedirects(),
        urllib.request.HTTPErrorProcessor(),
    )
    for handler in handlers:
        opener.add_handler(handler)
    return opener


_OPENER = _opener()


def parse_size(text: str) -> int:
    """'16G', '500M', '64K' or a number of bytes -> bytes; ValueError otherwise."""
    match = re.fullmatch(r"(\d+)(?:([KMG])i?)?B?", text.strip(), re.ASCII | re.IGNORECASE)
    if not match or int(match[1]) == 0:
        raise ValueError(f"{text!r} is not a size such as 16G, 500M or 1048576")
    return int(match[1]) << {None: 0, "K": 10, "M": 20, "G": 30}[match[2] and match[2].upper()]


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error) or type(error).__name__
