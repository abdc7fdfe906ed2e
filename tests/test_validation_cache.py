"""The validation cache cannot be forged: it lives outside the checkout, every entry is
authenticated with this user's key, and a change to the measuring rules measures again."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import irs
import pytest
from test_validate import CARD, add_model

from conftest import ROOT, write_card
from generator.cli import build_parser
from generator.plugin import ZooConfig
from generator.validation.conventions import DEFAULT_CONVENTION
from generator.validation.results import Probe, read_report
from generator.validation.validation_cache import (
    DEFAULT_CACHE,
    KEY_NAME,
    ValidationCache,
    cache_key,
)


def zoo(cwd: Path, xdg: Path, *args: str, pythonpath: Path = ROOT) -> subprocess.CompletedProcess:
    """`zoo ARGS` as a user runs it, with its user cache folder in `xdg`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def statuses(report: Path) -> dict[str, tuple[str, bool]]:
    return {r.name: (r.status, r.cached) for r in read_report(report).results}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A pull request's checkout: a card whose figures are false, and a true one."""
    repo = tmp_path / "checkout"
    add_model(repo / "model_cards", "liar", ("gflops: 0.00498", "gflops: 9.5"))
    add_model(repo / "model_cards", "honest")
    return repo


def entries(cache: Path) -> list[Path]:
    return sorted(path for path in cache.glob("*.json") if path.name != "file-hashes.json")


def test_default_cache_is_the_users_cache_folder_for_cli_and_site(
    checkout: Path, tmp_path: Path
) -> None:
    assert build_parser().parse_args(["validate"]).cache == DEFAULT_CACHE
    assert dict(ZooConfig._schema)["cache"].default == str(DEFAULT_CACHE)
    assert not DEFAULT_CACHE.is_relative_to(Path.cwd())
    xdg = tmp_path / "xdg"
    done = zoo(checkout, xdg, "validate", "--report", "report.json")
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in checkout.iterdir()) == ["model_cards", "report.json"]
    assert len(entries(xdg / "zoo-cards" / "validation")) == 2
    key = xdg / "zoo-cards" / KEY_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32


def test_forged_entries_are_misses_never_a_verdict(checkout: Path, tmp_path: Path) -> None:
    """An attacker knows the entry format and names, not the key: every forgery is measured
    again, even with --cache pointing into the checkout, where a pull request can put files."""
    xdg, cache = tmp_path / "xdg", checkout / ".zoo-cache" / "validation"
    args = ("validate", "--cache", str(cache), "--report", "report.json")
    assert zoo(checkout, xdg, *args).returncode == 1
    report = checkout / "report.json"
    assert statuses(report) == {"liar": ("failed", False), "honest": ("passed", False)}
    # an entry with its genuine MAC line and a forged probe; the entry format of before
    for index, entry in enumerate(entries(cache)):
        mac, _, probe = entry.read_text().partition("\n")
        forged = json.dumps({**json.loads(probe), "gflops": 9.5})  # what the liar claims
        entry.write_text(f"{mac}\n{forged}" if index % 2 else forged)
    assert zoo(checkout, xdg, *args).returncode == 1
    assert statuses(report) == {"liar": ("failed", False), "honest": ("passed", False)}
    # genuine entries, each under another IR's name
    genuine = {entry.name: entry.read_text() for entry in entries(cache)}
    for name, other in zip(genuine, reversed(genuine), strict=True):
        (cache / name).write_text(genuine[other])
    assert zoo(checkout, xdg, *args).returncode == 1
    assert statuses(report) == {"liar": ("failed", False), "honest": ("passed", False)}


def test_forged_file_hashes_cannot_pass_one_ir_off_as_another(tmp_path: Path) -> None:
    """file-hashes.json maps a path to its sha256: a forged one would make another model's IR
    look like the documented one, and the documented one's cached probe would judge it."""
    cards, xdg, cache = tmp_path / "checkout" / "model_cards", tmp_path / "xdg", tmp_path / "c"
    add_model(cards, "honest")
    impostor = write_card(
        cards, "impostor", CARD.format(name="impostor").replace("impostor.xml", "honest.xml")
    )
    irs.log_of_negative(impostor.parent / "FP32" / "honest.xml")  # not the documented model
    time.sleep(2.1)  # older than the racy window: file hashes are remembered
    args = ("validate", "--cache", str(cache), "--report", "report.json")
    assert zoo(cards.parent, xdg, *args).returncode == 1
    report = cards.parent / "report.json"
    assert statuses(report) == {"impostor": ("failed", False), "honest": ("passed", False)}
    hashes = cache / "file-hashes.json"
    mac, _, text = hashes.read_text().partition("\n")
    table = json.loads(text)
    assert len(table) == 4
    for path in table:
        if "/impostor/" in path:
            table[path][4] = table[path.replace("/impostor/", "/honest/")][4]
    hashes.write_text(f"{mac}\n{json.dumps(table)}")
    assert zoo(cards.parent, xdg, *args).returncode == 1
    assert statuses(report)["impostor"] == ("failed", True)  # its own IR's probe, cached
    [result] = [r for r in read_report(report).results if r.name == "impostor"]
    xml = impostor.parent / "FP32" / "honest.xml"
    assert result.files["honest.xml"] == hashlib.sha256(xml.read_bytes()).hexdigest()


MALFORMED = [b"[]", b'{"x": 5}', b"not json\n{", b"\xff\xfe", b"0" * 64 + b"\n[1, 2]", "fifo",
             "dir", "symlink", "huge"]  # fmt: skip


def plant(target: Path, content: bytes | str) -> None:
    if target.is_dir():
        target.rmdir()
    target.unlink(missing_ok=True)
    if content == "fifo":
        os.mkfifo(target)
    elif content == "dir":
        target.mkdir()
    elif content == "symlink":
        target.symlink_to("/dev/zero")
    elif content == "huge":
        with target.open("wb") as stream:
            stream.truncate(17 * 1024 * 1024)
    else:
        target.write_bytes(content)


def test_malformed_cache_files_are_misses(tmp_path: Path) -> None:
    key, cache = tmp_path / "key", tmp_path / "cache"
    probe = Probe(gflops=1.5)
    ValidationCache(cache, key).store("k", probe)
    assert ValidationCache(cache, key).load("k") == probe
    for content in MALFORMED:
        for name in ("k.json", "file-hashes.json"):
            plant(cache / name, content)
        reopened = ValidationCache(cache, key)
        assert (reopened.load("k"), reopened.hashes) == (None, {}), content
    text = probe.model_dump_json()
    mac = hmac.new(b"k" * 32, f"k.json\n{text}".encode(), hashlib.sha256).hexdigest()
    (cache / "k.json").write_text(f"{mac}\n{text}")  # authenticated, with another key
    assert ValidationCache(cache, key).load("k") is None


def test_malformed_cache_files_are_no_traceback_for_zoo_validate(
    checkout: Path, tmp_path: Path
) -> None:
    xdg, cache = tmp_path / "xdg", tmp_path / "cache"
    args = ("validate", "--cache", str(cache), "honest")
    assert zoo(checkout, xdg, *args).returncode == 0
    [entry] = entries(cache)
    plant(cache / "file-hashes.json", b'{"x": 5}')
    plant(entry, "fifo")
    done = zoo(checkout, xdg, *args)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    assert done.stderr.endswith(": 1 passed, 0 failed, 0 error (0 cached); 0 skipped\n")
    assert "Traceback" not in done.stderr


def test_a_key_someone_else_could_have_written_is_replaced(tmp_path: Path) -> None:
    key = tmp_path / "zoo-cards" / KEY_NAME
    made = cache_key(key)
    assert made is not None and cache_key(key) == made
    key.chmod(0o644)  # as git checks a committed file out
    replaced = cache_key(key)
    assert replaced not in (None, made) and stat.S_IMODE(key.stat().st_mode) == 0o600
    key.unlink()
    (tmp_path / "planted").write_bytes(b"k" * 32)
    (tmp_path / "planted").chmod(0o600)
    key.symlink_to(tmp_path / "planted")
    assert cache_key(key) not in (None, b"k" * 32) and not key.is_symlink()


def test_a_new_cost_rule_measures_again_a_comment_does_not(checkout: Path, tmp_path: Path) -> None:
    """A copy of zoo-cards whose complexity.py gains a rule: no constant bumped, no cache hit."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "generator", copy / "generator")
    xdg, cache = tmp_path / "xdg", tmp_path / "cache"
    args = ("validate", "--cache", str(cache), "--report", "report.json", "honest")

    def cached() -> bool:
        done = zoo(checkout, xdg, *args, pythonpath=copy)
        assert done.returncode == 0, done.stderr
        return statuses(checkout / "report.json")["honest"][1]

    assert not cached()
    rules = copy / "generator" / "validation" / "complexity.py"
    rules.write_text(rules.read_text() + "\n# a comment and formatting only\n\n")
    assert cached()
    text = rules.read_text()
    rules.write_text(text.replace('    "Add": 1,', '    "Add": 1,\n    "Cosh": 4,', 1))
    assert not cached()


def test_the_convention_is_part_of_the_key(checkout: Path, tmp_path: Path) -> None:
    """A probe counted under one convention is never the verdict under another; the CLI and
    the site share the default."""
    parser = build_parser()
    assert parser.parse_args(["validate"]).convention == DEFAULT_CONVENTION
    assert dict(ZooConfig._schema)["convention"].default == DEFAULT_CONVENTION
    xdg, cache = tmp_path / "xdg", tmp_path / "cache"

    def run(*convention: str) -> tuple[bool, str | None]:
        args = ("validate", "--cache", str(cache), "--report", "report.json", *convention)
        done = zoo(checkout, xdg, *args, "honest")
        assert done.returncode == 0, done.stderr
        [result] = read_report(checkout / "report.json").results
        return result.cached, result.convention

    assert run() == (False, "model-analyzer")
    assert run("--convention", "full") == (False, "full")
    assert run("--convention", "full") == (True, "full")
    assert run("--convention", "model-analyzer") == (True, "model-analyzer")
    bad = zoo(checkout, xdg, "validate", "--convention", "flops", "honest")
    assert bad.returncode == 2 and "invalid choice: 'flops'" in bad.stderr
