"""`zoo drift`: figures a zoo states twice that disagree (index tables, model pages, our cards,
measured validation results). Each disagreement carries both values, where each was read, their
ratio and a diagnosis.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.authoring.import_report import ImportReport
from generator.authoring.omz_import import (
    MAX_README_BYTES,
    Model,
    discover,
    models_root,
    source_text,
)
from generator.authoring.omz_readme import COMPUTE, parse_readme, plain, sections, tables
from generator.cards.card_paths import OutsideCard
from generator.cards.catalog import Catalog
from generator.findings import Finding

FIELDS = ("gflops", "mparams")
INDEX_LINK = re.compile(r"\[[^\]]*\]\(\./([^/)\s]+)/README\.md\)")
FIGURE = re.compile(r"^\s*(\d+(?:\.\d+)?)(?:\s*$|\s+\()")  # '246.93 (for [1,384] input)' too
RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*~\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Stated:
    """A figure as one source writes it."""

    text: str
    where: str  # file
    line: int  # 0: the file has no lines to point at (a JSON report)
    shifted: bool = False  # an index row with more or fewer cells than its header


@dataclass(frozen=True, order=True)
class Drift:
    model: str
    field: str
    left: str  # source names: index, README, card, measured
    left_value: str
    left_where: str
    right: str
    right_value: str
    right_where: str
    ratio: float | None
    diagnosis: str

    def message(self) -> str:
        ratio = f"ratio {self.ratio:.3f}" if self.ratio is not None else "no ratio"
        return (
            f"{self.model} {self.field}: {self.left} {self.left_value or '-'} vs {self.right} "
            f"{self.right_value or '-'} ({self.right_where}), {ratio}: {self.diagnosis}"
        )

    def finding(self) -> Finding:
        path, _, line = self.left_where.rpartition(":")
        if not line.isdigit():
            path, line = self.left_where, "1"
        return Finding(
            path,
            int(line),
            1,
            f"drift-{self.kind}",
            self.message(),
            "warning",
        )

    @property
    def kind(self) -> str:
        return self.diagnosis.split(" ")[0].split("(")[0].strip(":,")


def numbers(text: str) -> tuple[float, float] | None:
    """(low, high) of a figure or a range written as 'a~b'."""
    if match := FIGURE.match(text):
        return float(match[1]), float(match[1])
    if match := RANGE.match(text):
        return float(match[1]), float(match[2])
    return None


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def diagnose(left: Stated | None, right: Stated | None, other: dict) -> tuple[float | None, str]:
    """The ratio left/right and why they differ; `other` holds each side's other figure."""
    if left is None or right is None or not left.text or not right.text:
        side = "left" if left is None or not left.text else "right"
        return None, f"missing on the {side} side"
    a, b = numbers(left.text), numbers(right.text)
    if a is None or b is None:
        return None, "not a number on one side"
    if a == b:
        return 1.0, "same"  # the same figure, one side with a note after it
    mid_a, mid_b = sum(a) / 2, sum(b) / 2
    ratio = mid_a / mid_b if mid_b else None
    if a[0] != a[1] or b[0] != b[1]:
        slack = 10 ** -min(decimals(left.text.split("~")[0]), decimals(right.text.split("~")[0]))
        inside = a[0] - slack <= b[0] <= a[1] + slack or b[0] - slack <= a[0] <= b[1] + slack
        return ratio, "range" + (" (the other value inside it)" if inside else " (outside it)")
    if left.shifted or right.shifted:
        return ratio, "shifted row (a cell too many or too few in the index row)"
    places = min(decimals(left.text), decimals(right.text))
    if abs(round(a[0], places) - round(b[0], places)) <= 10**-places * 1.0001:
        return ratio, "rounding only"
    swapped_left, swapped_right = other.get("left"), other.get("right")
    if swapped_left and swapped_right:
        x, y = numbers(swapped_left.text), numbers(swapped_right.text)
        if x and y and close(a[0], y[0]) and close(x[0], b[0]):
            return ratio, "swapped columns (GFLOPs and MParams)"
    if ratio is not None and 1.9 <= ratio <= 2.1:
        return ratio, "MACs vs FLOPs (x2)"
    if ratio is not None and 0.475 <= ratio <= 0.525:
        return ratio, "MACs vs FLOPs (x0.5)"
    if ratio is None:
        return ratio, "differs"
    return ratio, f"differs by {abs(ratio - 1) * 100:.1f}%"


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def index_figures(root: Path, names: set[str], parts: dict[str, list[str]]) -> dict:
    """model -> field -> Stated, from every `<group>/index.md` table with figure columns."""
    found: dict[str, dict[str, Stated]] = {}
    for group in ("intel", "public"):
        where = f"models/{group}/index.md"
        try:
            text = source_text(root, f"{group}/index.md", MAX_README_BYTES)
        except (OSError, OutsideCard, ValueError):
            continue
        for section in sections(text):
            for table in tables(section.body):
                header = [plain(cell).lower() for cell in table[0][1]]
                columns = {
                    "gflops": next((i for i, h in enumerate(header) if COMPUTE.search(h)), None),
                    "mparams": next(
                        (i for i, h in enumerate(header) if "mparams" in h or "(mp)" in h), None
                    ),
                }
                if columns["gflops"] is None and columns["mparams"] is None:
                    continue
                previous: list[str] = []
                for line, cells in table[1:]:
                    row = [name for cell in cells for name in INDEX_LINK.findall(cell)]
                    if not row and previous and len(previous) == 1:
                        part = f"{previous[0]}-{plain(cells[0]).strip()}"
                        row = [p for p in parts.get(previous[0], []) if p == part]
                    else:
                        previous = row
                    shifted = len(cells) != len(header)
                    for position, name in enumerate(row):
                        if name not in names:
                            continue
                        for field, column in columns.items():
                            if column is None or column >= len(cells):
                                continue
                            values = [plain(v) for v in re.split(r"<br\s*/?>", cells[column])]
                            value = values[position] if position < len(values) else values[-1]
                            if value in ("-", "—"):
                                value = ""
                            found.setdefault(name, {}).setdefault(
                                field, Stated(value, where, line, shifted)
                            )
    return found


def readme_figures(root: Path, models: list[Model]) -> dict:
    found: dict[str, dict[str, Stated]] = {}
    texts: dict[str, str | None] = {}
    for model in models:
        if model.composite:
            continue
        if model.readme_folder not in texts:
            try:
                texts[model.readme_folder] = source_text(
                    root, f"{model.readme_folder}/README.md", MAX_README_BYTES
                )
            except (OSError, OutsideCard, ValueError):
                texts[model.readme_folder] = None
        text = texts[model.readme_folder]
        if text is None:
            continue
        suffix = model.name.removeprefix(f"{model.part_of}-") if model.part_of else None
        spec = parse_readme(text, suffix)
        where = f"models/{model.readme_folder}/README.md"
        lines = text.splitlines()
        for field in FIELDS:
            if (figure := getattr(spec, field)) is not None:
                cell = (
                    lines[figure.line - 1].split("|")[-2] if "|" in lines[figure.line - 1] else ""
                )
                stated = numbers(plain(cell))
                same = stated is not None and stated[0] == float(figure.value)
                written = plain(cell) if same else str(figure.value)  # MFlops: in GFLOPs
                found.setdefault(model.name, {})[field] = Stated(written, where, figure.line)
    return found


def card_figures(catalog: Catalog) -> dict:
    found: dict[str, dict[str, Stated]] = {}
    for source in catalog.cards:
        complexity = source.card.complexity
        for field in FIELDS:
            value = getattr(complexity, field) if complexity else None
            if value is not None:
                at = source.doc.position(("complexity", field)).line
                found.setdefault(source.name, {})[field] = Stated(str(value), str(source.yml), at)
    return found


def compare(left_name: str, left: dict, right_name: str, right: dict, both: bool) -> list[Drift]:
    """Drift between two sources; with both=False a model missing from `left` is skipped."""
    drifts = []
    for model in sorted(set(left) | set(right)):
        if model not in left or (model not in right and not both):
            continue
        for field in FIELDS:
            a, b = left[model].get(field), right.get(model, {}).get(field)
            if (a is None or not a.text) and (b is None or not b.text):
                continue
            if a is not None and b is not None and a.text == b.text:
                continue
            other_field = FIELDS[1 - FIELDS.index(field)]
            other = {
                "left": left[model].get(other_field),
                "right": right.get(model, {}).get(other_field),
            }
            ratio, diagnosis = diagnose(a, b, other)
            if diagnosis == "same" or (diagnosis.startswith("missing on the left") and not both):
                continue
            drifts.append(
                Drift(
                    model,
                    field,
                    left_name,
                    a.text if a else "",
                    located(a) if a else located(b) if b else "",
                    right_name,
                    b.text if b else "",
                    located(b) if b else "",
                    ratio,
                    diagnosis,
                )
            )
    return drifts


def located(stated: Stated) -> str:
    return f"{stated.where}:{stated.line}" if stated.line else stated.where


def measured_text(value: float, card: Stated | None) -> str:
    """A measured figure as text: the card's own text when it is the measurement rounded to the
    card's digits (what the card claims), else enough digits to show the difference."""
    if card is not None and (stated := numbers(card.text)) is not None and stated[0] == stated[1]:
        places = decimals(card.text)
        if round(value, places) == stated[0]:
            return card.text
        return f"{value:.{max(places + 2, 3)}f}"
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def measured_figures(reports: list[Path], cards: dict) -> dict:
    """model -> field -> Stated from validation reports: the newest result per model, precision
    and device, and of those the first by precision and device name (a model's IRs count the
    same operations whatever their precision)."""
    from generator.validation.results import merge_results, read_report

    where: dict[int, Path] = {}
    results = []
    for path in reports:
        for result in read_report(path).results:
            where[id(result)] = path
            results.append(result)
    found: dict[str, dict[str, Stated]] = {}
    for result in merge_results(results):
        if result.name not in cards or result.name in found:
            continue
        figures = {}
        for field in FIELDS:
            value = getattr(result, f"measured_{field}")
            if value is not None:
                label = f"{where[id(result)]} ({result.precision or '-'}, {result.device})"
                text = measured_text(value, cards[result.name].get(field))
                figures[field] = Stated(text, label, 0)
        if figures:
            found[result.name] = figures
    return found


def drift_report(
    against: Path | None, catalog: Catalog | None, reports: list[Path] = ()
) -> tuple[list[Drift], dict]:
    """Index vs README of an OMZ checkout, our cards vs its README and index, and our cards vs
    the figures validation measured (ReportError for a report that cannot be read)."""
    drifts: list[Drift] = []
    stats = {"index models": 0, "README models": 0, "measured models": 0}
    cards = card_figures(catalog) if catalog is not None else {}
    if against is not None:
        root = models_root(against)
        models = discover(root, ImportReport(str(against)))
        names = {model.name for model in models}
        parts = {model.name: model.parts for model in models if model.parts}
        index = index_figures(root, names, parts)
        readme = readme_figures(root, models)
        drifts += compare("index", index, "README", readme, both=True)
        if catalog is not None:
            ours = {name: figures for name, figures in cards.items() if name in names}
            drifts += compare("card", ours, "README", readme, both=False)
        stats.update({"index models": len(index), "README models": len(readme)})
    if reports and catalog is not None:
        everyone = {source.name: cards.get(source.name, {}) for source in catalog.cards}
        measured = measured_figures(list(reports), everyone)
        # only the figures measured are compared; one the card lacks is missing at its file
        ours = {
            name: {
                field: everyone[name].get(field) or Stated("", str(catalog.by_name[name].yml), 1)
                for field in figures
            }
            for name, figures in measured.items()
        }
        drifts += compare("card", ours, "measured", measured, both=True)
        stats["measured models"] = len(measured)
    stats["drifts"] = len(drifts)
    return sorted(drifts), stats


def drift_json(drifts: list[Drift]) -> list[dict]:
    """The report as `--format json` prints it; texts clipped so that the site reads it back."""
    from generator.authoring.drift_report import MAX_TEXT

    def clipped(value: object) -> object:
        if isinstance(value, str) and len(value) > MAX_TEXT:
            return value[: MAX_TEXT - 1] + "…"
        return value

    return [
        {key: clipped(value) for key, value in {**asdict(drift), "kind": drift.kind}.items()}
        for drift in drifts
    ]
