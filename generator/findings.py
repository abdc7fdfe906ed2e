"""Findings: problems found in cards, each with a file position, and their output formats.

Stages collect findings as values; only the CLI decides how to print them and the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from generator.safe_text import github_data, github_property, printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = "error"

    def text(self) -> str:
        """One line, whatever the path or message hold (card text is shown, never obeyed)."""
        return printable(f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}")

    def github(self) -> str:
        """One GitHub workflow command (an annotation), escaped as the runner unescapes it."""
        command = "warning" if self.severity == "warning" else "error"
        return (
            f"::{command} file={github_property(self.path)},line={self.line},"
            f"col={self.col},title={github_property(self.code)}"
            f"::{github_data(f'{self.code} {self.message}')}"
        )


def relative(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def format_findings(findings: Iterable[Finding], fmt: str) -> str:
    findings = sorted(findings)
    if fmt == "json":
        return json.dumps([asdict(finding) for finding in findings], indent=2)
    if fmt == "github":
        return "\n".join(finding.github() for finding in findings)
    return "\n".join(finding.text() for finding in findings)
