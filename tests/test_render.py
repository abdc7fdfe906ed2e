"""`zoo render OUT`: the files the plugin serves, written into a folder; only what changed is
rewritten, only what it wrote is removed, a file it did not write is never touched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, ROOT, write_card
from generator.cards.catalog import load_catalog
from generator.cli import main
from generator.site.site_files import site_files
from generator.site.site_folder import MANIFEST_NAME

CARD = "name: {name}\ntask: classification\ndescription: Model {name}.\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def render(tmp_path: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, str]:
    code = main(["render", str(tmp_path / "out"), "--cards", str(tmp_path / "cards"), *extra])
    return code, capsys.readouterr().err


def zoo(tmp_path: Path, *names: str) -> Path:
    for name in names:
        write_card(tmp_path / "cards", name, CARD.format(name=name))
    return tmp_path / "out"


def test_render_writes_what_the_plugin_serves(tmp_path: Path, capsys) -> None:
    out = zoo(tmp_path, "alpha", "beta")
    code, err = render(tmp_path, capsys)
    assert code == 0, err
    catalog = load_catalog(tmp_path / "cards")
    files = site_files(catalog, [], None)
    for file in files:
        assert (out / file.uri).read_bytes() == file.data(), file.uri
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == {file.uri for file in files} | {MANIFEST_NAME}
    assert f"{len(files)} written, 0 unchanged, 0 removed" in err
    assert "Model alpha." in (out / "models" / "alpha" / "index.md").read_text()


def test_render_changes_only_what_changed(tmp_path: Path, capsys) -> None:
    out = zoo(tmp_path, "alpha", "beta")
    assert render(tmp_path, capsys)[0] == 0
    page = out / "models" / "alpha" / "index.md"
    catalog_js = out / "javascripts" / "catalog.js"
    past = time.time() - 1000
    for path in (page, catalog_js, out / "models.json"):
        os.utime(path, (past, past))
    foreign = out / "notes.md"
    foreign.write_text("# mine\n")
    (out / "models" / "beta" / "mine.txt").write_text("mine too\n")
    write_card(tmp_path / "cards", "alpha", CARD.format(name="alpha") + "year: 2020\n")
    (tmp_path / "cards" / "beta" / "model.yml").unlink()
    (tmp_path / "cards" / "beta").rmdir()

    code, err = render(tmp_path, capsys)
    assert code == 0, err
    assert page.stat().st_mtime == pytest.approx(past)  # the page of alpha shows no year
    assert catalog_js.stat().st_mtime == pytest.approx(past)
    assert out.joinpath("models.json").stat().st_mtime > past + 500  # the year is in the data
    assert not (out / "models" / "beta" / "index.md").exists()
    assert (out / "models" / "beta" / "mine.txt").read_text() == "mine too\n"
    assert foreign.read_text() == "# mine\n"
    assert "removed" in err and ", 1 removed" in err
    listed = json.loads((out / MANIFEST_NAME).read_text())["files"]
    assert "models/beta/index.md" not in listed and "models/alpha/index.md" in listed

    # a card with nothing left beside its page: its folder goes with it
    (out / "models" / "beta" / "mine.txt").unlink()
    write_card(tmp_path / "cards", "gamma", CARD.format(name="gamma"))
    assert render(tmp_path, capsys)[0] == 0
    (tmp_path / "cards" / "gamma" / "model.yml").unlink()
    (tmp_path / "cards" / "gamma").rmdir()
    assert render(tmp_path, capsys)[0] == 0
    assert not (out / "models" / "gamma").exists()


def test_a_file_render_did_not_write_is_never_replaced(tmp_path: Path, capsys) -> None:
    out = zoo(tmp_path, "alpha")
    (out / "models" / "alpha").mkdir(parents=True)
    (out / "models" / "alpha" / "index.md").write_text("# Hand-written\n")
    code, err = render(tmp_path, capsys)
    assert code == 2
    assert f"{out}/models/alpha/index.md: not written by zoo render" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (out / "models" / "alpha" / "index.md").read_text() == "# Hand-written\n"
    assert not (out / "catalog.md").exists()


def test_out_inside_the_cards_folder_is_refused(tmp_path: Path, capsys) -> None:
    zoo(tmp_path, "alpha")
    code = main(["render", str(tmp_path / "cards" / "site"), "--cards", str(tmp_path / "cards")])
    err = capsys.readouterr().err
    assert code == 2
    assert "is inside the cards folder" in err and "Traceback" not in err
    assert not (tmp_path / "cards" / "site").exists()
    # nor may a generated file land in a card folder (cards named like the models/ tree)
    write_card(tmp_path / "models", "alpha", CARD.format(name="alpha"))
    code = main(["render", str(tmp_path), "--cards", str(tmp_path / "models")])
    assert code == 2
    assert "would be written inside the cards folder" in capsys.readouterr().err
    assert not (tmp_path / "models" / "alpha" / "index.md").exists()


def test_a_forged_manifest_cannot_remove_other_files(tmp_path: Path, capsys) -> None:
    out = zoo(tmp_path, "alpha")
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    (out / MANIFEST_NAME).write_text(json.dumps({"files": ["../victim.txt"]}))
    code, err = render(tmp_path, capsys)
    assert code == 2
    assert f"{out / MANIFEST_NAME}: not a manifest of zoo render" in err
    assert victim.read_text() == "keep\n"


def test_broken_cards_write_nothing(tmp_path: Path, capsys) -> None:
    zoo(tmp_path, "alpha")
    write_card(tmp_path / "cards", "broken", "name: other\ntask: classification\n")
    code, err = render(tmp_path, capsys)
    assert code == 1
    assert "nothing written" in err
    assert not (tmp_path / "out").exists()


def test_template_overrides_and_template_errors(tmp_path: Path, capsys) -> None:
    out = zoo(tmp_path, "alpha")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "citations.md.j2").write_text("# Our papers\n")
    code, err = render(tmp_path, capsys, "--templates", str(templates))
    assert code == 0, err
    assert (out / "citations.md").read_text() == "# Our papers\n"
    assert (out / "overview.md").read_bytes() == (out / "overview.md").read_bytes()
    assert "alpha" in (out / "overview.md").read_text()  # the packaged template
    (templates / "citations.md.j2").write_text("# Our papers\n{% for x in %}\n")
    code, err = render(tmp_path, capsys, "--templates", str(templates))
    assert code == 2
    assert f"{templates / 'citations.md.j2'}:2:" in err and "Traceback" not in err
    assert (out / "citations.md").read_text() == "# Our papers\n"


def test_watch_renders_each_change_and_ends_on_ctrl_c(tmp_path: Path) -> None:
    out = zoo(tmp_path, "alpha")
    process = subprocess.Popen(
        [BIN / "zoo", "render", out, "--cards", tmp_path / "cards", "--watch"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        wait_for(lambda: (out / MANIFEST_NAME).exists())
        write_card(tmp_path / "cards", "beta", CARD.format(name="beta"))
        wait_for(lambda: (out / "models" / "beta" / "index.md").exists())
        write_card(tmp_path / "cards", "beta", "name: wrong\ntask: classification\n")
        time.sleep(1)  # a broken card is reported, the watch goes on
        write_card(tmp_path / "cards", "beta", CARD.format(name="beta").replace("Model", "Now"))
        wait_for(lambda: "Now beta." in (out / "models" / "beta" / "index.md").read_text())
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped watching" in err and "nothing written" in err
    assert "Traceback" not in err


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
