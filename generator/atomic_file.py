"""Replace a file all at once: readers (parallel runs, the site build) never see half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# mkstemp creates 0600; a new file gets what open() would give it (read once: umask has no getter)
_UMASK = os.umask(0)
os.umask(_UMASK)
NEW_FILE_MODE = 0o666 & ~_UMASK


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a uniquely named temporary file beside `path`, then rename it over `path`.

    Missing folders are created; an existing file keeps its permission bits, a new one gets the
    usual ones; the text is written as given (UTF-8, newlines untouched); on failure `path` is
    left as it was. Bytes are written as they are.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
