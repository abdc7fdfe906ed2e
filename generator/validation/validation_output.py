"""Validation results for CI: JUnit XML (`--junit FILE`) and a Markdown summary (`--summary`).

JUnit has one testcase per model and precision: <failure> if failed, <error>, <skipped>.
Card and IR text is escaped for each: the XML always parses, the Markdown renders as plain text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from generator.safe_text import markdown_text, xml_text
from generator.validation.results import ValidationResult


def junit_xml(results: Sequence[ValidationResult], device: str) -> str:
    """JUnit XML with one testcase per model and precision."""

    def count(status: str) -> str:
        return str(sum(result.status == status for result in results))

    seconds = sum(result.timings.total for result in results)
    suite = ET.Element(
        "testsuite",
        name=xml_text(f"zoo validate {device}"),
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
            classname=xml_text(f"zoo.validate.{result.device}"),
            name=xml_text(f"{result.name} {result.precision or '-'}"),
            time=f"{result.timings.total:.3f}",
        )
        details = "\n".join(f"{mismatch.field}: {mismatch.message}" for mismatch in result.errors)
        message = xml_text(result.message)
        if result.status == "failed":
            first = details.splitlines()[0] if details else "failed"
            ET.SubElement(case, "failure", message=xml_text(first)).text = xml_text(details)
        elif result.status == "error":
            ET.SubElement(case, "error", message=message).text = message
        elif result.status == "skipped":
            ET.SubElement(case, "skipped", message=message)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def summary_markdown(results: Sequence[ValidationResult], device: str) -> str:
    """A GitHub step summary: counts, then one row per model that failed or errored."""
    counts = {status: sum(r.status == status for r in results) for status in STATUS_MARKS}
    lines = [
        f"### zoo validate on {markdown_text(device)}",
        "",
        " · ".join(f"{STATUS_MARKS[status]} {count} {status}" for status, count in counts.items()),
        "",
    ]
    bad = [result for result in results if result.status in ("failed", "error")]
    if bad:
        lines += ["| Model | Precision | Status | Problem |", "|---|---|---|---|"]
        for result in bad:
            problems = [f"{_field(m.field)}: {markdown_text(m.message)}" for m in result.errors]
            problem = markdown_text(result.message) if result.message else "; ".join(problems)
            lines.append(
                f"| {markdown_text(result.name)} | {markdown_text(result.precision or '-')} "
                f"| {result.status} | {problem} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


STATUS_MARKS = {"passed": "✔", "failed": "✘", "error": "⚠", "skipped": "○"}
_FIELD = re.compile(r"[\w.\[\]]+", re.ASCII)


def _field(field: str) -> str:
    """A card field such as outputs[1].shape as code; anything else as escaped text."""
    return f"`{field}`" if _FIELD.fullmatch(field) else markdown_text(field)
