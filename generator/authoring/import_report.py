"""The import report: every heuristic applied and every conflict met, per model and field.

Written as Markdown for people and JSON for scripts, both sorted so an unchanged source gives
the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Entry:
    model: str
    field: str
    kind: str  # heuristic, conflict, kept (a hand edit kept), skipped, error
    source: str  # source file, relative to the imported tree
    line: int
    message: str


@dataclass
class ImportReport:
    source: str
    entries: list[Entry] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # cards created or changed
    unchanged: list[str] = field(default_factory=list)

    def add(self, model: str, field_name: str, kind: str, source: str, line: int, message: str):
        self.entries.append(Entry(model, field_name, kind, source, line, message))

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.kind] = counts.get(entry.kind, 0) + 1
        return dict(sorted(counts.items()))

    def to_json(self) -> str:
        data = {
            "source": self.source,
            "counts": self.counts(),
            "entries": [asdict(entry) for entry in sorted(set(self.entries))],
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        lines = [f"# Import report: {md(self.source)}", ""]
        counts = ", ".join(f"{count} {kind}" for kind, count in self.counts().items())
        lines += [f"Entries: {counts or 'none'}.", ""]
        model = None
        for entry in sorted(set(self.entries)):
            if entry.model != model:
                model = entry.model
                lines += ["", f"## {md(model)}", "", "| field | kind | where | what |"]
                lines += ["|---|---|---|---|"]
            where = f"{entry.source}:{entry.line}" if entry.line else entry.source
            lines.append(
                f"| {md(entry.field)} | {entry.kind} | {md(where)} | {md(entry.message)} |"
            )
        return "\n".join(lines).rstrip() + "\n"


def md(text: str) -> str:
    """Source text shown as text in a Markdown table cell."""
    escaped = "".join(f"\\{char}" if char in "\\`*_[]<>|#" else char for char in text)
    return " ".join(escaped.split())
