"""A tolerant reader of Open Model Zoo README pages: specification table, accuracy, inputs/outputs.

Every guess it makes is returned as a Note (field, line, message) for the import report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.cards.figure import Figure


@dataclass
class Note:
    """One heuristic applied or conflict met, at a line of the README."""

    field: str
    line: int
    message: str
    kind: str = "heuristic"  # or "conflict"


@dataclass
class Section:
    title: str
    level: int
    line: int  # 1-based line of the heading
    body: list[tuple[int, str]]  # (line, text) up to the next heading of any level


@dataclass
class Found:
    value: Figure
    line: int


@dataclass
class TensorText:
    name: str | None
    shape: list[int | str]
    line: int
    layout: str | None = None
    color_order: str | None = None


@dataclass
class Spec:
    gflops: Found | None = None
    mparams: Found | None = None
    accuracy: list[dict] = field(default_factory=list)  # card Metric fields, plus "line"
    inputs: list[TensorText] = field(default_factory=list)
    outputs: list[TensorText] = field(default_factory=list)
    original_inputs: list[TensorText] = field(default_factory=list)
    original_outputs: list[TensorText] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
NUMBER = re.compile(r"^[<>~≈]?\s*(\d+(?:\.\d+)?)\s*(%|[A-Za-z/]+)?\s*$")
RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:~|-|–|to)\s*(\d+(?:\.\d+)?)\s*(%)?$")
LEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*(%)?\b")
COMPUTE = re.compile(r"\b([GM])\s*(FLOPs?|OPs?|MACs?)\b", re.IGNORECASE)
PARAMS = re.compile(r"^M\s*params?\b", re.IGNORECASE)
# rows of the spec table that describe the model, not a figure to publish
NOT_METRICS = re.compile(
    r"type|framework|max|min|support|coverage|rotation|requirement|resolution|size|"
    r"height|width|input|output|vocab|classes|length|objects?\b|language",
    re.IGNORECASE,
)
METRIC_WORDS = re.compile(
    r"\b(ap|map|accuracy|acc|top[- ]?\d|iou|miou|psnr|ssim|f1|wer|cer|em|exact|rank|precision|"
    r"recall|auc|bleu|err|error|mae|rmse|dice|fid|lpips|nme|sdr|si-snr|sisnr|mse|eer|"
    r"coco_\w+|mean_iou|\w+_accuracy)",
    re.IGNORECASE,
)
LOWER_IS_BETTER = re.compile(
    r"\b(wer|cer|err\.?|error|mae|rmse|mse|nme|fid|lpips|eer|loss)\b", re.IGNORECASE
)
# datasets recognised inside metric names; the text is kept as the source writes it
DATASETS = (
    "COCO", "WIDER", "Market-1501", "ImageNet", "ILSVRC 2012", "VOC2012", "VOC2007", "VOC",
    "Cityscapes", "ADE20K", "CamVid", "LFW", "LibriSpeech", "Librispeech", "SQuAD", "KITTI",
    "Kinetics-400", "Kinetics", "CoNLL", "DIV2K", "Set5", "BSD100", "NYU", "MS-ASL", "CelebA",
    "Places2", "ICDAR2015", "ICDAR2013", "CULane", "BraTS", "MSMT17", "VeRi-776", "DUTS-TE",
)  # fmt: skip
SHAPE_TEXT = re.compile(r"\bshape[ds]?\b[^`\n]{0,30}?`([^`]+)`", re.IGNORECASE)
NAME_TEXT = re.compile(r"\bnamed?\b\s*(?:[:\-–]|is)?\s*`([^`]+)`", re.IGNORECASE)
FORMAT_TEXT = re.compile(r"\b(?:format|layout)\b[^`\n]{0,20}?`([^`]+)`", re.IGNORECASE)
COLOR_TEXT = re.compile(
    r"\b(?:color|colour|channel)s?\s+order\b[^`\n.]{0,30}?`?\b(RGB|BGR)\b", re.IGNORECASE
)
SAME_AS_ORIGINAL = re.compile(
    r"same (?:parameters |inputs? |outputs? |format )?(?:as|like) (?:in |for |of )?"
    r"(?:the )?original|"
    r"identical to (?:the )?original|as in the original model|"
    r"(?:inputs?|outputs?) (?:are|is) the same",
    re.IGNORECASE,
)


def sections(text: str) -> list[Section]:
    """The headings of a Markdown page (outside code fences) with their body lines."""
    found: list[Section] = [Section("", 0, 0, [])]
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            found.append(Section(match[2], len(match[1]), number, []))
        else:
            found[-1].body.append((number, line))
    return found


def scope(all_sections: list[Section], index: int) -> list[Section]:
    """A section with the sections nested under it."""
    head = all_sections[index]
    nested = [head]
    for later in all_sections[index + 1 :]:
        if later.level <= head.level:
            break
        nested.append(later)
    return nested


def plain(cell: str) -> str:
    """A table cell without links, emphasis escapes and trademark stars."""
    text = LINK.sub(r"\1", cell)
    return re.sub(r"\\\*|\*|`", "", text).strip()


def tables(body: list[tuple[int, str]]) -> list[list[tuple[int, list[str]]]]:
    """Pipe tables of a body: rows of (line, cells), the separator row left out."""
    found: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for number, line in [*body, (0, "")]:
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", stripped.strip("|"))]
            if not all(re.fullmatch(r":?-*:?", cell) for cell in cells):
                current.append((number, cells))
        elif current:
            found.append(current)
            current = []
    return found


def parse_figure(
    text: str, where: str, line: int, notes: list[Note]
) -> tuple[Figure, str | None] | None:
    """A number and its unit from a cell; a range or trailing words are reported."""
    cell = (
        plain(text).replace(",", "")
        if re.fullmatch(r"[\d,]+(\.\d+)?", plain(text))
        else plain(text)
    )
    if match := NUMBER.match(cell):
        return Figure(float(match[1]), match[1]), match[2]
    if match := RANGE.match(cell):
        notes.append(Note(where, line, f"'{cell}' is a range: took its first value {match[1]}"))
        return Figure(float(match[1]), match[1]), match[3]
    if match := LEADING_NUMBER.match(cell):
        notes.append(Note(where, line, f"'{cell}' has text after the number: took {match[1]}"))
        return Figure(float(match[1]), match[1]), match[2]
    return None


def split_metric(label: str) -> tuple[str, str | None, str | None]:
    """(metric, dataset, unit) from a metric name that may name its dataset and unit."""
    metric, unit = label, None
    if re.search(r"\(\s*%\s*\)|,\s*%$|\s%$", metric):
        unit = "%"
        metric = re.sub(r"\(\s*%\s*\)|,\s*%$|\s%$", "", metric).strip()
    dataset = next(
        (name for name in DATASETS if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", metric)),
        None,
    )
    before, at, after = metric.partition("@")
    if dataset and at and dataset in after and before.strip():
        return before.strip(), after.strip(), unit  # 'WER @ LibriSpeech test-clean'
    if dataset:
        rest = re.sub(rf"(?<![\w-]){re.escape(dataset)}(?![\w-])", "", metric, count=1)
        rest = re.sub(r"\(\s*\)|@\s*$|^\s*@|\bon\s*$", "", rest.strip()).strip(" ,:-@")
        metric = re.sub(r"\s+", " ", rest) or metric
    return metric, dataset, unit


def metric_entry(label: str, value: str, line: int, notes: list[Note]) -> dict | None:
    where = "accuracy"
    name = plain(label)
    figure = parse_figure(value, where, line, notes)
    if figure is None or not name:
        return None
    number, unit = figure
    metric, dataset, label_unit = split_metric(name)
    if metric != name:
        notes.append(Note(where, line, f"metric '{name}' read as '{metric}' on dataset {dataset}"))
    entry: dict = {"metric": metric, "value": number}
    if unit := unit or label_unit:
        entry["unit"] = unit
    if dataset:
        entry["dataset"] = dataset
    if LOWER_IS_BETTER.search(metric):
        entry["better"] = "lower"
        notes.append(Note(where, line, f"'{metric}' read as lower-is-better"))
    entry["line"] = line
    return entry


def read_spec_table(section: Section, spec: Spec) -> None:
    for table in tables(section.body):
        for line, cells in table:
            if len(cells) < 2 or plain(cells[0]).lower() in ("metric", "parameter", ""):
                continue
            label, value = plain(cells[0]), cells[-1]
            if len(cells) > 2:
                spec.notes.append(
                    Note(
                        "specification",
                        line,
                        f"row '{label}' has {len(cells)} cells: took the last",
                    )
                )
            if match := COMPUTE.search(label):
                figure = parse_figure(value, "complexity.gflops", line, spec.notes)
                if figure is None:
                    spec.notes.append(Note("complexity.gflops", line, f"'{value}' is not a number"))
                    continue
                number = figure[0]
                if match[1].upper() == "M":
                    number = Figure(number / 1000, f"{number / 1000:g}")
                    spec.notes.append(Note("complexity.gflops", line, f"'{label}' divided by 1000"))
                if label != "GFLOPs":
                    spec.notes.append(
                        Note("complexity.gflops", line, f"compute row '{label}' read as GFLOPs")
                    )
                if spec.gflops is None:
                    spec.gflops = Found(number, line)
                elif float(spec.gflops.value) != float(number):
                    spec.notes.append(
                        Note(
                            "complexity.gflops",
                            line,
                            f"second compute row {number} ignored, kept {spec.gflops.value} "
                            f"(line {spec.gflops.line})",
                            "conflict",
                        )
                    )
            elif PARAMS.match(label):
                figure = parse_figure(value, "complexity.mparams", line, spec.notes)
                if figure is not None and spec.mparams is None:
                    spec.mparams = Found(figure[0], line)
            elif NOT_METRICS.search(label) and not METRIC_WORDS.search(label):
                continue
            elif (entry := metric_entry(label, value, line, spec.notes)) is not None:
                if "%" not in value and not METRIC_WORDS.search(label):
                    spec.notes.append(Note("accuracy", line, f"row '{label}' not read as accuracy"))
                    continue
                spec.notes.append(
                    Note("accuracy", line, f"accuracy row '{label}' in the spec table")
                )
                spec.accuracy.append(entry)


def read_accuracy_tables(section: Section, spec: Spec) -> None:
    for table in tables(section.body):
        header = [plain(cell).lower() for cell in table[0][1]]
        if not header or header[0] not in ("metric", "metric name", "metrics"):
            spec.notes.append(
                Note("accuracy", table[0][0], f"accuracy table with columns {header} not read")
            )
            continue
        column = next(
            (i for i, name in enumerate(header) if "converted" in name or name == "value"),
            len(header) - 1,
        )
        if "converted" not in header[column] and len(header) > 2:
            spec.notes.append(
                Note("accuracy", table[0][0], f"took column '{header[column]}' of {header}")
            )
        for line, cells in table[1:]:
            if len(cells) > column and (
                entry := metric_entry(cells[0], cells[column], line, spec.notes)
            ):
                spec.accuracy.append(entry)


def parse_dims(text: str, where: str, line: int, notes: list[Note]) -> list[int | str] | None:
    inner = text.strip().strip("[]()")
    parts = [part.strip() for part in re.split(r"\s*[,x×]\s*", inner)] if inner else []
    if not parts or any(not part for part in parts):
        return None
    dims: list[int | str] = []
    for part in parts:
        if re.fullmatch(r"\d{1,18}", part) and int(part) > 0:
            dims.append(int(part))
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*|\?", part):
            dims.append(part)
        else:
            notes.append(Note(where, line, f"dimension '{part}' of `{text}` read as dynamic '?'"))
            dims.append("?")
    return dims


def layout_of(text: str, rank: int) -> str | None:
    letters = [part.strip() for part in text.split(",")]
    if len(letters) == rank and all(re.fullmatch(r"[A-Z]", letter) for letter in letters):
        return "".join(letters)
    return None


def read_tensors(body: list[tuple[int, str]], where: str, notes: list[Note]) -> list[TensorText]:
    """Tensors described in prose: 'name: `x`, shape: `1, 3, H, W`, format `B, C, H, W`'."""
    found: list[TensorText] = []
    formats: list[TensorText] = []
    color = None
    for line, text in body:
        if match := COLOR_TEXT.search(text):
            color = match[1].upper()
            for tensor in found:
                if len(tensor.shape) == 4 and tensor.color_order is None:
                    tensor.color_order = color
        for shape_match in SHAPE_TEXT.finditer(text):
            dims = parse_dims(shape_match[1], where, line, notes)
            if dims is None:
                continue
            before = text[: shape_match.start()]
            names = list(NAME_TEXT.finditer(before))
            name = names[-1][1] if names else None
            after = text[shape_match.end() :]
            layout = None
            if (fmt := FORMAT_TEXT.search(after)) is not None:
                layout = layout_of(fmt[1], len(dims))
            tensor = TensorText(name, dims, line, layout)
            if len(dims) == 4 and color:
                tensor.color_order = color
            found.append(tensor)
        if not SHAPE_TEXT.search(text):
            formats.extend(format_only(line, text))
    # a named tensor given by its format alone ('name: `boxes`, in format `B, H, W, A`'): its
    # dims are the format's letters, symbolic; unless the same name has a shape elsewhere
    named = {tensor.name for tensor in found}
    for tensor in formats:
        if tensor.name not in named:
            named.add(tensor.name)
            notes.append(
                Note(where, tensor.line, f"no shape for `{tensor.name}`: dims from its format")
            )
            found.append(tensor)
    return sorted(found, key=lambda tensor: tensor.line)


def format_only(line: int, text: str) -> list[TensorText]:
    """Tensors of one line named with a format of upper-case letters and no shape."""
    names = list(NAME_TEXT.finditer(text))
    fmt = FORMAT_TEXT.search(text)
    if len(names) != 1 or fmt is None or fmt.start() < names[0].end():
        return []
    letters = [part.strip() for part in fmt[1].split(",")]
    if not all(re.fullmatch(r"[A-Z]", letter) for letter in letters):
        return []
    return [TensorText(names[0][1], list(letters), line, "".join(letters))]


def read_io(nested: list[Section], kind: str, spec: Spec) -> None:
    """An Inputs/Outputs section: with Original/Converted subsections, or converted only."""
    _head, subs = nested[0], nested[1:]
    original = [s for s in subs if "original" in s.title.lower()]
    converted = [s for s in subs if "converted" in s.title.lower()]
    if not original and not converted:
        body = [item for section in nested for item in section.body]
        getattr(spec, kind).extend(read_tensors(body, kind, spec.notes))
        return
    original_body = [item for section in original for item in section.body]
    converted_body = [item for section in converted for item in section.body]
    spec_original = read_tensors(original_body, f"original.{kind}", spec.notes)
    getattr(spec, f"original_{kind}").extend(spec_original)
    tensors = read_tensors(converted_body, kind, spec.notes)
    same = next(
        ((line, text) for line, text in converted_body if SAME_AS_ORIGINAL.search(text)), None
    )
    if not tensors and same is not None:
        spec.notes.append(
            Note(kind, same[0], f"'{same[1].strip()[:80]}': converted {kind} copied from original")
        )
        tensors = [
            TensorText(t.name, list(t.shape), t.line, t.layout, t.color_order)
            for t in spec_original
        ]
    getattr(spec, kind).extend(tensors)


IO_TITLE = re.compile(r"^(inputs?|outputs?)$", re.IGNORECASE)


def read_scope(nested: list[Section], spec: Spec) -> None:
    index = 0
    while index < len(nested):
        section = nested[index]
        title = section.title.strip().lower()
        if "specification" in title:
            read_spec_table(section, spec)
        elif title.startswith("accuracy") or title.endswith("accuracy, %"):
            read_accuracy_tables(section, spec)
        if match := IO_TITLE.match(title):
            inner = scope(nested, index)
            kind = "inputs" if match[1].lower().startswith("input") else "outputs"
            read_io(inner, kind, spec)
            index += len(inner)
            continue
        index += 1


def part_sections(all_sections: list[Section], part_suffix: str) -> tuple[int | None, list[Note]]:
    """The index of the '<Part> model specification' section of a composite page."""
    words = set(re.split(r"[-_]", part_suffix.lower())) - {""}
    scored = []
    for index, section in enumerate(all_sections):
        title = section.title.lower()
        if "specification" in title and "composite" not in title:
            title_words = set(re.split(r"[\s\-_]+", title))
            scored.append((len(words & title_words), index))
    scored.sort(reverse=True)
    if not scored or scored[0][0] == 0:
        return None, []
    notes = []
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        notes.append(
            Note(
                "specification",
                all_sections[scored[0][1]].line,
                f"part '{part_suffix}' matches several sections: took the first",
                "conflict",
            )
        )
    return scored[0][1], notes


def parse_readme(text: str, part_suffix: str | None = None) -> Spec:
    """What a README says about one model (or, with part_suffix, one part of a composite)."""
    spec = Spec()
    all_sections = sections(text)
    if part_suffix is None:
        top = [s for s in all_sections if not re.search(r"\bmodel specification$", s.title.lower())
               or "composite" in s.title.lower()]  # fmt: skip
        if len(top) != len(all_sections):
            spec.notes.append(Note("specification", 1, "page has part sections: read the top only"))
            kept, skipping, level = [], False, 0
            for section in all_sections:
                if skipping and section.level > level:
                    continue
                skipping = section not in top
                level = section.level
                if not skipping:
                    kept.append(section)
            all_sections = kept
        read_scope(all_sections, spec)
        return spec
    index, notes = part_sections(all_sections, part_suffix)
    spec.notes.extend(notes)
    if index is None:
        spec.notes.append(Note("specification", 1, f"no section for part '{part_suffix}'"))
        return spec
    read_scope(scope(all_sections, index), spec)
    return spec
