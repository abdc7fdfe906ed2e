"""`zoo export hf`: one Hugging Face model card (README.md with YAML metadata) per model card.

The metadata carries license, tags, pipeline_tag, library_name, datasets and a `model-index`
whose results hold every accuracy figure and the GFLOPs/MParams; the body is plain text.
"""

from __future__ import annotations

from pathlib import Path

from generator.atomic_file import write_atomic
from generator.cards.card_paths import OutsideCard, card_path
from generator.cards.catalog import CardSource
from generator.cards.schema import Card, Metric, Tensor
from generator.cards.vocab import TASKS
from generator.exchange.common import ExportError, slug, yaml_text
from generator.safe_text import markdown_text

LIBRARY = "openvino"
# SPDX ids whose lower-case form is a license id of the Hub; any other is `other` with its name
HUB_LICENSES = {
    "apache-2.0", "mit", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "cc0-1.0",
    "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0",
    "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0",
    "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "gpl-2.0",
    "gpl-3.0", "lgpl-2.1", "lgpl-3.0", "agpl-3.0", "mpl-2.0", "epl-1.0", "epl-2.0", "isc",
    "unlicense", "zlib", "wtfpl", "bsl-1.0", "afl-3.0", "artistic-2.0", "ecl-2.0", "eupl-1.1",
    "eupl-1.2", "ofl-1.1", "osl-3.0", "postgresql", "ncsa", "lppl-1.3c", "ms-pl",
}  # fmt: skip
SPDX_SUFFIXES = ("-only", "-or-later")  # GPL-3.0-only is the Hub's gpl-3.0
# our tasks -> the Hub's pipeline tags; a task without one gets none
PIPELINE_TAGS = {
    "detection": "object-detection",
    "face_detection": "object-detection",
    "text_detection": "object-detection",
    "salient_object_detection": "image-segmentation",
    "object_recognition": "image-classification",
    "object_attributes": "image-classification",
    "classification": "image-classification",
    "reidentification": "image-feature-extraction",
    "face_recognition": "image-feature-extraction",
    "image_retrieval": "image-feature-extraction",
    "place_recognition": "image-feature-extraction",
    "feature_extraction": "image-feature-extraction",
    "semantic_segmentation": "image-segmentation",
    "instance_segmentation": "image-segmentation",
    "human_pose_estimation": "keypoint-detection",
    "pose_landmarks": "keypoint-detection",
    "image_processing": "image-to-image",
    "colorization": "image-to-image",
    "image_inpainting": "image-to-image",
    "image_translation": "image-to-image",
    "style_transfer": "image-to-image",
    "text_recognition": "image-to-text",
    "optical_character_recognition": "image-to-text",
    "text_spotting": "image-to-text",
    "action_recognition": "video-classification",
    "question_answering": "question-answering",
    "machine_translation": "translation",
    "named_entity_recognition": "token-classification",
    "token_recognition": "token-classification",
    "monocular_depth_estimation": "depth-estimation",
    "noise_suppression": "audio-to-audio",
    "sound_classification": "audio-classification",
    "speech_recognition": "automatic-speech-recognition",
    "text_to_speech": "text-to-speech",
    "time_series": "time-series-forecasting",
}
COMPLEXITY_DATASET = {"type": "model-complexity", "name": "Model complexity"}
UNNAMED_DATASET = "Unnamed dataset"


def license_metadata(card: Card) -> dict:
    if card.license is None:
        return {}
    spdx = card.license.id.lower()
    for suffix in SPDX_SUFFIXES:
        spdx = spdx.removesuffix(suffix)
    if spdx in HUB_LICENSES:
        return {"license": spdx}
    other: dict = {"license": "other", "license_name": slug(card.license.id)}
    if card.license.url:
        other["license_link"] = card.license.url
    return other


def metric_name(metric: Metric) -> str:
    return f"{metric.metric} ({metric.unit})" if metric.unit else metric.metric


def model_index(card: Card) -> list[dict]:
    """One result per dataset (the accuracy figures), and one for the complexity."""
    task = {"type": PIPELINE_TAGS.get(card.task, slug(card.task)), "name": task_title(card)}
    results = []
    by_dataset: dict[str, list[Metric]] = {}
    for metric in card.accuracy:
        by_dataset.setdefault(metric.dataset or UNNAMED_DATASET, []).append(metric)
    for dataset, metrics in by_dataset.items():
        results.append(
            {
                "task": task,
                "dataset": {"type": slug(dataset), "name": dataset},
                "metrics": [
                    {
                        "type": slug(metric.metric),
                        "value": float(metric.value),
                        "name": metric_name(metric),
                    }
                    for metric in metrics
                ],
            }
        )
    complexity = card.complexity
    figures = [
        {"type": key, "value": float(value), "name": label}
        for key, label in (("gflops", "GFLOPs"), ("mparams", "MParams"))
        if complexity is not None and (value := getattr(complexity, key)) is not None
    ]
    if figures:
        results.append({"task": task, "dataset": COMPLEXITY_DATASET, "metrics": figures})
    return [{"name": card.name, "results": results}] if results else []


def task_title(card: Card) -> str:
    info = TASKS.get(card.task)
    return info.title if info else card.task


def metadata(card: Card) -> dict:
    data: dict = {**license_metadata(card), "library_name": LIBRARY}
    data["tags"] = list(dict.fromkeys([LIBRARY, *card.tags, slug(card.task)]))
    if (pipeline := PIPELINE_TAGS.get(card.task)) is not None:
        data["pipeline_tag"] = pipeline
    datasets = list(dict.fromkeys(m.dataset for m in card.accuracy if m.dataset))
    if datasets:
        data["datasets"] = datasets
    if index := model_index(card):
        data["model-index"] = index
    return data


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    if not rows:
        return []
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_text(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def tensor_rows(tensors: list[Tensor]) -> list[tuple[str, ...]]:
    return [
        (
            tensor.name or str(index),
            "[" + ", ".join(str(dim) for dim in tensor.shape) + "]",
            tensor.type,
            tensor.layout or "",
        )
        for index, tensor in enumerate(tensors)
    ]


def body(source: CardSource) -> str:
    """The card in Markdown where every card text is escaped text: no HTML, no links, no syntax."""
    card = source.card
    lines = [f"# {markdown_text(card.name)}", "", markdown_text(" ".join(card.description.split()))]
    lines += ["", f"Task: {markdown_text(task_title(card))}."]
    if card.framework:
        lines[-1] += f" Original framework: {markdown_text(card.framework)}."
    if card.license:
        lines[-1] += f" License: {markdown_text(card.license.id)}."
    lines.append("")
    if card.complexity and (card.complexity.gflops or card.complexity.mparams):
        lines += ["## Complexity", ""]
        rows = [
            (label, str(value))
            for label, value in (
                ("GFLOPs", card.complexity.gflops),
                ("MParams", card.complexity.mparams),
            )
            if value is not None
        ]
        lines += table(("Figure", "Value"), rows)
    if card.accuracy:
        lines += ["## Accuracy", ""]
        rows = [
            (m.dataset or UNNAMED_DATASET, metric_name(m), str(m.value), f"{m.better} is better")
            for m in card.accuracy
        ]
        lines += table(("Dataset", "Metric", "Value", "Direction"), rows)
    for title, tensors in (("Inputs", card.inputs), ("Outputs", card.outputs)):
        if tensors:
            lines += [f"## {title}", ""]
            lines += table(("Name", "Shape", "Type", "Layout"), tensor_rows(tensors))
    lines.append(f"Exported by zoo-cards from the card {markdown_text(source.name)}/model.yml.")
    return "\n".join(lines) + "\n"


def hf_card(source: CardSource) -> str:
    return f"---\n{yaml_text(metadata(source.card))}---\n\n{body(source)}"


def export_hf(sources: list[CardSource], out: Path) -> list[Path]:
    """Write `<out>/<name>/README.md` per card, each atomically; the paths written."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise ExportError(f"{out}: not a folder (a symlink or a file)")
    written = []
    for source in sources:
        try:
            path = card_path(out, f"{source.name}/README.md")
        except OutsideCard as error:
            raise ExportError(f"{out}: {error}") from None
        if path.exists() and not path.is_file():
            raise ExportError(f"{path}: exists and is not a file")
        write_atomic(path, hf_card(source))
        written.append(path)
    return written
