"""Validation results for CI: JUnit XML (`--junit FILE`) and a Markdown summary (`--summary`).

JUnit has one testcase per model and precision: <failure> if failed, <error>, <skipped>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from generator.results import ValidationResult


def junit_xml(results: Sequence[ValidationResult], device: str) -> str:
    """JUnit XML with one testcase per model and precision."""

    def count(status: str) -> str:
        return str(sum(result.status == status for result in results))

    seconds = sum(result.timings.total for result in results)
    suite = ET.Element(
        "testsuite",
        name=f"zoo validate {device}",
        tests=str(len(results)),
        failures=count("failed"),
        errors=count("error"),
        skipped=count("skipped"),
        time=f"{seconds:.3f}",
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"zoo.validate.{result.device}",
            name=f"{result.name} {result.precision or '-'}",
            time=f"{result.timings.total:.3f}",
        )
        details = "\n".join(f"{mismatch.field}: {mismatch.message}" for mismatch in result.errors)
        if result.status == "failed":
            first = details.splitlines()[0] if details else "failed"
            ET.SubElement(case, "failure", message=first).text = details
        elif result.status == "error":
            ET.SubElement(case, "error", message=result.message).text = result.message
        elif result.status == "skipped":
            ET.SubElement(case, "skipped", message=result.message)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def summary_markdown(results: Sequence[ValidationResult], device: str) -> str:
    """A GitHub step summary: counts, then one row per model that failed or errored."""
    counts = {status: sum(r.status == status for r in results) for status in STATUS_MARKS}
    lines = [
        f"### zoo validate on {device}",
        "",
        " · ".join(f"{STATUS_MARKS[status]} {count} {status}" for status, count in counts.items()),
        "",
    ]
    bad = [result for result in results if result.status in ("failed", "error")]
    if bad:
        lines += ["| Model | Precision | Status | Problem |", "|---|---|---|---|"]
        for result in bad:
            problems = [f"`{m.field}`: {m.message}" for m in result.errors]
            problem = (result.message or "; ".join(problems)).replace("|", "\\|")
            lines.append(
                f"| {result.name} | {result.precision or '-'} | {result.status} | {problem} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


STATUS_MARKS = {"passed": "✔", "failed": "✘", "error": "⚠", "skipped": "○"}
