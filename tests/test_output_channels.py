"""Card text in every output channel is shown, never obeyed: terminal, GitHub workflow commands,
JUnit XML, CSV for spreadsheets, the Markdown step summary, JSON."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BIN, write_card
from generator.cards.schema import Complexity, FileEntry, LicenseInfo, Metric
from generator.cli import main, say
from generator.findings import Finding, format_findings
from generator.progress import progress_lines
from generator.safe_text import SafeStream, csv_cell, printable
from generator.site.export import models_csv
from generator.validation.results import Mismatch
from generator.validation.validation_output import junit_xml, summary_markdown
from output_checks import card_source, parse_command, raw_controls, render_summary, result

ESC = "\x1b"
# clear screen, red, OSC window title, C1 CSI, right-to-left override, a rich markup tag
HOSTILE = f"{ESC}[2J{ESC}[31m{ESC}]0;pwned\x07\x9b2J\u202e[bold]x[/bold][/]"


# terminal


def test_printable_shows_every_control_and_bidi_character() -> None:
    assert printable(f"a{ESC}[2Jb") == "a\\x1b[2Jb"
    assert printable("\x9b\x7f\x00\t\r\n") == "\\x9b\\x7f\\x00\\x09\\x0d\\x0a"
    assert printable("\u202e\u2066\u2028\udcff") == "\\u202e\\u2066\\u2028\\udcff"
    assert printable("line\nnext", keep="\n") == "line\nnext"
    assert printable("ok ünïcødé 模型 ✔") == "ok ünïcødé 模型 ✔"
    assert "##[" not in printable("x ##[error]spoof ###[")


def test_safe_stream_guards_line_starts_and_encodes() -> None:
    out = io.StringIO()
    stream = SafeStream(out)
    stream.write(f"fine {ESC}[31m\n  ::error::spoof\n")
    stream.write(":")  # a command split over writes is guarded too
    stream.write(":warning::x\nend\udcff\n")
    for piece in ("x #", "#", "[a] #", "#[b]"):  # `##[` split over writes
        stream.write(piece)
    assert out.getvalue() == (
        "fine \\x1b[31m\n  \\x3a:error::spoof\n\\x3a:warning::x\nend\\udcff\nx ##\\x5ba] #\\x23[b]"
    )
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    SafeStream(ascii_out).write("✔ ok\n")  # not encodable: escaped, not a UnicodeEncodeError
    ascii_out.seek(0)
    assert ascii_out.read() == "\\u2714 ok\n"


def test_check_findings_show_card_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", f"name: m\ntask: {json.dumps(HOSTILE)}\ndescription: d\n")
    assert main(["check", "--cards", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert not raw_controls(captured.out + captured.err)
    # the control characters are a finding of their own; the vocabulary finding shows the text
    (line,) = [line for line in captured.out.splitlines() if "unknown-task" in line]
    assert "\\x1b[2J\\x1b[31m\\x1b]0;pwned\\x07\\x9b2J\\u202e[bold]x[/bold][/]" in line


def test_folder_names_cannot_spoof_lines(tmp_path: Path, capsys: pytest.CaptureFixture,
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    folder = "::warning file=x::spoof\nnext\x1b[2J"
    write_card(tmp_path, "m", "name: m\ntask: detection\ndescription: d\n", folder=folder)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--cards", "."]) == 1
    out = capsys.readouterr().out
    assert not raw_controls(out)
    (line,) = out.splitlines()
    assert line.startswith("\\x3a:warning file=x::spoof\\x0anext\\x1b[2J/model.yml:")


def test_error_messages_are_one_visible_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / f"no{ESC}]0;x\x07\nzoo: fake"
    assert main(["check", "--cards", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err == f"zoo: error: {tmp_path}/no\\x1b]0;x\\x07\\x0azoo: fake: cards folder not found\n"
    say(f"error: m: {HOSTILE}\n")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and not raw_controls(err)


def test_usage_errors_show_arguments(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:  # argparse's own message
        main(["check", "--format", f"{ESC}[2J"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: '\\x1b[2J'" in err and not raw_controls(err)
    assert main(["validate", "--cards", str(tmp_path), "--tolerance", f"{ESC}[2J\n"]) == 2
    err = capsys.readouterr().err
    assert (
        err == "zoo: error: --tolerance \\x1b[2J\\x0a: use a percentage such as 1% or a "
        "fraction such as 0.01\n"
    )


def test_progress_lines_in_ci_logs(capsys: pytest.CaptureFixture) -> None:
    with progress_lines("validating", 1) as step:
        step(f"m\nzoo: [9/9] fake {ESC}[2K")
    assert capsys.readouterr().err == "zoo: [1/1] m\\x0azoo: [9/9] fake \\x1b[2K\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_markup_and_escapes_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", SafeStream(terminal))  # type: ignore[arg-type]
    with progress_lines("validating", 1) as step:
        step(f"m {HOSTILE}")  # `[/]` alone would be a rich MarkupError
    drawn = terminal.getvalue()
    assert "[bold]x[/bold][/]" in drawn  # rich markup shown, not applied
    assert "\\x1b]0;pwned\\x07" in drawn and f"{ESC}]0;" not in drawn


def test_subprocess_output_is_clean(tmp_path: Path) -> None:
    write_card(tmp_path, "m", f"name: m\ntask: {json.dumps(HOSTILE)}\ndescription: d\n")
    for fmt in ("text", "github", "json"):
        run = subprocess.run(
            [BIN / "zoo", "check", "--cards", tmp_path, "--format", fmt],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert run.returncode == 1, run.stderr
        assert not raw_controls(run.stdout + run.stderr)
        assert "Traceback" not in run.stderr


# GitHub workflow commands


def test_github_annotation_escapes_data_and_properties() -> None:
    finding = Finding("a,line=9,title=x::y%\r\n", 3, 4, "code:1", "msg\r\nnext % 100%0A ##[x]")
    line = finding.github()
    assert "\n" not in line and "\r" not in line
    assert line == (
        "::error file=a%2Cline=9%2Ctitle=x%3A%3Ay%25%0D%0A,line=3,col=4,title=code%3A1"
        "::code:1 msg%0D%0Anext %25 100%250A #\\x23[x]"
    )
    name, properties, data = parse_command(line)
    assert name == "error"
    assert properties == {"file": "a,line=9,title=x::y%\r\n", "line": "3", "col": "4",
                          "title": "code:1"}  # fmt: skip
    assert data == "code:1 msg\r\nnext % 100%0A #\\x23[x]"


def test_github_annotation_shows_escape_sequences(capsys: pytest.CaptureFixture) -> None:
    finding = Finding(f"m{ESC}[2J/model.yml", 1, 1, "x", f"say {ESC}[31mred\u202e")
    assert finding.github() == (
        "::error file=m\\x1b[2J/model.yml,line=1,col=1,title=x::x say \\x1b[31mred\\u202e"
    )
    assert Finding("p", 1, 1, "c", "m", "warning").github().startswith("::warning ")


def test_github_format_lines_stay_commands(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = "m,line=1,title=spoof"
    write_card(tmp_path, "m", 'name: m\ntask: "x\\r\\n::error::spoof"\ndescription: d\n', folder)
    assert main(["check", "--cards", str(tmp_path), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("::error file=") for line in lines)
    files = {parse_command(line)[1]["file"] for line in lines}
    assert files == {str(tmp_path / folder / "model.yml")}
    assert any("x\r\n::error::spoof" in parse_command(line)[2] for line in lines)


# JSON


def test_json_findings_are_ascii_and_round_trip() -> None:
    finding = Finding(f"p{ESC}", 1, 2, "c", f"{HOSTILE}\udcff")
    text = format_findings([finding], "json")
    assert text.isascii()
    (data,) = json.loads(text)
    assert data["message"] == finding.message and data["path"] == finding.path


# JUnit XML


XML_HOSTILE = f"\x00\x01\x08\x0b\x0c{ESC}\udcff\ufffe\uffff]]></failure><x a='\"&<>"


def test_junit_is_well_formed_whatever_the_text() -> None:
    mismatch = Mismatch(field=f"f{XML_HOSTILE}", documented="1", measured="2", message=XML_HOSTILE)
    results = [
        result(f"a{XML_HOSTILE}", "failed", mismatches=[mismatch]),
        result("b", "error", XML_HOSTILE),
        result("c", "skipped", XML_HOSTILE),
    ]
    root = ET.fromstring(junit_xml(results, f"CPU{XML_HOSTILE}").encode())
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert cases[0].get("name") == printable(f"a{XML_HOSTILE} FP32")
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.text == printable(f"f{XML_HOSTILE}: {XML_HOSTILE}")
    error = cases[1].find("error")
    assert error is not None and error.get("message") == printable(XML_HOSTILE)


# CSV


def test_csv_neutralises_formulas_but_not_numbers() -> None:
    assert [csv_cell(x) for x in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=1", "")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=1", "",
    ]  # fmt: skip
    source = card_source(
        name='=HYPERLINK("http://x")',
        license=LicenseInfo.model_construct(id="@cmd"),
        complexity=Complexity.model_construct(gflops=-1.5, mparams=2.0),
        accuracy=[Metric.model_construct(metric="+m", value=-0.25, unit="-u", dataset="\rset")],
        files=[FileEntry.model_construct(name="-f")],
        part_of="\tp",
        year=2020,
    )
    text = models_csv([source])
    assert ",-1.5,2.0," in text  # figures unquoted: numbers to a spreadsheet
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    assert row["name"] == '\'=HYPERLINK("http://x")'
    assert (row["license"], row["metric"], row["metric_unit"]) == ("'@cmd", "'+m", "'-u")
    assert (row["metric_dataset"], row["files"], row["part_of"]) == ("'\rset", "'-f", "'\tp")
    assert row["page"] == 'models/=HYPERLINK("http://x")/'
    # our own figures stay numbers a spreadsheet can sum
    assert (row["gflops"], row["metric_value"], row["year"]) == ("-1.5", "-0.25", "2020")


def test_zoo_info_csv_is_neutralised(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_card(tmp_path, "m", "name: m\ntask: detection\ndescription: d\naccuracy:\n"
               "  - {metric: '=1+cmd|'' /C calc''!A0', value: -3, dataset: '@x'}\n")  # fmt: skip
    assert main(["info", "--cards", str(tmp_path), "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["metric"] == "'=1+cmd|' /C calc'!A0"
    assert (row["metric_dataset"], row["metric_value"]) == ("'@x", "-3")


# Markdown step summary


MD_HOSTILE = (
    "<img src=x onerror=alert(1)> **b** _i_ ~~s~~ `c` [l](javascript:alert(1)) ![i](http://x/p)"
    " <http://x> &amp; &lt; | x | y \\| \n# h\n\n- z"
)


def test_summary_markdown_renders_card_text_as_text() -> None:
    mismatch = Mismatch(field="outputs[1].shape", documented="1", measured="2", message=MD_HOSTILE)
    odd = Mismatch(field="`x` | y", documented="1", measured="2", message="m")
    results = [
        result(f"a{MD_HOSTILE}", "failed", mismatches=[mismatch, odd]),
        result("b", "error", MD_HOSTILE),
    ]
    html = render_summary(summary_markdown(results, f"CPU {MD_HOSTILE}"))
    assert html.tags <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert html.heading == f"zoo validate on CPU {printable(MD_HOSTILE)}"
    header, first, second = html.cells
    assert header == ["Model", "Precision", "Status", "Problem"]
    assert first == [
        f"a{printable(MD_HOSTILE)}", "FP32", "failed",
        f"outputs[1].shape: {printable(MD_HOSTILE)}; `x` | y: m",
    ]  # fmt: skip
    assert second == ["b", "FP32", "error", printable(MD_HOSTILE)]
