"""Files of a model on disk: an IR's files, and checksums read in chunks."""

from __future__ import annotations

import hashlib
from pathlib import Path


def ir_files(xml: Path) -> list[Path]:
    """The IR's .xml and, when present, the .bin of its weights."""
    weights = xml.with_suffix(".bin")
    return [xml, weights] if weights.exists() else [xml]


def file_digest(path: Path, algorithm: str) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, algorithm).hexdigest()
