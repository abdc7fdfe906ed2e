"""Parse the seed documents independently of the cards, so tests compare site against source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
LINK = re.compile(r"\[([^\]]+)\]\(")


@dataclass
class OverviewRow:
    name: str
    section: str
    gflops: str
    mparams: str
    marks: dict[str, bool] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


def overview_rows() -> list[OverviewRow]:
    """Every model row of the OMZ overview, figures as written ('-' or '' when unknown)."""
    rows: list[OverviewRow] = []
    section, header = "", []
    for line in (SEEDS / "omz-intel-models-overview.md").read_text().splitlines():
        if line.startswith("## "):
            section, header = line[3:].strip(), []
            continue
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not header:
            header = cells
            continue
        if set(cells[0]) <= set("-: "):
            continue
        match = LINK.search(cells[0])
        name = match.group(1) if match else cells[0]
        row = OverviewRow(name, section, cells[1], cells[2])
        for title, value in zip(header[3:], cells[3:], strict=False):
            if section == "Object Detection Models":
                row.marks[title] = value == "X"
            else:
                row.extra[title] = value
        rows.append(row)
    return rows


def matconvnet_md5() -> dict[str, str]:
    text = (SEEDS / "matconvnet-pretrained.md").read_text()
    return dict(
        (name, md5)
        for md5, name in re.findall(r"^\| ([0-9a-f]{32}) \| (\S+\.mat)\s+\|", text, re.M)
    )


def matconvnet_ilsvrc() -> dict[str, list[str]]:
    """model -> [introduced, top-1 err., top-5 err., images/s] of the ILSVRC summary table."""
    text = (SEEDS / "matconvnet-pretrained.md").read_text()
    rows = re.findall(r"^\|\s+([a-z0-9-]+)\|\s+(\d{4})\|\s+([\d.]+)\|\s+([\d.]+)\|\s+([\d.]+)\|$",
                      text, re.M)  # fmt: skip
    return {f"imagenet-{name}": list(figures) for name, *figures in rows}
