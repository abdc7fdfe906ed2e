"""`zoo check`: every kind of broken card yields one precise `path:line:col: code` finding."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, write_card
from generator.cli import main

GOOD = """\
name: {name}
task: detection
tags: [person]
description: A person detector.
framework: onnx
license: Apache-2.0
complexity: {{gflops: 1.5, mparams: 2.25}}
inputs:
  - {{name: image, shape: [1, 3, 224, 224], layout: NCHW, type: f32}}
"""


def check(cards: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--cards", str(cards), *extra])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if line]


def one_finding(tmp_path: Path, capsys: pytest.CaptureFixture, text: str) -> str:
    write_card(tmp_path, "m", text)
    code, lines = check(tmp_path, capsys)
    assert code == 1, lines
    assert len(lines) == 1, lines
    return lines[0]


def test_shipped_catalog_is_clean(capsys: pytest.CaptureFixture) -> None:
    code, lines = check(ROOT / "model_cards", capsys)
    assert (code, lines) == (0, [])


def test_good_card_passes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", GOOD.format(name="m"))
    assert check(tmp_path, capsys) == (0, [])


@pytest.mark.parametrize(
    ("old", "new", "at", "expected"),
    [
        ("task: detection", "task: detecton", "detecton",
         "unknown-task unknown task 'detecton' (did you mean 'detection'?)"),
        ("framework: onnx", "framwork: onnx", "framwork",
         "unknown-key unknown key 'framwork' (did you mean 'framework'?)"),
        ("type: f32", "typ: f32", "typ",
         "unknown-key unknown key 'typ' (did you mean 'type'?)"),
        ("tags: [person]", "tags: [persn]", "persn",
         "unknown-tag unknown tag 'persn' (did you mean 'person'?)"),
        ("framework: onnx", "framework: pytorh", "pytorh",
         "unknown-framework unknown framework 'pytorh' (did you mean 'pytorch'?)"),
        ("license: Apache-2.0", "license: Apache-2", "Apache-2",
         "unknown-license unknown SPDX license 'Apache-2' (did you mean 'Apache-2.0'?)"),
        ("gflops: 1.5", "gflops: -1.5", "-1.5",
         "invalid-value complexity.gflops: Input should be greater than 0"),
        ("[1, 3, 224, 224], layout: NCHW", "[1, 3, 224], layout: NCHW", "{name: image",
         "layout-rank layout 'NCHW' has 4 dims but shape has 3"),
        ("[1, 3, 224, 224]", "[1, 0, 224, 224]", "[1, 0",
         "bad-dim dimension 1 is 0: use a positive number, or a symbol such as N or ? for a "
         "dynamic dim"),
        ("description: A person detector.\n", "", "name",
         "missing-key missing required key 'description'"),
        ("name: m", "name: other", "other",
         "name-folder name 'other' differs from its folder 'm'"),
        ("type: f32", "type: float", "float",
         "unknown-element-type unknown element type 'float'"),
        ("type: f32", "type: f32, type: f16", "type: f16",
         "yaml duplicate key 'type'"),
    ],
)  # fmt: skip
def test_each_broken_field_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture, old: str, new: str, at: str, expected: str
) -> None:
    text = GOOD.format(name="m")
    assert old in text
    text = text.replace(old, new)
    line = next(n for n, content in enumerate(text.splitlines(), 1) if at in content)
    col = text.splitlines()[line - 1].index(at) + 1
    finding = one_finding(tmp_path, capsys, text)
    assert finding == f"{tmp_path / 'm' / 'model.yml'}:{line}:{col}: {expected}"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("sha256: abc123", "sha256 must be 64 hex digits, got 6"),
        (f"sha384: {'a' * 64}", "sha384 must be 96 hex digits, got 64"),
        (f"md5: {'g' * 32}", "md5 must be hexadecimal"),
        (f"md5: {'1' * 32}", "md5 was read as a number: put it in quotes"),
    ],
)
def test_checksum_length_per_algorithm(
    tmp_path: Path, capsys: pytest.CaptureFixture, entry: str, message: str
) -> None:
    text = GOOD.format(name="m") + f"files:\n  - {{name: w.bin, {entry}}}\n"
    finding = one_finding(tmp_path, capsys, text)
    assert finding.endswith(
        f":11:{text.splitlines()[10].index(':', 20) + 3}: bad-checksum {message}"
    )


def test_local_file_size_and_checksum(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = b"weights" * 100
    good = hashlib.md5(data).hexdigest()
    text = GOOD.format(name="m") + (
        f"files:\n  - {{name: w.bin, size: {len(data)}, md5: {good}}}\n"
        f"  - {{name: x.bin, md5: {'a' * 32}}}\n"
        f"  - {{name: y.bin, size: 5}}\n"
        f"  - {{name: absent.bin, md5: {'b' * 32}}}\n"
    )
    write_card(tmp_path, "m", text)
    for name in ("w.bin", "x.bin", "y.bin"):
        (tmp_path / "m" / name).write_bytes(data)
    code, lines = check(tmp_path, capsys)
    assert code == 1
    assert [line.split(": ", 1)[1] for line in lines] == [
        f"file-checksum x.bin: md5 expected {'a' * 32}, file has {good}",
        "file-size y.bin: card says 5 bytes, file has 700",
    ]
    assert lines[0].split(":")[1:3] == ["12", "24"]


def test_license_file_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = GOOD.format(name="m").replace(
        "license: Apache-2.0", "license: {id: MIT, file: LICENSE.txt}"
    )
    finding = one_finding(tmp_path, capsys, text)
    assert finding.endswith(":6:26: missing-license-file license file 'LICENSE.txt' not found")
    (tmp_path / "m" / "LICENSE.txt").write_text("MIT License")
    assert check(tmp_path, capsys) == (0, [])


def test_composite_parts_must_exist_and_point_back(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write_card(tmp_path, "pipe", GOOD.format(name="pipe") + "parts: [pipe-a, pipe-b]\n")
    write_card(tmp_path, "pipe-a", GOOD.format(name="pipe-a") + "part_of: pipe\n")
    write_card(tmp_path, "lost", GOOD.format(name="lost") + "part_of: nowhere\n")
    code, lines = check(tmp_path, capsys)
    assert code == 1
    assert [line.split(": ", 1)[1] for line in lines] == [
        "missing-part no card for composite 'nowhere'",
        "missing-part no card for part 'pipe-b'",
    ]


def test_relative_links_in_prose_must_resolve(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    text = GOOD.format(name="m").replace(
        "A person detector.", "See [the figure](figure.png) and [web](https://example.org)."
    )
    write_card(tmp_path, "m", text)
    (tmp_path / "m" / "README.md").write_text(
        "# Notes\n\nThe [license](LICENSE) and [other card](../m/) and\n"
        'an ![image](img/arch.svg "arch").\n'
    )
    code, lines = check(tmp_path, capsys)
    assert code == 1
    readme = str(tmp_path / "m" / "README.md")
    assert lines == [
        f"{readme}:3:15: broken-link link target 'LICENSE' not found",
        f"{readme}:4:13: broken-link link target 'img/arch.svg' not found",
        f"{tmp_path / 'm' / 'model.yml'}:4:14: broken-link link target 'figure.png' not found",
    ]


def test_unique_names_and_all_findings_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write_card(tmp_path, "a", GOOD.format(name="a"))
    write_card(tmp_path, "a", GOOD.format(name="a"), folder="b")
    write_card(tmp_path, "c", GOOD.format(name="c").replace("task: detection", "task: nope"))
    write_card(tmp_path, "d", "just a string\n")
    (tmp_path / "e").mkdir()
    code, lines = check(tmp_path, capsys)
    assert code == 1
    codes = sorted(line.split(": ", 1)[1].split()[0] for line in lines)
    assert codes == [
        "duplicate-name",
        "missing-card",
        "name-folder",
        "not-a-mapping",
        "unknown-task",
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"a: &x [1]\nb: *x\n", "yaml"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "yaml"),
        (b"name: [unclosed\n", "yaml"),
        (b"", "not-a-mapping"),
        (b"- a\n- b\n", "not-a-mapping"),
    ],
)
def test_hostile_yaml_is_one_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture, content: bytes, code: str
) -> None:
    path = tmp_path / "m" / "model.yml"
    path.parent.mkdir()
    path.write_bytes(content)
    status, lines = check(tmp_path, capsys)
    assert status == 1
    assert len(lines) == 1
    assert f": {code} " in lines[0]


def test_github_and_json_formats(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", GOOD.format(name="m").replace("task: detection", "task: detecton"))
    code, lines = check(tmp_path, capsys, "--format", "github")
    assert code == 1
    assert lines == [
        f"::error file={tmp_path / 'm' / 'model.yml'},line=2,col=7,title=unknown-task::"
        "unknown-task unknown task 'detecton' (did you mean 'detection'?)"
    ]
    code, lines = check(tmp_path, capsys, "--format", "json")
    (finding,) = json.loads("\n".join(lines))
    assert finding["line"] == 2 and finding["code"] == "unknown-task"


def test_cli_exit_codes_without_traceback(tmp_path: Path) -> None:
    zoo = str(BIN / "zoo")
    missing = subprocess.run([zoo, "check", "--cards", str(tmp_path / "no")], capture_output=True,
                             text=True)  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"zoo: error: {tmp_path / 'no'}: cards folder not found"
    usage = subprocess.run([zoo, "check", "--format", "xml"], capture_output=True, text=True)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    write_card(tmp_path, "m", "name: m\ntask: [\n")
    broken = subprocess.run([zoo, "check", "--cards", str(tmp_path)], capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert "1 card(s) checked, 1 error(s)" in broken.stderr


def test_label_map_is_a_text_file_inside_the_card(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    text = GOOD.format(name="m") + "label_map: labels.txt\n"
    finding = one_finding(tmp_path, capsys, text)
    assert finding.endswith(":10:12: missing-label-map label map 'labels.txt' not found")
    (tmp_path / "m" / "labels.txt").write_text("0 person\n")
    assert check(tmp_path, capsys) == (0, [])
    (tmp_path / "m" / "link.txt").symlink_to(tmp_path / "m" / "labels.txt")
    for outside in ("../other.txt", "/etc/passwd", "link.txt"):
        finding = one_finding(tmp_path, capsys, GOOD.format(name="m") + f"label_map: {outside}\n")
        assert ":10:12: outside-card " in finding, finding
