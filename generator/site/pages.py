"""The site's generated pages: which exist, and the typed data each template receives.

Everything here is data shaping; the layout lives in `templates/`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from generator.authoring.drift_report import DriftEntry
from generator.cards.card_paths import OutsideCard, card_path, read_card_text
from generator.cards.catalog import CardSource, Catalog
from generator.cards.checks import card_texts
from generator.cards.license_class import license_class
from generator.cards.links import links
from generator.cards.schema import Citation, FileEntry, Metric, Speed
from generator.cards.vocab import TASKS, TaskInfo
from generator.site.leaderboards import INDEX_PATH, Entry, Leaderboard, by_task, leaderboards
from generator.site.model_page import RelatedIndex, bibtex, layout_legend, runtime_snippet
from generator.site.view_model import model_page
from generator.validation.complexity import rule_table
from generator.validation.conventions import CONVENTIONS, DEFAULT_CONVENTION
from generator.validation.ir_compare import shape_text
from generator.validation.results import ValidationResult

# raster images only: an SVG or HTML file can carry script
IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
MAX_IMAGE_BYTES = 16 << 20
MAX_LICENSE_BYTES = 1 << 20


@dataclass(frozen=True)
class SitePage:
    path: str  # source path inside the docs tree, e.g. models/<name>/index.md
    template: str
    # made when the page is rendered: thousands of model contexts are never held at once
    make_context: Callable[[], dict] = field(hash=False)

    @property
    def context(self) -> dict:
        return self.make_context()


def _page(path: str, template: str, context: dict) -> SitePage:
    return SitePage(path, template, lambda: context)


@dataclass(frozen=True)
class TaskSection:
    task: str
    info: TaskInfo
    rows: list[tuple[CardSource, bool]]  # (card, is a part of the row above)


@dataclass
class AccuracyGroup:
    dataset: str
    metrics: list[str]
    has_speed: bool
    rows: list[tuple[CardSource, dict[str, Metric], Speed | None]]


@dataclass
class CitationEntry:
    citation: Citation
    models: list[CardSource]


@dataclass
class DeviceMatrix:
    """Model x device validation status, from all merged results."""

    devices: list[str]
    rows: list[tuple[CardSource, dict[str, list[ValidationResult]]]]


def site_pages(
    catalog: Catalog,
    results: list[ValidationResult] = (),
    drift: list[DriftEntry] | None = None,
    convention: str = DEFAULT_CONVENTION,
) -> Iterator[SitePage]:
    """Every generated page; `convention` is how this zoo counts GFLOPs (the plugin option)."""
    by_model: dict[str, list[ValidationResult]] = {}
    for result in results:
        by_model.setdefault(result.name, []).append(result)
    yield _page("overview.md", "overview.md.j2", {"sections": task_sections(catalog)})
    # the catalog page renders models.json in the browser (docs/javascripts/catalog.js)
    yield _page("catalog.md", "catalog.md.j2", {"count": len(catalog.cards)})
    yield _page("devices.md", "devices.md.j2", {"matrix": device_matrix(catalog, by_model)})
    boards = leaderboards(catalog)
    accuracy = {"groups": accuracy_groups(catalog), "boards": boards_by_dataset(boards)}
    yield _page("accuracy.md", "accuracy.md.j2", accuracy)
    yield _page("checksums.md", "checksums.md.j2", {"rows": checksum_rows(catalog)})
    yield _page("citations.md", "citations.md.j2", {"entries": citation_entries(catalog)})
    yield _page("counting.md", "counting.md.j2", counting_rules())
    if drift is not None:
        yield _page("drift.md", "drift.md.j2", drift_page(catalog, drift))
    yield _page(INDEX_PATH, "leaderboards.md.j2", {"tasks": by_task(boards)})
    yield from (_page(board.path, "leaderboard.md.j2", {"board": board}) for board in boards)
    placed = board_places(boards)
    related = RelatedIndex(catalog)
    for source in catalog.cards:
        validation = by_model.get(source.name, [])
        make = partial(model_context, catalog, source, validation, related, convention, placed)
        yield SitePage(model_page(source.name), "model.md.j2", make)


def board_places(boards: list[Leaderboard]) -> dict[tuple[str, int], tuple[Leaderboard, Entry]]:
    """(model name, id of its Metric) -> the leaderboard that ranks that figure, and where."""
    return {
        (entry.source.name, id(entry.metric)): (board, entry)
        for board in boards
        for entry in board.entries
    }


def model_context(
    catalog: Catalog,
    source: CardSource,
    validation: list[ValidationResult],
    related: RelatedIndex,
    convention: str = DEFAULT_CONVENTION,
    placed: dict[tuple[str, int], tuple[Leaderboard, Entry]] | None = None,
) -> dict:
    card = source.card
    placed = placed or {}
    return {
        "source": source,
        "card": card,
        "parts": catalog.parts(source),
        "parent": catalog.by_name.get(card.part_of) if card.part_of else None,
        "task": TASKS.get(card.task),
        "license_text": license_text_uri(source),
        "license_class": license_class(card.license.id if card.license else None),
        "label_map": label_map_uri(source),
        "validation": validation,
        "convention": convention,
        "counted_zero": counted_zero(validation, convention),
        "comparisons": [
            (result, comparison_rows(source, result))
            for result in validation
            if result.status in ("passed", "failed")
        ],
        "snippet": runtime_snippet(card),
        "bibtex": [(citation, bibtex(citation)) for citation in card.citations],
        "related": related.related(source),
        "layout_legend": layout_legend(card),
        "checksums": checksum_groups(card.files),
        # each accuracy figure's place on its leaderboard (None: the card's second figure of
        # the same kind, which no leaderboard ranks)
        "places": [placed.get((source.name, id(m))) for m in card.accuracy],
    }


def counted_zero(results: list[ValidationResult], convention: str) -> list[str]:
    """The op types a model has that `convention` counts as 0 or that have no cost rule, with
    their counts ("Gelu (x2)"), from its first result counted that way."""
    for result in results:
        if result.convention == convention and (result.breakdown or result.unknown_ops):
            zero = {kind: f.ops for kind, f in result.breakdown.items() if f.zero_by_convention}
            kinds = {**zero, **result.unknown_ops}
            return [f"{kind} (x{count})" for kind, count in sorted(kinds.items()) if count]
    return []


def checksum_groups(files: list[FileEntry]) -> list[tuple[str, str]]:
    """(algorithm, lines as `<algorithm>sum -c` reads them) for the card's files."""
    lines: dict[str, list[str]] = {}
    for entry in sorted(files, key=lambda entry: entry.name):
        if (checksum := entry.checksum) is not None:
            lines.setdefault(checksum[0], []).append(f"{checksum[1]}  {entry.name}")
    return [(algorithm, "\n".join(rows)) for algorithm, rows in lines.items()]


@dataclass(frozen=True)
class SiteAsset:
    """A file the site publishes beside a model page: an image file, or a license as text."""

    uri: str
    path: Path | None = None
    text: str | None = None


def license_text_uri(source: CardSource) -> str | None:
    """Where the card's license file is published, always as plain text (so never as a page)."""
    license_ = source.card.license
    if license_ is None or not license_.file:
        return None
    name = PurePosixPath(license_.file).name
    return name if name.endswith(".txt") else f"{name}.txt"


def label_map_uri(source: CardSource) -> str | None:
    """Where the card's label map is published as plain text (its own folder: never the
    license's name, never an image's)."""
    if not source.card.label_map:
        return None
    name = PurePosixPath(source.card.label_map).name
    return f"label-map/{name if name.endswith('.txt') else name + '.txt'}"


def site_assets(catalog: Catalog) -> Iterator[SiteAsset]:
    """Files beside cards that their pages may use: linked raster images whose bytes are what
    their suffix says, and the license text. Nothing else of a card folder is published."""
    for source in catalog.cards:
        # the same links `zoo check` judges: README.md and every text of the card
        texts = [source.prose or "", *(text for _, text in card_texts(source.doc.data, ()))]
        wanted = {link.path for text in texts for link in links(text) if link.relative}
        for relative in sorted(wanted):
            try:
                path = card_path(source.folder, relative)
            except OutsideCard:
                continue
            if is_image(path):
                yield SiteAsset(f"models/{source.name}/{PurePosixPath(relative).as_posix()}", path)
        license_file = source.card.license.file if source.card.license else None
        for uri, relative in (
            (license_text_uri(source), license_file),
            (label_map_uri(source), source.card.label_map),
        ):
            if uri is None or relative is None:
                continue
            try:
                text = read_card_text(card_path(source.folder, relative), MAX_LICENSE_BYTES)
            except (OutsideCard, OSError, ValueError):
                continue  # `zoo check` reports it; the page then has no link
            yield SiteAsset(f"models/{source.name}/{uri}", text=text)


def is_image(path: Path) -> bool:
    """A regular file, not too large, with an allowed suffix and the matching magic bytes."""
    signatures = IMAGE_SIGNATURES.get(path.suffix.lower())
    if signatures is None or not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
        return False
    with path.open("rb") as stream:
        head = stream.read(12)
    if path.suffix.lower() == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return head.startswith(signatures)


def task_sections(catalog: Catalog) -> list[TaskSection]:
    def order(task: str) -> tuple[int, str]:
        info = TASKS.get(task)
        return (info.order if info else 1000, task)

    sections = []
    for task in sorted(catalog.by_task, key=order):
        rows: list[tuple[CardSource, bool]] = []
        for source in catalog.by_task[task]:
            rows.append((source, False))
            rows.extend((part, True) for part in catalog.parts(source))
        sections.append(TaskSection(task, TASKS[task], rows))
    return sections


def comparison_rows(source: CardSource, result: ValidationResult) -> list[tuple[str, str, str]]:
    """(figure, documented, measured) rows: complexity, then each input and output."""
    complexity = source.card.complexity

    def documented(key: str) -> str:
        value = getattr(complexity, key) if complexity else None
        return "-" if value is None else str(value)

    def measured(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = [
        ("GFLOPs", documented("gflops"), measured(result.measured_gflops)),
        ("MParams", documented("mparams"), measured(result.measured_mparams)),
    ]
    for kind, cards, tensors in (
        ("Input", source.card.inputs, result.inputs),
        ("Output", source.card.outputs, result.outputs),
    ):
        for index, tensor in enumerate(tensors):
            match = next((t for t in cards if t.name and t.name == tensor.name), None)
            if match is None and index < len(cards):
                match = cards[index]
            rows.append(
                (
                    f"{kind} {tensor.name or index}",
                    f"{shape_text(match.shape)} {match.type}" if match else "-",
                    f"{shape_text(tensor.shape)} {tensor.type}",
                )
            )
    return rows


def device_matrix(catalog: Catalog, by_model: dict[str, list[ValidationResult]]) -> DeviceMatrix:
    devices = sorted({result.device for results in by_model.values() for result in results})
    rows = []
    for source in catalog.cards:
        per_device: dict[str, list[ValidationResult]] = {}
        for result in by_model.get(source.name, []):
            per_device.setdefault(result.device, []).append(result)
        if per_device:
            rows.append((source, per_device))
    return DeviceMatrix(devices, rows)


def accuracy_groups(catalog: Catalog) -> list[AccuracyGroup]:
    """One table per dataset: the models evaluated on it, their metrics, speed and year."""
    groups: dict[str, AccuracyGroup] = {}
    for source in catalog.cards:
        by_dataset: dict[str, dict[str, Metric]] = {}
        for metric in source.card.accuracy:
            by_dataset.setdefault(metric.dataset or "Other", {})[metric.metric] = metric
        for dataset, metrics in by_dataset.items():
            group = groups.setdefault(dataset, AccuracyGroup(dataset, [], False, []))
            group.metrics.extend(name for name in metrics if name not in group.metrics)
            speed = source.card.speed[0] if source.card.speed else None
            group.has_speed |= speed is not None
            group.rows.append((source, metrics, speed))
    return sorted(groups.values(), key=lambda group: (group.dataset == "Other", group.dataset))


def boards_by_dataset(boards: list[Leaderboard]) -> dict[str, list[Leaderboard]]:
    """The leaderboards of each accuracy table (keyed like `accuracy_groups`)."""
    grouped: dict[str, list[Leaderboard]] = {}
    for board in boards:
        grouped.setdefault(board.dataset or "Other", []).append(board)
    return grouped


def checksum_rows(catalog: Catalog) -> list[tuple[CardSource, FileEntry]]:
    return [
        (source, entry)
        for source in catalog.cards
        for entry in sorted(source.card.files, key=lambda entry: entry.name)
    ]


def citation_entries(catalog: Catalog) -> list[CitationEntry]:
    entries: dict[str, CitationEntry] = {}
    for source in catalog.cards:
        for citation in source.card.citations:
            entry = entries.setdefault(citation.title, CitationEntry(citation, []))
            entry.models.append(source)
    return sorted(
        entries.values(), key=lambda entry: (-(entry.citation.year or 0), entry.citation.title)
    )


def counting_rules() -> dict:
    """The conventions and every op's rule under each, from the counter's own registry."""
    return {"conventions": CONVENTIONS, "default": DEFAULT_CONVENTION, "rules": rule_table()}


SOURCE_TITLES = {
    "index": "index table",
    "README": "model page",
    "card": "card",
    "measured": "measured",
}
FIELD_TITLES = {"gflops": "GFLOPs", "mparams": "MParams"}


@dataclass(frozen=True)
class DriftRow:
    entry: DriftEntry
    source: CardSource | None  # the model's card, when the catalog has it


def drift_page(catalog: Catalog, drift: list[DriftEntry]) -> dict:
    """A drift report as a summary (count per pair of sources and diagnosis) and its rows."""
    counts: dict[tuple[str, str, str], int] = {}
    for entry in drift:
        key = (entry.left, entry.right, entry.kind)
        counts[key] = counts.get(key, 0) + 1
    rows = [
        DriftRow(entry, catalog.by_name.get(entry.model))
        for entry in sorted(drift, key=lambda entry: (entry.model, entry.field, entry.left))
    ]
    return {
        "summary": sorted(counts.items(), key=lambda item: (-item[1], item[0])),
        "rows": rows,
        "models": len({entry.model for entry in drift}),
        "sources": SOURCE_TITLES,
        "fields": FIELD_TITLES,
    }
