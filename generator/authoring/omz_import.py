"""`zoo import omz`: an Open Model Zoo checkout's model.yml and README.md files -> model cards.

Source files are untrusted: bounded reads, no symlink followed, every problem a report entry.
A re-import updates only imported fields the maintainer has not edited since the last import.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RoundTripError
from ruamel.yaml.representer import RoundTripRepresenter

from generator.atomic_file import write_atomic
from generator.authoring.import_report import ImportReport
from generator.authoring.omz_readme import Note, Spec, TensorText, parse_readme
from generator.cards.card_paths import OutsideCard, card_path, plain_file_name, read_card_text
from generator.cards.card_update import splice, tabs_as_spaces
from generator.cards.catalog import INVISIBLE
from generator.cards.figure import Figure
from generator.cards.schema import NAME_PATTERN, Card, url_problem
from generator.cards.vocab import FALLBACK_TASK, FRAMEWORKS, IMPORTED_TASKS, PRECISIONS, TASKS
from generator.cards.yaml_source import YamlError, parse_yaml

MAX_YML_BYTES = 1 << 20
MAX_README_BYTES = 1 << 20  # OMZ pages are < 40 KiB; a bigger one is a mistake or an attack
MAX_MODELS = 100_000
STATE_DIR = ".omz-import"  # in the cards folder; dot folders are not cards
OMZ_TREE = "https://github.com/openvinotoolkit/open_model_zoo/tree/master/models"

# OMZ's IR folders (as omz_downloader lays them out) -> our precision names (vocab.PRECISIONS)
OMZ_PRECISIONS: dict[str, str] = {
    "FP32": "FP32",
    "FP16": "FP16",
    "FP16-INT8": "FP16-INT8",
    "FP32-INT8": "FP32-INT8",
    "INT8": "INT8",
    "FP16-INT1": "FP16-INT1",
    "FP32-INT1": "FP32-INT1",
}
# license URLs OMZ gives -> SPDX ids; any other URL becomes LicenseRef-upstream with its URL
LICENSES: dict[str, str] = {
    "https://raw.githubusercontent.com/openvinotoolkit/open_model_zoo/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/opencv/open_model_zoo/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/tensorflow/models/master/LICENSE": "Apache-2.0",
    "https://github.com/tensorflow/models/blob/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/tensorflow/tpu/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/google/automl/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/rwightman/pytorch-image-models/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/onnx/models/master/LICENSE": "Apache-2.0",
    "https://raw.githubusercontent.com/opencv/openvino_training_extensions/develop/LICENSE": (
        "Apache-2.0"
    ),
    "https://raw.githubusercontent.com/pytorch/vision/master/LICENSE": "BSD-3-Clause",
}
UNKNOWN_LICENSE = "LicenseRef-upstream"

# our own figure text on output: 2.300 stays 2.300 (class-wide: a Figure always prints so)
RoundTripRepresenter.add_representer(
    Figure, lambda r, value: r.represent_scalar("tag:yaml.org,2002:float", str(value))
)


class OmzImportError(Exception):
    """The source cannot be imported at all (no such folder): one line, exit 2."""


@dataclass
class Model:
    """One model.yml (or composite-model.yml) of the source tree."""

    name: str
    group: str  # intel or public
    folder: str  # relative to the models folder, e.g. intel/x or intel/x/x-encoder
    config: str  # model.yml or composite-model.yml
    readme_folder: str  # where its README.md is (a part's is its composite's)
    part_of: str | None = None
    parts: list[str] = field(default_factory=list)

    @property
    def composite(self) -> bool:
        return self.config == "composite-model.yml"


@dataclass
class Result:
    report: ImportReport
    cards: dict[str, dict] = field(default_factory=dict)  # imported fields per card
    models: int = 0  # configs (model.yml) imported


def models_root(path: Path) -> Path:
    """The `models` folder of a checkout, or the path itself when it holds intel/ or public/."""
    if not path.is_dir():
        raise OmzImportError(f"{path}: source folder not found")
    for candidate in (path / "models", path):
        if not candidate.is_symlink() and any(
            (candidate / group).is_dir() and not (candidate / group).is_symlink()
            for group in ("intel", "public")
        ):
            return candidate
    raise OmzImportError(f"{path}: no models/intel or models/public folder: not an OMZ checkout")


def source_text(root: Path, relative: str, limit: int) -> str:
    """A source file under root: no symlink on the way, a regular file, at most limit bytes."""
    path = card_path(root, relative)
    if not path.exists():
        raise FileNotFoundError(f"{relative} not found")
    if not path.is_file():
        raise ValueError(f"{relative} is not a regular file")
    return read_card_text(path, limit)


def discover(root: Path, report: ImportReport) -> list[Model]:
    models: list[Model] = []
    for group in ("intel", "public"):
        base = root / group
        if not base.is_dir() or base.is_symlink():
            continue
        for folder in sorted(base.iterdir()):
            where = f"models/{group}/{folder.name}"
            if folder.is_symlink():
                report.add(folder.name, "-", "skipped", where, 0, "a symlink: not followed")
                continue
            if not folder.is_dir():
                continue
            if not re.fullmatch(NAME_PATTERN, folder.name):
                report.add(folder.name, "name", "skipped", where, 0, "not a card name")
                continue
            relative = f"{group}/{folder.name}"
            if (folder / "composite-model.yml").exists():
                composite = Model(folder.name, group, relative, "composite-model.yml", relative)
                models.append(composite)
                for sub in sorted(folder.iterdir()):
                    if sub.is_symlink():
                        report.add(sub.name, "-", "skipped", f"{where}/{sub.name}", 0, "a symlink")
                        continue
                    if sub.is_dir() and (sub / "model.yml").exists():
                        composite.parts.append(sub.name)
                        models.append(
                            Model(
                                sub.name,
                                group,
                                f"{relative}/{sub.name}",
                                "model.yml",
                                relative,
                                part_of=folder.name,
                            )
                        )
            elif (folder / "model.yml").exists() or (folder / "model.yml").is_symlink():
                models.append(Model(folder.name, group, relative, "model.yml", relative))
            if len(models) > MAX_MODELS:
                raise OmzImportError(f"{root}: more than {MAX_MODELS} models")
    return models


def import_omz(source: Path, into: Path, only: list[str] | None = None) -> tuple[Result, list[str]]:
    """Import every model (or those named) into `into`; returns the result and unknown names."""
    root = models_root(source)
    report = ImportReport(str(source))
    models = discover(root, report)
    by_name = {model.name: model for model in models}
    unknown = [name for name in only or [] if name not in by_name]
    if only:
        wanted = set(only)
        for name in only:
            if name in by_name:
                wanted.update(by_name[name].parts)
        models = [model for model in models if model.name in wanted]
    result = Result(report)
    readmes: dict[str, str | None] = {}
    for model in models:
        card = build_card(root, model, readmes, report)
        if card is not None:
            result.cards[model.name] = card
            result.models += not model.composite
    write_cards(into, result)
    return result, unknown


def note_all(report: ImportReport, model: str, source: str, notes: list[Note]) -> None:
    for note in notes:
        report.add(model, note.field, note.kind, source, note.line, note.message)


def build_card(
    root: Path, model: Model, readmes: dict[str, str | None], report: ImportReport
) -> dict | None:
    yml_where = f"models/{model.folder}/{model.config}"
    try:
        doc = parse_yaml(source_text(root, f"{model.folder}/{model.config}", MAX_YML_BYTES))
    except YamlError as error:
        report.add(
            model.name, "-", "error", yml_where, error.line, f"not imported: {error.message}"
        )
        return None
    except (OSError, OutsideCard, ValueError) as error:
        report.add(model.name, "-", "error", yml_where, 0, f"not imported: {one_line(error)}")
        return None
    data = doc.data
    if not isinstance(data, dict):
        report.add(model.name, "-", "error", yml_where, 1, "not imported: not a YAML mapping")
        return None

    def line(*loc: Any) -> int:
        return doc.position(loc).line

    def add(field_name: str, kind: str, message: str, at: int = 0) -> None:
        report.add(model.name, field_name, kind, yml_where, at, message)

    readme_where = f"models/{model.readme_folder}/README.md"
    if model.readme_folder not in readmes:
        try:
            readmes[model.readme_folder] = source_text(
                root, f"{model.readme_folder}/README.md", MAX_README_BYTES
            )
        except (OSError, OutsideCard, ValueError) as error:
            readmes[model.readme_folder] = None
            report.add(model.name, "-", "error", readme_where, 0, f"README: {one_line(error)}")
    readme = readmes[model.readme_folder]
    spec = Spec()
    if readme is not None and not model.composite:
        suffix = model.name.removeprefix(f"{model.part_of}-") if model.part_of else None
        spec = parse_readme(readme, suffix)
        note_all(report, model.name, readme_where, spec.notes)

    card: dict[str, Any] = {"name": model.name}
    card["task"] = map_task(data.get("task_type"), add, line("task_type"))
    page = f"models/{model.readme_folder}/README.md"
    part = f" (part {model.name.removeprefix(f'{model.part_of}-')})" if model.part_of else ""
    card["description"] = f"Imported from Open Model Zoo: {page}{part}."
    framework = data.get("framework")
    if isinstance(framework, str) and framework in FRAMEWORKS:
        card["framework"] = framework
    elif framework is not None:
        add(
            "framework",
            "skipped",
            f"framework {framework!r} not in our vocabulary",
            line("framework"),
        )
    if (license_ := map_license(data.get("license"), add, line("license"))) is not None:
        card["license"] = license_
    complexity = {}
    for key in ("gflops", "mparams"):
        found = getattr(spec, key)
        if found is not None and float(found.value) > 0:
            complexity[key] = found.value
        elif found is not None:
            report.add(model.name, f"complexity.{key}", "skipped", readme_where, found.line,
                       f"{found.value} is not a positive figure")  # fmt: skip
    if complexity:
        card["complexity"] = complexity
    if accuracy := dedupe_accuracy(spec.accuracy, model.name, readme_where, report):
        card["accuracy"] = accuracy
    if not model.composite:
        inputs = merge_inputs(data.get("input_info"), spec.inputs, add, line, model, report)
        if inputs:
            card["inputs"] = inputs
        if spec.outputs:
            card["outputs"] = [tensor_dict(t) for t in spec.outputs]
        original = {}
        if spec.original_inputs:
            original["inputs"] = [tensor_dict(t) for t in spec.original_inputs]
        if spec.original_outputs:
            original["outputs"] = [tensor_dict(t) for t in spec.original_outputs]
        if original:
            card["original"] = original
        files, ir = map_files(data.get("files"), card.get("framework"), add, line)
        if files:
            card["files"] = files
        if ir:
            card["ir"] = ir
    if model.parts:
        card["parts"] = list(model.parts)
    if model.part_of:
        card["part_of"] = model.part_of
    card["homepage"] = f"{OMZ_TREE}/{model.readme_folder}"
    card["obtain"] = [
        {
            "title": "Download with the Model Downloader",
            "command": f"omz_downloader --name {model.name}",
        }
    ]
    if card.get("framework") not in (None, "dldt") and not model.composite:
        card["obtain"].append(
            {"title": "Convert to OpenVINO IR", "command": f"omz_converter --name {model.name}"}
        )
    ordered = {key: card[key] for key in Card.model_fields if key in card}
    return visible(ordered, lambda where: add(where, "heuristic", "invisible characters removed"))


def visible(value: Any, removed: Any, where: str = "") -> Any:
    """Text without control characters or bidi overrides (zoo check refuses them in a card)."""
    if isinstance(value, str):
        cleaned = INVISIBLE.sub("", value)
        if cleaned != value:
            removed(where)
        return cleaned
    if isinstance(value, dict):
        return {k: visible(v, removed, f"{where}.{k}".lstrip(".")) for k, v in value.items()}
    if isinstance(value, list):
        return [visible(v, removed, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def one_line(error: BaseException) -> str:
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return " ".join(str(text).split())


def map_task(task: object, add: Any, at: int) -> str:
    if isinstance(task, str) and task in TASKS:
        return task
    if isinstance(task, str) and task in IMPORTED_TASKS:
        add("task", "heuristic", f"task '{task}' mapped to '{IMPORTED_TASKS[task]}'", at)
        return IMPORTED_TASKS[task]
    add("task", "conflict", f"task {task!r} unknown: used '{FALLBACK_TASK}'", at)
    return FALLBACK_TASK


def map_license(url: object, add: Any, at: int) -> dict | None:
    if not isinstance(url, str) or url_problem(url) is not None:
        add("license", "skipped", f"license {url!r} is not an http(s) URL", at)
        return None
    if url in LICENSES:
        return {"id": LICENSES[url], "url": url}
    add("license", "heuristic", f"license URL not in the table: id {UNKNOWN_LICENSE}", at)
    return {"id": UNKNOWN_LICENSE, "url": url}


def dim_of(value: object) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    return "?"


def merge_inputs(
    info: object, readme: list[TensorText], add: Any, line: Any, model: Model, report: ImportReport
) -> list[dict]:
    """Inputs from model.yml's input_info (names, shapes, layouts), README's color order added."""
    if not isinstance(info, list) or not info:
        if readme:
            add("inputs", "heuristic", "no input_info: inputs from README.md")
        return [tensor_dict(t) for t in readme]
    inputs = []
    for index, item in enumerate(info):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            add(
                f"inputs[{index}]",
                "skipped",
                "input_info entry without a name",
                line("input_info", index),
            )
            continue
        shape = item.get("shape")
        tensor: dict[str, Any] = {"name": item["name"]}
        if isinstance(shape, list) and shape:
            dims = [dim_of(dim) for dim in shape]
            if any(dim == "?" for dim in dims):
                add(f"inputs[{index}].shape", "heuristic", f"dims {shape} read as {dims}",
                    line("input_info", index, "shape"))  # fmt: skip
            tensor["shape"] = dims
        layout = item.get("layout")
        if (
            isinstance(layout, str)
            and re.fullmatch(r"[A-Z?]+", layout)
            and len(layout) == len(tensor.get("shape", []))
        ):
            tensor["layout"] = layout
        match = next((t for t in readme if t.name == item["name"]), None)
        if match is None and len(readme) == len(info) == 1:
            match = readme[0]
            if match.name:
                report.add(model.name, f"inputs[{index}].name", "conflict",
                           f"models/{model.readme_folder}/README.md", match.line,
                           f"README.md says '{match.name}', model.yml '{item['name']}': "
                           "kept model.yml")  # fmt: skip
        if match is not None:
            if "shape" not in tensor:
                tensor["shape"] = match.shape
                add(f"inputs[{index}].shape", "heuristic", "shape from README.md", match.line)
            elif match.shape != tensor["shape"]:
                report.add(model.name, f"inputs[{index}].shape", "conflict",
                           f"models/{model.readme_folder}/README.md", match.line,
                           f"README.md says {match.shape}, model.yml {tensor['shape']}: "
                           "kept model.yml")  # fmt: skip
            if match.color_order:
                tensor["color_order"] = match.color_order
        if "shape" not in tensor:
            add(
                f"inputs[{index}]",
                "skipped",
                "no shape in model.yml or README.md",
                line("input_info", index),
            )
            continue
        inputs.append(tensor)
    return inputs


def tensor_dict(tensor: TensorText) -> dict:
    entry: dict[str, Any] = {}
    if tensor.name:
        entry["name"] = tensor.name
    entry["shape"] = list(tensor.shape)
    if tensor.layout:
        entry["layout"] = tensor.layout
    if tensor.color_order:
        entry["color_order"] = tensor.color_order
    return entry


def map_files(
    files: object, framework: str | None, add: Any, line: Any
) -> tuple[list[dict], dict[str, str]]:
    """`files:` with plain names (OMZ's folders flattened), and `ir:` per precision: the
    flattened .xml, so that `zoo fetch` then `zoo validate` find it (its .bin shares the stem)."""
    if not isinstance(files, list):
        if files is not None:
            add("files", "skipped", "files is not a list", line("files"))
        return [], {}
    entries: list[dict] = []
    ir: dict[str, str] = {}
    flattened = 0
    seen: set[str] = set()
    for index, item in enumerate(files):
        at = line("files", index)
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            add(f"files[{index}]", "skipped", "entry without a name", at)
            continue
        path = item["name"]
        pure = PurePosixPath(path)
        name = "-".join(pure.parts).lstrip(".")
        if name != path:
            flattened += 1
        if plain_file_name(name) is not None or name in seen or ".." in pure.parts:
            add(f"files[{index}].name", "skipped", f"'{path}' cannot be a plain file name", at)
            continue
        seen.add(name)
        entry: dict[str, Any] = {"name": name}
        size = item.get("size")
        if isinstance(size, int) and not isinstance(size, bool) and 0 < size <= 1 << 40:
            entry["size"] = size
        checksum = item.get("checksum")
        if isinstance(checksum, str) and re.fullmatch(r"[0-9a-fA-F]{96}", checksum):
            entry["sha384"] = checksum.lower()
        else:
            add(f"files[{index}].checksum", "skipped", "not a SHA-384 hex digest",
                line("files", index, "checksum"))  # fmt: skip
        url = source_url(item.get("source"))
        if url is not None:
            entry["url"] = url
        else:
            add(f"files[{index}].url", "skipped", "source is not an http(s) URL",
                line("files", index, "source"))  # fmt: skip
        entries.append(entry)
        if framework == "dldt" and pure.suffix == ".xml" and len(pure.parts) == 2:
            folder = pure.parts[0]
            if folder in OMZ_PRECISIONS and OMZ_PRECISIONS[folder] in PRECISIONS:
                ir.setdefault(OMZ_PRECISIONS[folder], name)  # where `zoo fetch` puts it
            else:
                add("ir", "skipped", f"IR folder '{folder}' is no precision we know", at)
    if flattened:
        add("files", "heuristic",
            f"{flattened} file name(s) with folders flattened ('a/b.xml' -> 'a-b.xml'); "
            "ir: names the flattened .xml, as `zoo fetch` writes it", line("files"))  # fmt: skip
    order = {precision: index for index, precision in enumerate(PRECISIONS)}
    return entries, dict(sorted(ir.items(), key=lambda item: order[item[0]]))


def source_url(source: object) -> str | None:
    if isinstance(source, str) and url_problem(source) is None:
        return source
    if isinstance(source, dict) and source.get("$type") == "google_drive":
        file_id = source.get("id")
        if isinstance(file_id, str) and re.fullmatch(r"[\w-]{1,200}", file_id):
            return f"https://drive.google.com/uc?export=download&id={file_id}"
    return None


def dedupe_accuracy(
    entries: list[dict], model: str, where: str, report: ImportReport
) -> list[dict]:
    kept: dict[tuple, dict] = {}
    for entry in entries:
        key = (entry["metric"], entry.get("dataset"))
        if key in kept:
            if float(kept[key]["value"]) != float(entry["value"]):
                report.add(model, "accuracy", "conflict", where, entry["line"],
                           f"{entry['metric']} {entry['value']} again, kept {kept[key]['value']} "
                           f"(line {kept[key]['line']})")  # fmt: skip
            continue
        kept[key] = entry
    return [{k: v for k, v in entry.items() if k != "line"} for entry in kept.values()]


# -- writing -------------------------------------------------------------------------------

HEADER = "# yaml-language-server: $schema=../model-card.schema.json\n"
FLOW_KEYS = ("complexity", "ir", "parts")


def styled(key: str, value: Any) -> Any:
    """ruamel.yaml nodes in our card style: short mappings and tensors in flow style."""
    if isinstance(value, dict):
        node = CommentedMap((k, styled(k, v)) for k, v in value.items())
        if key in FLOW_KEYS or key in ("tensor", "metric", "step"):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        child = {"accuracy": "metric", "inputs": "tensor", "outputs": "tensor"}.get(key, key)
        node = CommentedSeq(styled(child, item) for item in value)
        if key in ("shape", "parts"):
            node.fa.set_flow_style()
        return node
    return value


def dump(values: dict) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(CommentedMap((key, styled(key, value)) for key, value in values.items()), out)
    return out.getvalue()


def plain(value: Any) -> Any:
    """Round-trip data as plain JSON-able values, for comparing and for the state file."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return float(value)
    return value


def write_cards(into: Path, result: Result) -> None:
    state_file = into / STATE_DIR / "state.json"
    state: dict = {}
    if state_file.is_file() and not state_file.is_symlink():
        try:
            state = json.loads(read_card_text(state_file, 64 << 20))
        except (OSError, ValueError):
            state = {}
        if not isinstance(state, dict):
            state = {}
    for name, values in result.cards.items():
        folder = into / name
        where = f"{name}/model.yml"
        try:
            yml = card_path(into, where)
        except OutsideCard as error:
            result.report.add(name, "-", "error", where, 0, f"not written: {error}")
            continue
        previous = state.get(name) if isinstance(state.get(name), dict) else None
        try:
            changed = write_card(folder, yml, values, previous, result.report)
        except (OSError, ValueError, RoundTripError, YamlError, ValidationError) as error:
            message = one_line(error).split(" For further information")[0][:300]
            result.report.add(name, "-", "error", where, 0, f"not written: {message}")
            continue
        (result.report.written if changed else result.report.unchanged).append(name)
        state[name] = plain(values)
    write_atomic(state_file, json.dumps(state, indent=1, sort_keys=True) + "\n")
    write_atomic(into / STATE_DIR / "report.json", result.report.to_json())
    write_atomic(into / STATE_DIR / "report.md", result.report.to_markdown())


def write_card(
    folder: Path, yml: Path, values: dict, previous: dict | None, report: ImportReport
) -> bool:
    """Create the card, or update its imported fields that nobody edited; True when written."""
    name = values["name"]
    if not yml.exists():
        text = HEADER + dump(values)
        Card.model_validate(parse_yaml(text).data)
        write_atomic(yml, text)
        return True
    if not yml.is_file():
        raise ValueError("model.yml is not a regular file")
    raw = read_card_text(yml, MAX_YML_BYTES)
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = tabs_as_spaces(raw.replace("\r\n", "\n"))
    data = YAML(typ="rt").load(text)
    if not isinstance(data, CommentedMap):
        raise ValueError("model.yml is not a mapping")
    starts = {key: data.lc.key(key)[0] for key in data}
    changed: set[str] = set()
    missing = object()
    keys = list(values) + [k for k in (previous or {}) if k not in values]
    for key in keys:
        new = plain(values.get(key))
        current = plain(data.get(key))
        if current == new:
            continue
        before = (previous or {}).get(key, missing) if previous is not None else missing
        if before is not missing and current != before:
            kind = "conflict" if new != before else "kept"
            report.add(name, key, kind, f"{name}/model.yml", (starts.get(key, -1) + 1),
                       "edited by hand since the last import: kept the card's value")  # fmt: skip
            continue
        if key in values:
            insert(data, key, styled(key, values[key]))
        elif key in data:
            del data[key]
        changed.add(key)
    if not changed:
        return False
    if not starts:
        new_text = HEADER + dump(values)
    else:
        new_text = splice(raw, text, data, starts, changed, newline)
    Card.model_validate(parse_yaml(new_text).data)
    write_atomic(yml, new_text)
    return True


def insert(mapping: CommentedMap, key: str, value: Any) -> None:
    if key in mapping:
        mapping[key] = value
        return
    order = list(Card.model_fields)
    later = set(order[order.index(key) + 1 :]) if key in order else set()
    at = next((i for i, existing in enumerate(mapping) if existing in later), len(mapping))
    mapping.insert(at, key, value)
