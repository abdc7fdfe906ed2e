"""Leaderboards: one ranked page per (task, dataset, metric) of the cards' accuracy figures.

Python ranks, names the pages and computes the chart's numbers; the templates lay them out.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

from generator.cards.catalog import CardSource, Catalog
from generator.cards.schema import Metric
from generator.cards.vocab import TASKS
from generator.site.view_model import metric_text

INDEX_PATH = "leaderboards/index.md"
MAX_SLUG = 80
MAX_TITLE = 120
MAX_X_LABELS = 7
UNSAFE_IN_TITLE = re.compile(r"[<>&\"'`\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
# the chart's viewBox and the plot area inside it (room for tick labels and axis titles)
WIDTH, HEIGHT = 500, 330
LEFT, RIGHT, TOP, BOTTOM = 52, 486, 34, 274
RADIUS = 10  # a marker holds its rank number
GAP = 2 * RADIUS + 4  # markers closer than this would hide each other
MAX_PLOTTED = 100  # more numbered markers are unreadable (and a 10,000-model page heavy)


@dataclass(frozen=True)
class Entry:
    """One model's figure on a leaderboard."""

    source: CardSource
    metric: Metric
    rank: int
    best: bool

    @property
    def protocol(self) -> str | None:
        return self.metric.protocol

    @property
    def figure(self) -> str:
        return metric_text(self.metric)


@dataclass(frozen=True)
class Tick:
    at: float  # position in the viewBox
    label: str


@dataclass(frozen=True)
class Point:
    entry: Entry
    x: float  # where the marker is drawn, after moving it off another one
    y: float
    true_x: float  # where its GFLOPs are: a moved marker has a line to it

    @property
    def moved(self) -> bool:
        return self.x != self.true_x


@dataclass(frozen=True)
class Chart:
    """Numbers of the SVG chart: metric (linear) against GFLOPs (log scale)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    points: list[Point]
    plottable: int  # models with GFLOPs; `points` holds the best MAX_PLOTTED of them
    radius: int = RADIUS

    @property
    def any_moved(self) -> bool:
        return any(point.moved for point in self.points)


@dataclass
class Leaderboard:
    task: str
    dataset: str | None
    metric: str
    unit: str | None
    better: str
    entries: list[Entry] = field(default_factory=list)
    slug: str = ""
    chart: Chart | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.task, self.dataset or "", self.metric, self.unit or "", self.better)

    @property
    def title(self) -> str:
        """The page's title as a YAML string (front matter). Card text in a page title is not
        escaped by the theme (`striptags` even decodes entities): it keeps no markup character."""
        text = f"{self.metric} on {self.dataset or 'an unstated dataset'}"
        text = " ".join(UNSAFE_IN_TITLE.sub(" ", text).split())[:MAX_TITLE]
        return json.dumps(text, ensure_ascii=True)

    @property
    def path(self) -> str:
        return f"leaderboards/{self.slug}.md"

    @property
    def best(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.best]

    @property
    def protocols(self) -> list[str]:
        """The protocols the entries state, each once, in rank order."""
        return list(dict.fromkeys(e.protocol for e in self.entries if e.protocol))

    @property
    def one_protocol(self) -> str | None:
        """The protocol when every entry states the same one."""
        protocols = self.protocols
        stated = all(entry.protocol for entry in self.entries)
        return protocols[0] if stated and len(protocols) == 1 else None

    @property
    def unplotted(self) -> list[Entry]:
        return [entry for entry in self.entries if gflops(entry.source) is None]


def gflops(source: CardSource) -> float | None:
    complexity = source.card.complexity
    return None if complexity is None or complexity.gflops is None else float(complexity.gflops)


def leaderboards(catalog: Catalog) -> list[Leaderboard]:
    """Every leaderboard of the catalog, in task order, then dataset and metric."""
    boards: dict[tuple, Leaderboard] = {}
    figures: dict[tuple, list[tuple[CardSource, Metric]]] = {}
    for source in catalog.cards:
        seen = set()
        for metric in source.card.accuracy:
            board = Leaderboard(
                source.card.task, metric.dataset, metric.metric, metric.unit, metric.better
            )
            if board.key in seen:
                continue  # a card's first figure of a kind counts
            seen.add(board.key)
            boards.setdefault(board.key, board)
            figures.setdefault(board.key, []).append((source, metric))
    for key, board in boards.items():
        board.entries = ranked(figures[key], board.better)
        board.chart = chart(board.entries) if len(board.entries) > 1 else None
    assign_slugs(list(boards.values()))

    def order(board: Leaderboard) -> tuple:
        info = TASKS.get(board.task)
        return (info.order if info else 1000, board.task, board.dataset is None, *board.key[1:])

    return sorted(boards.values(), key=order)


def ranked(figures: list[tuple[CardSource, Metric]], better: str) -> list[Entry]:
    """Best first in the metric's own direction; equal figures share a rank (1, 1, 3)."""
    sign = -1 if better == "higher" else 1
    figures = sorted(figures, key=lambda item: (sign * float(item[1].value), item[0].name))
    entries: list[Entry] = []
    for index, (source, metric) in enumerate(figures):
        tied = entries and float(entries[-1].metric.value) == float(metric.value)
        rank = entries[-1].rank if tied else index + 1
        entries.append(Entry(source, metric, rank, rank == 1))
    return entries


def slug_words(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def assign_slugs(boards: list[Leaderboard]) -> None:
    """Page names from task, dataset and metric: [a-z0-9-] only, so they stay in leaderboards/.

    A name two leaderboards would share, or one that lost a part (a metric of non-Latin
    letters), gets a hash of the full key after `--`, which no plain name contains: the same
    cards always give the same names, whatever other cards exist."""
    plain: dict[int, str] = {}
    lossy: set[int] = set()
    for board in boards:
        parts = [slug_words(board.task), slug_words(board.dataset or "no dataset")]
        parts.append(slug_words(board.metric))
        if not all(parts):
            lossy.add(id(board))
        base = "-".join(part for part in parts if part)[:MAX_SLUG].strip("-")
        plain[id(board)] = base or "leaderboard"
    counts: dict[str, int] = {}
    for base in plain.values():
        counts[base] = counts.get(base, 0) + 1
    for board in boards:
        base = plain[id(board)]
        if counts[base] > 1 or id(board) in lossy or base == "index":
            digest = hashlib.sha256("\0".join(board.key).encode()).hexdigest()
            base = f"{base}--{digest[:10]}"
        board.slug = base


def nice_step(span: float, count: int) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about `count` intervals over `span`."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def number(value: float) -> str:
    return f"{value:.10g}"


def log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks covering [low, high] (decades only when they span more than 3 decades)."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    steps = (1,) if last - first > 3 else (1, 2, 5)
    values = [step * 10.0**power for power in range(first, last + 1) for step in steps]
    below = max(v for v in values if v <= low * (1 + 1e-9))
    above = min(v for v in values if v >= high * (1 - 1e-9))
    return [v for v in values if below <= v <= above]


def chart(entries: list[Entry]) -> Chart | None:
    plotted = [(entry, gflops(entry.source)) for entry in entries]
    plotted = [(entry, x) for entry, x in plotted if x is not None]
    if not plotted:
        return None
    plottable = len(plotted)
    plotted = plotted[:MAX_PLOTTED]  # entries come best first
    xs = [x for _, x in plotted]
    # room beside the extreme markers; one size alone gets a decade around it
    low, high = min(xs) / 1.2, max(xs) * 1.2
    if high / low < 4:
        low, high = low / 2, high * 2
    x_values = log_ticks(low, high)
    x_low, x_high = math.log10(x_values[0]), math.log10(x_values[-1])

    def x_at(value: float) -> float:
        return LEFT + (math.log10(value) - x_low) / (x_high - x_low) * (RIGHT - LEFT)

    ys = [float(entry.metric.value) for entry, _ in plotted]
    y_min, y_max = min(ys), max(ys)
    # a margin so that no marker sits on an axis
    pad = (y_max - y_min) * 0.08 or abs(y_min) * 0.05 or 1.0
    y_min, y_max = y_min - pad, y_max + pad
    step = nice_step(y_max - y_min, 5)
    y_low, y_high = math.floor(y_min / step) * step, math.ceil(y_max / step) * step

    def y_at(value: float) -> float:
        return BOTTOM - (value - y_low) / (y_high - y_low) * (BOTTOM - TOP)

    every = math.ceil(len(x_values) / MAX_X_LABELS)
    y_values = [y_low + i * step for i in range(round((y_high - y_low) / step) + 1)]
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        RIGHT,
        TOP,
        BOTTOM,
        # a label every `every` ticks, so that labels of a wide range do not run into each other
        [
            Tick(round(x_at(v), 1), number(v) if i % every == 0 else "")
            for i, v in enumerate(x_values)
        ],
        [Tick(round(y_at(v), 1), number(round(v, 10))) for v in y_values],
        spread([(entry, x_at(x), y_at(float(entry.metric.value))) for entry, x in plotted]),
        plottable,
    )


def spread(points: list[tuple[Entry, float, float]]) -> list[Point]:
    """Markers that would cover one another are set side by side, best first keeping its place."""
    placed: list[Point] = []
    # markers by grid cell of GAP: only the 9 cells around a spot can cover it (linear, not
    # quadratic: 10,000 models took minutes)
    cells: dict[tuple[int, int], list[Point]] = {}
    offsets = [0.0]
    for step in range(1, 40):
        offsets += [step * GAP, -step * GAP]
    for entry, x, y in points:
        row = math.floor(y / GAP)
        for dx in offsets:
            cx = min(max(x + dx, LEFT), RIGHT)
            column = math.floor(cx / GAP)
            near = (
                p
                for i in (column - 1, column, column + 1)
                for j in (row - 1, row, row + 1)
                for p in cells.get((i, j), ())
            )
            if all(math.hypot(cx - p.x, y - p.y) >= GAP for p in near):
                break
        point = Point(entry, round(cx, 1), round(y, 1), round(x, 1))
        placed.append(point)
        cells.setdefault((math.floor(point.x / GAP), math.floor(point.y / GAP)), []).append(point)
    return placed


def by_task(boards: list[Leaderboard]) -> list[tuple[str, list[Leaderboard]]]:
    """The index page's sections: each task's leaderboards, in the order of `leaderboards`."""
    groups: dict[str, list[Leaderboard]] = {}
    for board in boards:
        groups.setdefault(board.task, []).append(board)
    return list(groups.items())
