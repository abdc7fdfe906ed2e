"""Property-based tests (hypothesis): random strings in every output format stay text, and
random YAML or bytes as a card never make `zoo check` crash."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cards.schema import Complexity, FileEntry, LicenseInfo, Metric
from generator.cli import main
from generator.findings import Finding, format_findings
from generator.safe_text import SafeStream, csv_cell, printable
from generator.site.export import models_csv
from generator.validation.results import Mismatch
from generator.validation.validation_output import summary_markdown
from output_checks import card_source, parse_command, raw_controls, render_summary, result

# pieces that have meant something to a terminal, a CI log, XML, CSV or Markdown
SNIPPETS = [
    "\x1b[2J", "\x1b]0;t\x07", "\x9b", "\u202e", "\u2066", "\r", "\n", "\r\n", "\t", "\x00",
    "\x7f", "\udcff", "\ufffe", "::", "::error file=a::b", "##[", "%", "%0A", "%25", ",", ":",
    "=", "+", "-", "@", "<script>", "&amp;", "]]>", "|", "`", "*", "[x](javascript:y)", "[bold]",
    "[/]", "\\", '"', "'", "\u2028", "\x85",
]  # fmt: skip
# any code point, surrogates included
CHAR = st.characters(exclude_categories=())
TEXT = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(CHAR, max_size=8)), max_size=6).map(
    "".join
)
# what a YAML file can hold (no lone surrogates)
YAML_TEXT = TEXT.map(lambda text: re.sub(r"[\ud800-\udfff]", "", text))
FAST = settings(max_examples=100, deadline=None)


def findings_of(texts: list[tuple[str, str, str]]) -> list[Finding]:
    return [Finding(path, 7, 3, code, message) for path, code, message in texts]


TRIPLES = st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=4)


@FAST
@given(TRIPLES)
def test_text_format_is_one_clean_line_per_finding(texts: list[tuple[str, str, str]]) -> None:
    findings = findings_of(texts)
    out = io.StringIO()
    print(format_findings(findings, "text"), file=SafeStream(out))
    lines = out.getvalue().split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(findings)
    assert not raw_controls(out.getvalue())
    assert all(not line.lstrip().startswith(":") and "##[" not in line for line in lines)


@FAST
@given(st.lists(TEXT, max_size=8))
def test_stream_output_is_clean_however_it_is_written(pieces: list[str]) -> None:
    out = io.StringIO()
    stream = SafeStream(out)
    for piece in pieces:
        stream.write(piece)
    assert not raw_controls(out.getvalue())
    assert "##[" not in out.getvalue()
    assert all(not line.lstrip().startswith(":") for line in out.getvalue().split("\n"))


@FAST
@given(TRIPLES)
def test_github_lines_parse_back(texts: list[tuple[str, str, str]]) -> None:
    findings = sorted(findings_of(texts))
    out = io.StringIO()
    SafeStream(out).write_commands(format_findings(findings, "github") + "\n")
    lines = out.getvalue().split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(findings)
    for line, finding in zip(lines, findings, strict=True):
        assert not raw_controls(line)
        name, properties, data = parse_command(line)
        assert name == "error"
        assert properties == {
            "file": printable(finding.path, keep="\r\n"),
            "line": "7",
            "col": "3",
            # the runner trims the property list: blanks that end the last value are lost
            # (title= is a finding code: ours, never card text)
            "title": re.sub(r"[^\S\r\n]+\Z", "", printable(finding.code, keep="\r\n")),
        }
        assert data == printable(f"{finding.code} {finding.message}", keep="\r\n")


@FAST
@given(TRIPLES)
def test_json_round_trips(texts: list[tuple[str, str, str]]) -> None:
    findings = sorted(findings_of(texts))
    text = format_findings(findings, "json")
    assert text.isascii()
    assert [Finding(**item) for item in json.loads(text)] == findings


STATUS = st.sampled_from(["passed", "failed", "error", "skipped"])


@st.composite
def results(draw: st.DrawFn) -> list:
    made = []
    for index in range(draw(st.integers(1, 3))):
        mismatches = [
            Mismatch.model_construct(
                field=draw(TEXT), documented="1", measured="2", message=draw(TEXT), severity="error"
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        made.append(result(f"{index}{draw(TEXT)}", draw(STATUS), draw(TEXT), mismatches=mismatches))
    return made


@FAST
@given(results(), TEXT)
def test_junit_always_parses(made: list, device: str) -> None:
    from generator.validation.validation_output import junit_xml

    root = ET.fromstring(junit_xml(made, device).encode())
    cases = root.findall("testsuite/testcase")
    names = [printable(f"{r.name} FP32", keep="\n") for r in made]
    assert [case.get("name") for case in cases] == names


@FAST
@given(results(), TEXT)
def test_summary_renders_as_text(made: list, device: str) -> None:
    html = render_summary(summary_markdown(made, device))
    assert html.tags <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert html.heading.strip() == f"zoo validate on {printable(device)}".strip()
    bad = [r for r in made if r.status in ("failed", "error")]
    rows = html.cells[1:] if bad else html.cells
    assert len(rows) == len(bad)
    for row, made_result in zip(rows, bad, strict=True):
        assert len(row) == 4
        assert row[0].strip() == printable(made_result.name).strip()
        if made_result.message:
            assert row[3].strip() == printable(made_result.message).strip()


@FAST
@given(
    st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT, st.floats(allow_nan=False)), min_size=1, max_size=3)
)
def test_csv_cells_are_neutralised_and_round_trip(cards: list) -> None:
    sources = [
        card_source(
            name=f"{index}{name}",
            license=LicenseInfo.model_construct(id=text),
            accuracy=[Metric.model_construct(metric=text, value=value, unit=unit, dataset=name)],
            complexity=Complexity.model_construct(gflops=value, mparams=None),
            files=[FileEntry.model_construct(name=unit)],
            part_of=part,
        )
        for index, (name, text, unit, part, value) in enumerate(cards)
    ]
    rows = list(csv.DictReader(io.StringIO(models_csv(sources), newline="")))
    assert len(rows) == len(sources)
    for row, (index, (name, text, unit, part, value)) in zip(rows, enumerate(cards), strict=True):
        expected = {
            "name": f"{index}{name}",
            "license": text,
            "metric": text,
            "metric_unit": unit,
            "metric_dataset": name,
            "files": unit,
            "part_of": part,
        }
        assert {key: row[key] for key in expected} == {
            key: csv_cell(value) for key, value in expected.items()
        }
        for key in expected:
            assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r"))
        assert float(row["metric_value"]) == value == float(row["gflops"])


# `zoo check` on random input: never a traceback, always a clean exit code and clean output

CARD = {
    "name": "m",
    "task": "detection",
    "description": "A detector.",
    "license": "Apache-2.0",
    "complexity": {"gflops": 1.5, "mparams": 2.0},
    "inputs": [{"name": "image", "shape": [1, 3, 8, 8], "type": "f32"}],
    "accuracy": [{"metric": "mAP", "value": 50.0, "unit": "%"}],
}
LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), TEXT, st.sampled_from(["m", "1e400"])
)
VALUE = st.recursive(
    LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
OTHER_KEYS = ["tags", "files", "ir", "parts", "part_of", "homepage", "obtain", "outputs", "year",
              "citations", "demos", "speed", "original", "unknown"]  # fmt: skip
KEYS = st.sampled_from([*CARD, *OTHER_KEYS])


@st.composite
def card_yaml(draw: st.DrawFn) -> bytes:
    """A card with random values in some of its fields, as YAML."""
    card = dict(CARD)
    for key in draw(st.lists(KEYS, max_size=4)):
        card[key] = draw(VALUE)
    return yaml_bytes(card)


@st.composite
def hostile_card(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """A card of the right shape with random text in its free-text fields (and some random text
    where a URL, path or name belongs), and a random README.md: reaches the checks behind the
    schema (links, paths, files, composites) and their messages."""

    def either(valid: object) -> object:
        return draw(YAML_TEXT) if draw(st.integers(0, 3)) == 0 else valid

    url = st.one_of(YAML_TEXT.map(lambda text: f"https://example.com/{text}"), YAML_TEXT)
    card = {
        **CARD,
        "description": f"{draw(YAML_TEXT)} [a]({draw(YAML_TEXT)})",
        "homepage": draw(url),
        "license": {"id": either("MIT"), "url": draw(url), "file": either("LICENSE")},
        "tags": [either("person")],
        "ir": {either("FP32"): f"{either('FP32/m')}.xml"},
        "files": [{"name": either("m.bin"), "url": draw(url), "size": either(1234),
                   "sha256": either("0" * 64)}],
        "obtain": [{"title": draw(YAML_TEXT), "command": draw(YAML_TEXT)}],
        "citations": [{"title": draw(YAML_TEXT), "url": draw(url), "authors": [draw(YAML_TEXT)],
                       "venue": draw(YAML_TEXT)}],
        "demos": [{"name": draw(YAML_TEXT), "url": draw(url)}],
        "accuracy": [{"metric": draw(YAML_TEXT), "value": draw(st.floats()),
                      "unit": draw(YAML_TEXT), "dataset": draw(YAML_TEXT)}],
        "part_of": either("m"),
        "parts": [either("m")],
        "speed": [{"value": either(9.5), "unit": draw(YAML_TEXT), "device": draw(YAML_TEXT),
                   "notes": draw(YAML_TEXT)}],
    }  # fmt: skip
    for key in draw(st.lists(st.sampled_from(sorted(card)), max_size=6)):
        card.pop(key, None)
    readme = draw(st.one_of(TEXT.map(lambda md: f"[x]({md}) ![y]({md})\n\n[r]: {md}\n"), TEXT))
    return yaml_bytes(card), readme.encode("utf-8", "surrogatepass")


def yaml_bytes(card: dict) -> bytes:
    try:
        return yaml.safe_dump(card, allow_unicode=True).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, UnicodeEncodeError):
        return b"name: m\n"


def zoo_check(content: bytes, readme: bytes | None = None) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        card = Path(tmp) / "m" / "model.yml"
        card.parent.mkdir()
        card.write_bytes(content)
        if readme is not None:
            (card.parent / "README.md").write_bytes(readme)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["check", "--cards", tmp])
    return code, out.getvalue()


def assert_clean_check(content: bytes, readme: bytes | None = None) -> None:
    code, output = zoo_check(content, readme)
    assert code in (0, 1, 2), output
    assert "Traceback" not in output
    assert not raw_controls(output)


CHECK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECK
@given(card_yaml())
def test_check_random_card_values(content: bytes) -> None:
    assert_clean_check(content)


@CHECK
@given(hostile_card())
def test_check_random_card_text(card: tuple[bytes, bytes]) -> None:
    assert_clean_check(*card)


@CHECK
@given(st.text(CHAR, max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_check_random_yaml_text(content: bytes) -> None:
    assert_clean_check(content)


@CHECK
@given(st.binary(max_size=200))
def test_check_random_bytes(content: bytes) -> None:
    assert_clean_check(content)
