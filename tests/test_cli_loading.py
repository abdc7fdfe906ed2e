"""The CLI loads only what a command needs: `zoo --help` no stage, `zoo info NAME` one card."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, write_card
from generator.cards import catalog
from generator.cli import main

PROBE = """
import contextlib, io, sys
from generator.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(["--help"])
print(sorted(m for m in sys.modules if m.startswith(("generator.cards.catalog", "pydantic",
      "openvino", "generator.validation.validate", "generator.site.render"))))
"""


def test_help_imports_no_stage() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_info_of_one_card_reads_only_that_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    cards = tmp_path / "cards"
    for name in ("alpha", "beta", "gamma"):
        write_card(cards, name, f"name: {name}\ntask: classification\ndescription: {name}.\n")
    read: list[str] = []
    load_card = catalog.load_card

    def recording(folder: Path):
        read.append(folder.name)
        return load_card(folder)

    monkeypatch.setattr(catalog, "load_card", recording)
    assert main(["info", "beta", "--cards", str(cards)]) == 0
    assert '"name": "beta"' in capsys.readouterr().out
    assert read == ["beta"]
    # a name that is no card of its own folder still gets the catalog's answer
    assert main(["info", "betta", "--cards", str(cards)]) == 2
    assert "unknown model 'betta' (did you mean 'beta'?)" in capsys.readouterr().err
