"""The site's generated pages: which exist, and the typed data each template receives.

Everything here is data shaping; the layout lives in `templates/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.catalog import CardSource, Catalog
from generator.links import link_path, relative_links
from generator.schema import Citation, FileEntry, Metric, Speed
from generator.vocab import TASKS, TaskInfo


@dataclass(frozen=True)
class SitePage:
    path: str  # source path inside the docs tree, e.g. models/<name>/index.md
    template: str
    context: dict = field(hash=False)


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


def model_page_path(name: str) -> str:
    return f"models/{name}/index.md"


def site_pages(catalog: Catalog) -> Iterator[SitePage]:
    yield SitePage("overview.md", "overview.md.j2", {"sections": task_sections(catalog)})
    yield SitePage("accuracy.md", "accuracy.md.j2", {"groups": accuracy_groups(catalog)})
    yield SitePage("checksums.md", "checksums.md.j2", {"rows": checksum_rows(catalog)})
    yield SitePage("citations.md", "citations.md.j2", {"entries": citation_entries(catalog)})
    for source in catalog.cards:
        parent = catalog.by_name.get(source.card.part_of) if source.card.part_of else None
        yield SitePage(
            model_page_path(source.name),
            "model.md.j2",
            {
                "source": source,
                "card": source.card,
                "parts": catalog.parts(source),
                "parent": parent,
                "task": TASKS.get(source.card.task),
            },
        )


def site_assets(catalog: Catalog) -> Iterator[tuple[str, Path]]:
    """Files beside cards that their pages link to (license texts, images), as (uri, path)."""
    for source in catalog.cards:
        wanted = {target for _, _, target in relative_links(source.prose or "")}
        wanted |= {target for _, _, target in relative_links(source.card.description)}
        if source.card.license is not None and source.card.license.file:
            wanted.add(source.card.license.file)
        for target in sorted(wanted):
            path = link_path(source.folder, target)
            inside = path.resolve().is_relative_to(source.folder.resolve())
            if inside and path.is_file():
                uri = path.resolve().relative_to(source.folder.resolve()).as_posix()
                yield f"models/{source.name}/{uri}", path


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
