"""Maintainer script: extract the facts of the seed documents into tests/data/seed_facts.json.

Only names, sections, figures as written, category marks and checksums are kept, never prose.
Rerun when a seed changes: `PYTHONPATH=. .venv/bin/python tests/data/extract_seed_facts.py
SEEDS_DIR [OUTPUT]`, SEEDS_DIR holding omz-intel-models-overview.md and matconvnet-pretrained.md.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from generator.atomic_file import write_atomic

OUTPUT = Path(__file__).resolve().parent / "seed_facts.json"
OVERVIEW = "omz-intel-models-overview.md"
MATCONVNET = "matconvnet-pretrained.md"
DETECTION = "Object Detection Models"
LINK = re.compile(r"\[([^\]]+)\]\(")
MD5_ROW = re.compile(r"^\| ([0-9a-f]{32}) \| (\S+\.mat)\s+\|", re.M)
ILSVRC_ROW = re.compile(
    r"^\|\s+([a-z0-9-]+)\|\s+(\d{4})\|\s+([\d.]+)\|\s+([\d.]+)\|\s+([\d.]+)\|$", re.M
)


class SeedError(Exception):
    """A seed document is missing or holds none of the rows we extract."""


def overview_rows(text: str) -> list[dict]:
    """Every model row of the OMZ overview, figures as written ('-' or '' when unknown)."""
    rows: list[dict] = []
    section, header = "", []
    for line in text.splitlines():
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
        row = {
            "name": match.group(1) if match else cells[0],
            "section": section,
            "gflops": cells[1],
            "mparams": cells[2],
            "marks": {},
            "extra": {},
        }
        for title, value in zip(header[3:], cells[3:], strict=False):
            if section == DETECTION:
                row["marks"][title] = value == "X"
            else:
                row["extra"][title] = value
        rows.append(row)
    return rows


def matconvnet_md5(text: str) -> dict[str, str]:
    """File name -> md5 of the MatConvNet checksum table."""
    return {name: md5 for md5, name in MD5_ROW.findall(text)}


def matconvnet_ilsvrc(text: str) -> dict[str, list[str]]:
    """model -> [introduced, top-1 err., top-5 err., images/s] of the ILSVRC summary table."""
    return {f"imagenet-{name}": list(figures) for name, *figures in ILSVRC_ROW.findall(text)}


def read_seed(seeds: Path, name: str) -> str:
    path = seeds / name
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise SeedError(f"{path}: cannot read: {reason}") from None


def extract(seeds: Path) -> dict:
    """The facts of both seed documents, with the sha256 of each so a stale extract shows."""
    overview, matconvnet = read_seed(seeds, OVERVIEW), read_seed(seeds, MATCONVNET)
    facts = {
        "about": "Facts of the seed documents, written by tests/data/extract_seed_facts.py.",
        "sources": {
            name: hashlib.sha256(text.encode("utf-8")).hexdigest()
            for name, text in ((OVERVIEW, overview), (MATCONVNET, matconvnet))
        },
        "overview": overview_rows(overview),
        "matconvnet_md5": matconvnet_md5(matconvnet),
        "matconvnet_ilsvrc": matconvnet_ilsvrc(matconvnet),
    }
    for key, name in (("overview", OVERVIEW), ("matconvnet_md5", MATCONVNET),
                      ("matconvnet_ilsvrc", MATCONVNET)):  # fmt: skip
        if not facts[key]:
            raise SeedError(f"{seeds / name}: no rows found for {key}; has its format changed?")
    return facts


def to_json(facts: dict) -> str:
    """JSON with one row per line, so a changed seed shows as a small diff."""

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in facts.items():
        if isinstance(value, list):
            items = [dumps(item) for item in value]
            parts.append(f"{dumps(key)}: [\n  " + ",\n  ".join(items) + "\n ]")
        elif isinstance(value, dict):
            items = [f"{dumps(name)}: {dumps(item)}" for name, item in value.items()]
            parts.append(f"{dumps(key)}: {{\n  " + ",\n  ".join(items) + "\n }")
        else:
            parts.append(f"{dumps(key)}: {dumps(value)}")
    return "{\n " + ",\n ".join(parts) + "\n}\n"


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: extract_seed_facts.py SEEDS_DIR [OUTPUT]", file=sys.stderr)
        return 2
    output = Path(argv[1]) if len(argv) == 2 else OUTPUT
    try:
        facts = extract(Path(argv[0]))
    except SeedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = to_json(facts)
    assert json.loads(text) == facts
    write_atomic(output, text)
    counts = {key: len(facts[key]) for key in ("overview", "matconvnet_md5", "matconvnet_ilsvrc")}
    print(f"wrote {output}: rows {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
