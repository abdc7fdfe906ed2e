"""`zoo check` on hostile cards: bounded figures, http(s) URLs, plain names, printable text,
paths and links confined to the card folder, bounded and regular README/files; never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import types
import typing
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from conftest import BIN, ROOT, write_card
from generator.cards.catalog import MAX_PROSE_BYTES
from generator.cards.schema import URL_PATTERN, Card, HttpUrl, url_problem
from generator.cli import main

GOOD = """\
name: m
task: detection
description: A person detector.
license: Apache-2.0
complexity: {gflops: 1.5, mparams: 2.25}
inputs:
  - {name: image, shape: [1, 3, 224, 224], layout: NCHW}
"""
SECRET = b"token=ghp_secret\n" * 7  # 119 bytes that must never be measured or hashed


def check(cards: Path, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    code = main(["check", "--cards", str(cards)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, [line for line in captured.out.splitlines() if line]


def findings(tmp_path: Path, capsys: pytest.CaptureFixture, text: str = GOOD) -> list[str]:
    """`code message` of each finding, after `path:line:col: `, checked for a sane position."""
    if not (tmp_path / "m" / "model.yml").exists():
        write_card(tmp_path, "m", text)
    code, lines = check(tmp_path, capsys)
    assert code == (1 if lines else 0), lines
    return [line.split(": ", 1)[1] for line in lines]


def located(tmp_path: Path, capsys: pytest.CaptureFixture, text: str, at: str) -> str:
    """The one finding of the card `text`, asserted at the line of the first `at`."""
    write_card(tmp_path, "m", text)
    code, lines = check(tmp_path, capsys)
    assert code == 1 and len(lines) == 1, lines
    line = next(n for n, content in enumerate(text.splitlines(), 1) if at in content)
    assert lines[0].startswith(f"{tmp_path / 'm' / 'model.yml'}:{line}:"), lines
    return lines[0].split(": ", 1)[1]


# --- figures and integers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [".inf", "-.inf", ".nan", ".NaN", "1.0e+400", "'1e400'", "1" + "0" * 400]
)
def test_figures_are_finite(tmp_path: Path, capsys: pytest.CaptureFixture, value: str) -> None:
    text = GOOD.replace("gflops: 1.5", f"gflops: {value}")
    finding = located(tmp_path, capsys, text, "gflops")
    assert finding.startswith("invalid-value complexity.gflops:"), finding


@pytest.mark.parametrize(
    ("dim", "message"),
    [
        (str(10**26), "over the int64 limit"),
        (str(2**63), "over the int64 limit"),
        ("'1..99999999999999999999'", "use a positive number"),
        ("'8..1'", "an empty range"),
        ("'1..9223372036854775808'", "over the int64 limit"),
    ],
)
def test_dims_fit_int64(
    tmp_path: Path, capsys: pytest.CaptureFixture, dim: str, message: str
) -> None:
    text = GOOD.replace("[1, 3, 224, 224]", f"[1, 3, 224, {dim}]")
    finding = located(tmp_path, capsys, text, "shape")
    assert finding.startswith("bad-dim dimension 3 is") and message in finding, finding


def test_largest_int64_dim_passes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = GOOD.replace("[1, 3, 224, 224]", f"[1, 3, 224, {2**63 - 1}]")
    assert findings(tmp_path, capsys, text) == []


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("files:\n  - {name: w.bin, size: 100000000000000000000}\n", "files[0].size"),
        ("files:\n  - {name: w.bin, size: 0}\n", "files[0].size"),
        ("year: 99999\n", "year"),
        ("citations:\n  - {title: T, year: -5}\n", "citations[0].year"),
    ],
)
def test_integers_are_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture, extra: str, field: str
) -> None:
    finding = located(tmp_path, capsys, GOOD + extra, extra.splitlines()[-1].strip())
    assert finding.startswith(f"invalid-value {field}:"), finding


# --- URLs ------------------------------------------------------------------------------------

URL_FIELDS = {
    "homepage": "homepage: {url}\n",
    "license.url": "license: {{id: MIT, url: {url}}}\n",
    "files[0].url": "files:\n  - {{name: w.bin, url: {url}}}\n",
    "demos[0].url": "demos:\n  - {{name: Demo, url: {url}}}\n",
    "citations[0].url": "citations:\n  - {{title: Paper, url: {url}}}\n",
}
BAD_URLS = {
    "javascript:alert(1)": "must start with http:// or https://",
    "'JavaScript:alert(1)'": "must start with http:// or https://",
    "data:text/html,hi": "must start with http:// or https://",
    "file:///etc/passwd": "must start with http:// or https://",
    "ftp://example.org/x": "must start with http:// or https://",
    "example.org/model.bin": "must start with http:// or https://",
    "//example.org/x": "must start with http:// or https://",
    "https:example.org": "must start with http:// or https://",
    "https://": "has no host",
    "'https://user:pw@example.org/'": "user name or password",
    "'https://example.org/a b'": "a space or an invisible character (U+0020)",
    '"https://example.org/\\e[2J"': "invisible character (U+001B)",
    '"https://example.org/\\u202e"': "invisible character (U+202E)",
    "'https://example.org:port/'": "is not a URL",
}


@pytest.mark.parametrize("field", URL_FIELDS)
@pytest.mark.parametrize("url", BAD_URLS)
def test_every_url_field_is_http_or_https(
    tmp_path: Path, capsys: pytest.CaptureFixture, field: str, url: str
) -> None:
    extra = URL_FIELDS[field].format(url=url)
    text = GOOD + extra
    if field.startswith("license"):
        text = text.replace("license: Apache-2.0\n", "")
    write_card(tmp_path, "m", text)
    code, lines = check(tmp_path, capsys)
    # a control character in the URL is also reported as one; bad-url is the finding here
    bad = [line for line in lines if ": bad-url " in line]
    assert code == 1 and len(bad) == 1, lines
    line = len(text.splitlines())
    assert bad[0].startswith(f"{tmp_path / 'm' / 'model.yml'}:{line}:"), bad
    assert BAD_URLS[url] in bad[0], bad


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "http://example.org/a/b?c=d&e=f#g",
        "HTTPS://EXAMPLE.ORG/Path",
        "https://[::1]:8080/x",
        "https://example.org/caf%C3%A9",
        "https://exämple.org/straße",
        'https://example.org/?q="><script>alert(1)</script>',  # shown escaped by the site
    ],
)
def test_good_urls_are_kept_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture, url: str
) -> None:
    assert url_problem(url) is None
    assert re.match(URL_PATTERN, url)
    card = Card.model_validate({"name": "m", "task": "detection", "description": "d",
                                "homepage": url})  # fmt: skip
    assert card.homepage == url  # no normalisation: the site links to what the card says


def test_schema_pattern_refuses_what_the_check_refuses() -> None:
    for url in BAD_URLS:
        import yaml

        value = yaml.safe_load(f"u: {url}")["u"]
        if "port" not in value:  # the port's range is beyond a pattern
            assert not re.match(URL_PATTERN, value), value


def _url_fields(model: type[BaseModel], prefix: str = "") -> typing.Iterator[tuple[str, object]]:
    for name, info in model.model_fields.items():
        yield prefix + name, info
        for inner in _models(info.annotation):
            yield from _url_fields(inner, f"{prefix}{name}.")


def _models(annotation: object) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    elif isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            yield from _models(arg)


def test_every_url_like_field_uses_the_url_type() -> None:
    # a field added later that names a URL gets the check by using HttpUrl; this says so
    url_like = {
        path: info
        for path, info in _url_fields(Card)
        if re.search(r"(^|\.)(url|homepage|link|href|website)$|_url$", path)
    }
    assert set(url_like) == {
        "license.url",
        "files.url",
        "citations.url",
        "homepage",
        "demos.url",
    }
    for path, info in url_like.items():
        assert typing.get_args(info.annotation)[0] == HttpUrl, path  # HttpUrl | None


def test_json_schema_says_uri_and_pattern() -> None:
    schema = json.loads((ROOT / "model_cards" / "model-card.schema.json").read_text())
    card = {"name": "m", "task": "detection", "description": "d"}
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({**card, "homepage": "https://example.org/x"}))
    for url in ("javascript:alert(1)", "data:text/html,x", "https://a.org/ x"):
        assert list(validator.iter_errors({**card, "homepage": url})), url
    text = json.dumps(schema)
    assert text.count('"format": "uri"') == 5


# --- names and text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("''", "is not a file name"),
        ("'.'", "is not a file name"),
        ("'..'", "is not a file name"),
        ("../../evil.bin", "must be a plain name"),
        ("/etc/passwd", "must be a plain name"),
        ("FP32/x.bin", "must be a plain name"),
        ("'a\\b.bin'", "must be a plain name"),
        (".hidden", "is hidden"),
        ("' w.bin'", "starts or ends with spaces"),
        ("model.yml", "one of the card's own files"),
        ("README.md", "one of the card's own files"),
    ],
)
def test_file_names_are_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture, name: str, message: str
) -> None:
    text = GOOD + f"files:\n  - {{name: {name}, size: 5}}\n"
    finding = located(tmp_path, capsys, text, "size: 5")
    assert finding.startswith("bad-file-name") and message in finding, finding


@pytest.mark.parametrize(
    ("where", "old", "text"),
    [
        ("description", "description", 'description: "Fine\\e[2J\\e[1A"'),
        ("description", "description", 'description: "carriage\\rreturn"'),
        ("description", "description", 'description: "bidi \\u202eevil"'),
        ("inputs[0].name", "  - {name: image", '  - {name: "im\\x07age", shape: [1, 3]}'),
        ("complexity", "complexity", 'complexity: {gflops: 1.5, mparams: 2.25, "\\x1b": 1}'),
    ],
)
def test_control_characters_in_card_text(
    tmp_path: Path, capsys: pytest.CaptureFixture, where: str, old: str, text: str
) -> None:
    lines = GOOD.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(old))
    lines[index] = text
    card = "\n".join(lines) + "\n"
    write_card(tmp_path, "m", card)
    code, out = check(tmp_path, capsys)
    invisible = [line for line in out if ": control-char " in line]
    assert code == 1 and len(invisible) == 1, out
    assert invisible[0].startswith(f"{tmp_path / 'm' / 'model.yml'}:{index + 1}:")
    assert f"{where}: invisible character U+" in invisible[0]
    assert "\x1b" not in invisible[0] and "\r" not in invisible[0]


def test_tabs_and_newlines_are_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = GOOD.replace("description: A person detector.", 'description: "a\\tb\\nc"')
    assert findings(tmp_path, capsys, text) == []


# --- paths confined to the card folder ---------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file and folder outside the cards folder."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token").write_bytes(SECRET)
    (secret / "model.yml").write_text(GOOD)
    return secret


def no_secret(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert str(len(SECRET)) not in text and "ghp_secret" not in text


def test_symlinked_readme_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture, outside: Path
) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "m", GOOD)
    os.symlink(outside / "token", cards / "m" / "README.md")
    code, lines = check(cards, capsys)
    assert code == 1
    assert [line.split(": ", 1)[1] for line in lines] == [
        "outside-card path 'README.md' goes through a symlink"
    ]
    assert lines[0].startswith(f"{cards / 'm' / 'README.md'}:1:1:")
    no_secret(lines)


def test_symlinked_card_folder_and_card_file_are_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture, outside: Path
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    os.symlink(outside, cards / "m")
    (cards / "n").mkdir()
    os.symlink(outside / "model.yml", cards / "n" / "model.yml")
    code, lines = check(cards, capsys)
    assert code == 1
    assert lines == [
        f"{cards / 'm' / 'model.yml'}:1:1: outside-card card folder m is a symlink",
        f"{cards / 'n' / 'model.yml'}:1:1: outside-card path 'model.yml' goes through a symlink",
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("license: {id: MIT, file: ../../secret/token}", "climbs out of the card folder"),
        ("license: {id: MIT, file: /etc/passwd}", "is absolute"),
        ("license: {id: MIT, file: LINK}", "goes through a symlink"),
        ("ir: {FP32: ../../secret/x.xml}", "climbs out of the card folder"),
        ("ir: {FP32: /tmp/x.xml}", "is absolute"),
        ("ir: {FP32: LINKDIR/x.xml}", "goes through a symlink"),
        ("ir: {FP32: FP32/x.xml}", "'FP32/x.bin' goes through a symlink"),
        ("files:\n  - {name: LINK, size: 5, md5: '" + "a" * 32 + "'}", "goes through a symlink"),
    ],
)
def test_paths_a_card_names_stay_inside(
    tmp_path: Path, capsys: pytest.CaptureFixture, outside: Path, extra: str, message: str
) -> None:
    cards = tmp_path / "cards"
    text = GOOD.replace("license: Apache-2.0\n", "") + extra + "\n"
    write_card(cards, "m", text)
    folder = cards / "m"
    os.symlink(outside / "token", folder / "LINK")
    os.symlink(outside, folder / "LINKDIR")
    (folder / "FP32").mkdir()
    (folder / "FP32" / "x.xml").write_text("<net/>")
    os.symlink(outside / "token", folder / "FP32" / "x.bin")
    code, lines = check(cards, capsys)
    assert code == 1 and len(lines) == 1, lines
    line = len(text.splitlines())
    assert lines[0].startswith(f"{folder / 'model.yml'}:{line}:"), lines
    assert ": outside-card " in lines[0] and message in lines[0], lines
    no_secret(lines)


def test_files_entry_through_symlink_is_never_hashed(
    tmp_path: Path, capsys: pytest.CaptureFixture, outside: Path
) -> None:
    cards = tmp_path / "cards"
    text = GOOD + "files:\n  - {name: w.bin, size: 5, md5: '" + "a" * 32 + "'}\n"
    write_card(cards, "m", text)
    os.symlink(outside / "token", cards / "m" / "w.bin")
    code, lines = check(cards, capsys)
    assert code == 1 and [line.split(": ")[1].split()[0] for line in lines] == ["outside-card"]
    no_secret(lines)


# --- links -----------------------------------------------------------------------------------

UNSAFE_LINKS = [
    "[x](javascript:alert(1))",
    "[x](JavaScript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](\n  javascript:alert(1))",
    "[x](java&Tab;script:alert(1))",
    "[x](vbscript:msgbox)",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n  [r]: <data:text/html,hi> 'title'",
    "[x][r]\n\n[r]:\n    javascript:alert(1)",
]


@pytest.mark.parametrize("markdown", UNSAFE_LINKS)
def test_unsafe_links_in_readme(
    tmp_path: Path, capsys: pytest.CaptureFixture, markdown: str
) -> None:
    write_card(tmp_path, "m", GOOD)
    (tmp_path / "m" / "README.md").write_text(f"# Notes\n\n{markdown}\n")
    (found,) = findings(tmp_path, capsys)
    assert found.startswith("unsafe-link link "), found
    assert "only http, https, mailto or a file in the card folder" in found


@pytest.mark.parametrize("markdown", UNSAFE_LINKS[:4] + UNSAFE_LINKS[-3:-1])
@pytest.mark.parametrize("field", ["description", "inputs[0].description", "citations[0].title"])
def test_unsafe_links_in_any_card_text(
    tmp_path: Path, capsys: pytest.CaptureFixture, markdown: str, field: str
) -> None:
    value = json.dumps(markdown)  # a JSON string is a YAML double-quoted string
    if field == "description":
        text = GOOD.replace("description: A person detector.", f"description: {value}")
    elif field.startswith("inputs"):
        text = GOOD.replace("layout: NCHW}", f"layout: NCHW, description: {value}}}")
    else:
        text = GOOD + f"citations:\n  - {{title: {value}}}\n"
    found = located(tmp_path, capsys, text, value)
    assert found.startswith("unsafe-link link "), found


@pytest.mark.parametrize(
    ("markdown", "code"),
    [
        ("[x](../../secret/token)", "outside-card"),
        ("[x](../m/../../secret/token)", "outside-card"),
        ("[x](/etc/passwd)", "outside-card"),
        ("[x](%2e%2e/%2e%2e/secret/token)", "outside-card"),
        ("[x](..%2F..%2Fsecret%2Ftoken)", "outside-card"),
        ("[x](LINK)", "outside-card"),
        ("[x](../nocard/)", "outside-card"),
        ("[x][r]\n\n[r]: ../../secret/token", "outside-card"),
        ("[x](missing.png)", "broken-link"),
    ],
)
def test_relative_links_stay_in_the_card_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture, outside: Path, markdown: str, code: str
) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "m", GOOD)
    os.symlink(outside / "token", cards / "m" / "LINK")
    (cards / "m" / "README.md").write_text(f"# Notes\n\n{markdown}\n")
    code_, lines = check(cards, capsys)
    assert code_ == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"{cards / 'm' / 'README.md'}:{markdown.count(chr(10)) + 3}:")
    assert f": {code} " in lines[0], lines
    no_secret(lines)


def test_safe_links_pass(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", GOOD)
    write_card(tmp_path, "other", GOOD.replace("name: m", "name: other"))
    (tmp_path / "m" / "img").mkdir()
    (tmp_path / "m" / "img" / "arch.png").write_bytes(b"\x89PNG")
    (tmp_path / "m" / "README.md").write_text(
        "[a](https://example.org) [b](http://x.org/a(b)) [c](mailto:a@b.org) [d](#usage)\n"
        "![e](img/arch.png) [f](./img/arch.png#x) [g](../other/) [h](../other) [i](img/)\n"
        "<https://example.org/auto> [j][r] [k](//example.org/x)\n\n[r]: https://example.org\n"
    )
    assert findings(tmp_path, capsys) == []


# --- README.md and files: size and kind --------------------------------------------------------


def test_large_readme_is_a_finding_not_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write_card(tmp_path, "m", GOOD)
    lines = (10 << 20) // 18  # 10 MB of links, none of them looked at
    (tmp_path / "m" / "README.md").write_bytes(b"[x](javascript:a)\n" * lines)
    assert findings(tmp_path, capsys) == [
        f"too-large README.md is {lines * 18} bytes, over the {MAX_PROSE_BYTES} limit"
    ]


def test_readme_at_the_limit_is_read(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", GOOD)
    (tmp_path / "m" / "README.md").write_bytes(b"x" * (MAX_PROSE_BYTES - 20) + b"\n[a](nope)\n")
    (found,) = findings(tmp_path, capsys)
    assert found == "broken-link link target 'nope' not found"


def test_readme_control_character_is_located(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", GOOD)
    (tmp_path / "m" / "README.md").write_bytes(b"# Notes\r\n\r\nok\r\nbad \x1b[2J\r\n")
    code, lines = check(tmp_path, capsys)
    assert code == 1
    assert lines == [
        f"{tmp_path / 'm' / 'README.md'}:4:5: control-char invisible character U+001B: "
        "card text is printable (tab and newline allowed)"
    ]


def run_check(cards: Path) -> subprocess.CompletedProcess:
    """`zoo check` in a subprocess: a FIFO opened by mistake hangs it, not pytest."""
    return subprocess.run(
        [str(BIN / "zoo"), "check", "--cards", str(cards)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_readme_and_files_that_are_not_regular_files(tmp_path: Path, kind: str) -> None:
    text = GOOD + "license: {id: MIT, file: LICENSE}\nir: {FP32: x.xml}\n"
    text = text.replace("license: Apache-2.0\n", "")
    text += "files:\n  - {name: w.bin, size: 5, md5: '" + "a" * 32 + "'}\n"
    write_card(tmp_path, "m", text)
    for name in ("README.md", "w.bin", "LICENSE", "x.xml"):
        path = tmp_path / "m" / name
        os.mkfifo(path) if kind == "fifo" else path.mkdir()
    result = run_check(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = sorted(line.split(": ", 1)[1] for line in result.stdout.splitlines())
    assert lines == [
        "unreadable LICENSE is not a regular file",
        "unreadable README.md is not a regular file",
        "unreadable w.bin is not a regular file",
        "unreadable x.xml is not a regular file",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_readme_and_file(tmp_path: Path) -> None:
    write_card(tmp_path, "m", GOOD + "files:\n  - {name: w.bin, md5: '" + "a" * 32 + "'}\n")
    for name in ("README.md", "w.bin"):
        (tmp_path / "m" / name).write_text("x")
        (tmp_path / "m" / name).chmod(0)
    result = run_check(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.count(": unreadable ") == 2


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_card_file_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "m" / "model.yml"
    path.parent.mkdir()
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    result = run_check(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == f"{path}:1:1: unreadable model.yml is not a regular file\n"
