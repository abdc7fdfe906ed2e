"""The contributor and publishing commands end to end: fetch, new, info, results merge,
and the PR flow of the workflow (fetch + validate only what changed) in a real git repo."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
from pathlib import Path

import irs
import pytest
import yaml

from conftest import BIN, ROOT, write_card
from generator.cards.catalog import load_catalog
from generator.cards.checks import run_checks
from generator.cli import main
from generator.validation.results import read_report, write_report
from http_server import FileServer, serve

DATA = os.urandom(50_000)
SHA = hashlib.sha256(DATA).hexdigest()


def zoo(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "zoo", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def server() -> FileServer:
    with serve() as running:
        running.files["/w.bin"] = DATA
        yield running


def file_card(cards: Path, name: str, url: str, digest: str = SHA) -> None:
    write_card(
        cards,
        name,
        f"name: {name}\ntask: classification\ndescription: d\n"
        f"files:\n  - {{name: w.bin, size: {len(DATA)}, sha256: '{digest}', url: '{url}'}}\n",
    )


def test_fetch_command_places_verified_files(tmp_path: Path, server: FileServer) -> None:
    cards = tmp_path / "cards"
    file_card(cards, "a", server.url("/w.bin"))
    file_card(cards, "b", server.url("/missing"), digest="c" * 64)
    done = zoo(tmp_path, "fetch", "--cards", str(cards), "--cache", str(tmp_path / "cache"))
    assert done.returncode == 1, done.stderr
    assert (cards / "a" / "w.bin").read_bytes() == DATA
    assert not (cards / "b" / "w.bin").exists()
    assert f"zoo: error: b: w.bin: HTTP 404 from {server.url('/missing')}" in done.stderr
    assert "1 downloaded" in done.stderr and "1 failed" in done.stderr
    assert "Traceback" not in done.stderr
    # the fetched file now passes zoo check's local size and checksum rule
    assert run_checks(load_catalog(cards)) == []
    only_a = zoo(tmp_path, "fetch", "a", "--cards", str(cards), "--cache", str(tmp_path / "c"))
    assert only_a.returncode == 0 and "1 present" in only_a.stderr


def test_new_fills_the_card_from_the_ir(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    xml = irs.classifier(tmp_path / "src" / "model.xml")
    made = zoo(tmp_path, "new", "tiny-net", "--task", "classification", "--ir", str(xml),
               "--cards", str(cards))  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(cards / "tiny-net" / "model.yml")
    data = yaml.safe_load((cards / "tiny-net" / "model.yml").read_text())
    assert data["complexity"]["gflops"] == pytest.approx(irs.GFLOPS, rel=1e-3)
    assert data["complexity"]["mparams"] == pytest.approx(irs.MPARAMS, rel=1e-3)
    assert data["inputs"][0]["shape"] == [1, 3, 64, 64] and data["inputs"][0]["layout"] == "NCHW"
    assert [o["name"] for o in data["outputs"]] == ["features", "logits"]
    assert (cards / "tiny-net" / "FP32" / "tiny-net.bin").is_file()
    assert zoo(tmp_path, "check", "--cards", str(cards)).returncode == 0
    valid = zoo(tmp_path, "validate", "--cards", str(cards), "--cache", str(tmp_path / "vc"))
    assert valid.returncode == 0, valid.stdout + valid.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad_Name", "--task", "classification"], "name 'Bad_Name': use lower-case letters"),
        (["x", "--task", "clasification"], "unknown task 'clasification' (did you mean"),
        (["x", "--task", "classification", "--ir", "nope.xml"], "nope.xml: an IR needs"),
        (["existing", "--task", "classification"], "existing already exists"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "existing", "name: existing\ntask: classification\ndescription: d\n")
    before = sorted(cards.rglob("*"))
    done = zoo(tmp_path, "new", *args, "--cards", str(cards))
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1
    assert sorted(cards.rglob("*")) == before


def test_new_with_a_broken_ir_leaves_no_folder(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    xml = irs.classifier(tmp_path / "src" / "model.xml")
    irs.truncate_weights(xml)
    done = zoo(tmp_path, "new", "tiny-net", "--task", "classification", "--ir", str(xml),
               "--cards", str(cards))  # fmt: skip
    assert done.returncode == 2 and "cannot use the IR" in done.stderr
    assert list(cards.iterdir()) == []


def test_info_prints_json_and_csv(capsys: pytest.CaptureFixture) -> None:
    cards = str(ROOT / "model_cards")
    assert main(["info", "ssd-resnet34-1200-onnx", "vgg-face", "--cards", cards]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in records] == ["ssd-resnet34-1200-onnx", "vgg-face"]
    assert records[0]["complexity"] == {"gflops": 433.411, "mparams": 20.058}
    assert records[0]["outputs"][2]["shape"] == [1, 200, 4]
    assert main(["info", "imagenet-vgg-f", "--format", "csv", "--cards", cards]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["metric"] == "top-1 err." and row["metric_value"] == "41.1"
    assert main(["info", "vgg-fase", "--cards", cards]) == 2
    assert "unknown model 'vgg-fase' (did you mean 'vgg-face'?)" in capsys.readouterr().err


def test_results_merge_combines_shard_reports(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    for name in ("m1", "m2", "m3"):
        write_card(cards, name, f"name: {name}\ntask: classification\ndescription: d\n"
                   f"ir: {{FP32: FP32/{name}.xml}}\n")  # fmt: skip
        irs.classifier(cards / name / "FP32" / f"{name}.xml")
    for k in (1, 2):
        done = zoo(tmp_path, "validate", "--cards", str(cards), "--shard", f"{k}/2",
                   "--report", f"r{k}.json", "--cache", "vc")  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    merged = zoo(tmp_path, "results", "merge", "r1.json", "r2.json", "--output", "out/all.json")
    assert merged.returncode == 0, merged.stderr
    names = sorted(r.name for r in read_report(tmp_path / "out" / "all.json").results)
    assert names == ["m1", "m2", "m3"]
    (tmp_path / "bad.json").write_text("[]")
    bad = zoo(tmp_path, "results", "merge", "r1.json", "bad.json", "--output", "x.json")
    assert bad.returncode == 2 and "bad.json: not a validation report" in bad.stderr
    assert not (tmp_path / "x.json").exists()
    write_report(tmp_path / "empty.json", [])
    assert zoo(tmp_path, "results", "merge", "empty.json", "--output", "e.json").returncode == 0


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_pull_request_flow_fetches_and_validates_only_changed_cards(
    tmp_path: Path, server: FileServer
) -> None:
    """The steps of .github/workflows/pr-checks.yml, in a repository with a base branch."""
    repo = tmp_path / "zoo"
    cards = repo / "model_cards"
    file_card(cards, "untouched", server.url("/w.bin"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    # the pull request: a new card with its IR, whose figures are wrong
    added = "complexity: {gflops: 0.01, mparams: 0.656}\nir: {FP32: FP32/added.xml}\n"
    write_card(cards, "added", f"name: added\ntask: classification\ndescription: d\n{added}")
    irs.classifier(cards / "added" / "FP32" / "added.xml")
    steps = [
        ["check", "--format", "github"],
        ["fetch", "--changed-since", "main", "--cache", str(tmp_path / "files")],
        ["validate", "--changed-since", "main", "--shard", "1/1", "--device", "CPU",
         "--format", "github", "--junit", "junit.xml", "--report", "report.json",
         "--summary", "summary.md"],
    ]  # fmt: skip
    check, fetch, validate = (zoo(repo, *step) for step in steps)
    assert check.returncode == 0, check.stdout
    assert fetch.returncode == 0 and server.hits["/w.bin"] == 0  # untouched card not fetched
    assert validate.returncode == 1
    (annotation,) = [line for line in validate.stdout.splitlines() if line.startswith("::error")]
    assert "file=model_cards/added/model.yml,line=4" in annotation
    assert "complexity.gflops: card says 0.01" in annotation
    assert [r.name for r in read_report(repo / "report.json").results] == ["added"]
    assert "| added | FP32 | failed |" in (repo / "summary.md").read_text()
