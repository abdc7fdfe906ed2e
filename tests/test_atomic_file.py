"""write_atomic: the whole text or the old file, never half; permissions kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.atomic_file import NEW_FILE_MODE, write_atomic


def test_new_file_in_new_folder_gets_the_usual_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "report.json"
    write_atomic(path, "one\r\ntwo\n")
    assert path.read_bytes() == b"one\r\ntwo\n"  # newlines as given
    assert path.stat().st_mode & 0o7777 == NEW_FILE_MODE
    assert os.listdir(path.parent) == ["report.json"]


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o7777 == 0o640


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "half \udcff")  # a lone surrogate cannot be encoded
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["model.yml"]
