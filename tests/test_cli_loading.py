"""The CLI loads only what a command needs: `zoo --help` no stage, `zoo info NAME` one card."""

from __future__ import annotations

import os
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


def test_a_card_that_is_no_file_is_one_finding_each(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    (tmp_path / "folder" / "model.yml").mkdir(parents=True)
    (tmp_path / "fifo").mkdir()
    os.mkfifo(tmp_path / "fifo" / "model.yml")  # never opened: reading one would wait forever
    (tmp_path / "link").mkdir()
    (tmp_path / "link" / "model.yml").symlink_to(tmp_path / "folder" / "model.yml")
    assert main(["check", "--cards", str(tmp_path)]) == 1
    lines = sorted(capsys.readouterr().out.splitlines())
    assert [line.split(": ", 1)[1] for line in lines] == [
        "unreadable model.yml is not a regular file",
        "unreadable model.yml is not a regular file",
        "outside-card path 'model.yml' goes through a symlink",
    ]
    assert [line.split(":", 1)[0].split("/")[-2] for line in lines] == ["fifo", "folder", "link"]


def test_findings_of_a_card_point_at_their_lines(tmp_path: Path) -> None:
    # positions are read again only for a card with findings: they must still be exact
    text = (
        "name: m\ntask: detection\ndescription: M.\n"
        'inputs:\n  - name: "a\\x1bb"\n    shape: [1, 0]\n'
        "year: 1800\n"
    )
    write_card(tmp_path, "m", text)
    findings = sorted(catalog.load_catalog(tmp_path).findings)
    assert [(f.line, f.col, f.code) for f in findings] == [
        (5, 11, "control-char"),
        (6, 12, "bad-dim"),
        (7, 7, "invalid-value"),
    ]
    write_card(tmp_path, "m", text.replace("\\x1b", ""))
    findings = sorted(catalog.load_catalog(tmp_path).findings)
    assert [(f.line, f.col, f.code) for f in findings] == [
        (6, 12, "bad-dim"),
        (7, 7, "invalid-value"),
    ]


def test_loaded_cards_share_what_repeats_and_stay_whole(tmp_path: Path) -> None:
    text = "name: {0}\ntask: detection\ndescription: '{0}.'\ninputs: [{{shape: [1, 3]}}]\n"
    for name in ("a", "b"):
        write_card(tmp_path, name, text.format(name))
    a, b = (source.card for source in catalog.load_catalog(tmp_path).cards)
    assert a.inputs[0].model_fields_set is b.inputs[0].model_fields_set  # one set of key names
    assert a.model_fields_set == {"name", "task", "description", "inputs"}
    changed = a.model_copy(update={"year": 2000})  # pydantic copies the set before changing it
    assert "year" in changed.model_fields_set and "year" not in b.model_fields_set
    assert a.model_dump(exclude_unset=True)["inputs"] == [{"shape": [1, 3]}]
