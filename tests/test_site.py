"""The built site of the shipped catalog, checked against the seed documents themselves."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, html_tables, mkdocs_build, site_config, table_rows, write_card
from generator.site.export import schema_json
from seeds import matconvnet_ilsvrc, matconvnet_md5, overview_rows

DETECTION_MARKS = {"Face": "Face", "Person": "Person", "Vehicle": "Vehicle", "Bike": "Bike",
                   "License plate": "License plate", "Product": "Product"}  # fmt: skip


def test_every_overview_model_has_its_exact_figures(built_site: Path) -> None:
    rows = table_rows(built_site / "overview" / "index.html")
    seed = overview_rows()
    assert len(seed) > 90
    for model in seed:
        assert model.name in rows, model.name
        row = rows[model.name]
        composite = model.gflops == "" and model.mparams == ""
        assert row[1] == (model.gflops if not composite else ""), model.name
        assert row[2] == (model.mparams if not composite else ""), model.name


def test_detection_marks_and_rank1_columns(built_site: Path) -> None:
    tables = html_tables(built_site / "overview" / "index.html")
    detection = next(table for table in tables if "Person" in table[0])
    header = detection[0]
    by_name = {row[0]: row for row in detection[1:]}
    for model in overview_rows():
        if model.section != "Object Detection Models":
            continue
        for title, marked in model.marks.items():
            cell = by_name[model.name][header.index(DETECTION_MARKS[title])]
            assert (cell == "✓") == marked, (model.name, title)
    reid = next(table for table in tables if "Rank-1" in table[0])
    by_name = {row[0]: row for row in reid[1:]}
    for model in overview_rows():
        if "Rank-1 on Market-1501" in model.extra:
            assert by_name[model.name][3] == model.extra["Rank-1 on Market-1501"]


def test_composite_parts_are_rows_under_their_model(built_site: Path) -> None:
    tables = html_tables(built_site / "overview" / "index.html")
    spotting = next(t for t in tables if any(r[0] == "text-spotting-0002" for r in t))
    names = [row[0] for row in spotting[1:]]
    start = names.index("text-spotting-0002")
    assert [name.replace("↳", "").strip() for name in names[start + 1 : start + 4]] == [
        "text-spotting-0002-detector",
        "text-spotting-0002-recognizer-encoder",
        "text-spotting-0002-recognizer-decoder",
    ]
    assert all(name.startswith("↳") for name in names[start + 1 : start + 4])


def test_ssd_page_shows_shapes_accuracy_and_license(built_site: Path) -> None:
    page = built_site / "models" / "ssd-resnet34-1200-onnx" / "index.html"
    html = page.read_text()
    rows = table_rows(page)
    assert rows["GFLOPs"][1] == "433.411" and rows["MParams"][1] == "20.058"
    assert rows["mAP"][1] == "39.2752%" and rows["coco_precision"][1] == "20.7198%"
    tensors = [row for table in html_tables(page) if table[0][0] == "Name" for row in table[1:]]
    shapes = {(row[0], row[1]) for row in tensors}
    assert ("image", "1, 3, 1200, 1200") in shapes
    assert ("bboxes", "1, 200, 4") in shapes and ("bboxes", "1, N, 4") in shapes
    assert {"RGB", "BGR"} <= {row[4] for row in tensors}
    assert "Apache-2.0" in html
    assert 'href="APACHE-2.0-MLPerf.txt"' in html
    license_text = (page.parent / "APACHE-2.0-MLPerf.txt").read_text()
    assert "Apache License" in license_text
    assert "omz_converter --name ssd-resnet34-1200-onnx" in html


def test_checksum_table_holds_every_matconvnet_md5(built_site: Path) -> None:
    rows = table_rows(built_site / "checksums" / "index.html")
    md5 = matconvnet_md5()
    assert len(md5) == 24
    for file_name, digest in md5.items():
        assert rows[file_name][3:5] == ["md5", digest], file_name


def test_accuracy_summary_has_every_ilsvrc_figure(built_site: Path) -> None:
    tables = html_tables(built_site / "accuracy" / "index.html")
    ilsvrc = next(table for table in tables if "top-1 err." in table[0])
    header = ilsvrc[0]
    rows = {row[0]: row for row in ilsvrc[1:]}
    for name, (year, top1, top5, speed) in matconvnet_ilsvrc().items():
        row = rows[name]
        assert row[header.index("Introduced")] == year
        assert row[header.index("top-1 err.")] == f"{top1}% ↓"
        assert row[header.index("top-5 err.")] == f"{top5}% ↓"
        assert row[header.index("Speed")] == f"{speed} images/s"


def test_citations_page_credits_papers(built_site: Path) -> None:
    html = (built_site / "citations" / "index.html").read_text()
    assert "Deep Residual Learning for Image Recognition" in html
    assert "imagenet-resnet-152-dag" in html


def test_machine_readable_catalog(built_site: Path) -> None:
    data = json.loads((built_site / "models.json").read_text())
    cards = sorted(p.name for p in (ROOT / "model_cards").iterdir() if (p / "model.yml").is_file())
    assert data["count"] == len(cards) == len(data["models"])
    by_name = {model["name"]: model for model in data["models"]}
    assert sorted(by_name) == cards
    assert by_name["ssd-resnet34-1200-onnx"]["complexity"] == {"gflops": 433.411, "mparams": 20.058}
    for model in data["models"]:
        assert (built_site / model["page"] / "index.html").is_file()
    with (built_site / "models.csv").open() as stream:
        rows = {row["name"]: row for row in csv.DictReader(stream)}
    assert sorted(rows) == cards
    assert rows["face-detection-retail-0004"]["gflops"] == "1.067"
    assert rows["imagenet-caffe-alex"]["files"] == "imagenet-caffe-alex.mat"


def test_schema_is_committed_and_published(built_site: Path) -> None:
    committed = (ROOT / "model_cards" / "model-card.schema.json").read_text()
    assert committed == schema_json(), "run `zoo schema > model_cards/model-card.schema.json`"
    assert (built_site / "schema" / "model-card.schema.json").read_text() == committed


def test_model_pages_stay_out_of_the_nav(built_site: Path) -> None:
    # a nav listing every model would be rendered into every page: quadratic build time
    html = (built_site / "models" / "imagenet-vgg-f" / "index.html").read_text()
    assert html.count("/models/") < 10
    assert "imagenet-vgg-m-128" not in html


def test_untrusted_card_text_cannot_inject_html(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    write_card(
        cards,
        "evil",
        "name: evil\ntask: detection\n"
        "description: 'Hi <script>alert(1)</script> <img src=x onerror=alert(2)>'\n"
        "inputs: [{name: '<b>in</b>', shape: [1], description: 'a | b'}]\n",
    )
    result = mkdocs_build(site_config(tmp_path, cards), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "models" / "evil" / "index.html").read_text()
    article = html[html.index("<article") :]
    assert "<script>alert" not in article and "<img src=x" not in article
    assert "&lt;script&gt;alert(1)" in article and "javascript:" not in article
    assert "&lt;b&gt;in&lt;/b&gt;" in article and "a | b" in article


def test_broken_card_fails_the_build_and_keeps_the_old_site(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "face-detection-0100", cards / "face-detection-0100")
    config = site_config(tmp_path, cards)
    site = tmp_path / "site"
    assert mkdocs_build(config, site).returncode == 0
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    yml = cards / "face-detection-0100" / "model.yml"
    yml.write_text(yml.read_text().replace("task: detection", "task: detektion"))
    result = mkdocs_build(config, site)
    assert result.returncode == 1
    assert f"{yml}:" in result.stderr and "unknown task 'detektion'" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


@pytest.mark.parametrize("missing", ["cards"])
def test_missing_cards_folder_is_one_line_error(tmp_path: Path, missing: str) -> None:
    result = mkdocs_build(site_config(tmp_path, tmp_path / missing), tmp_path / "site")
    assert result.returncode == 1
    assert f"{tmp_path / missing}: cards folder not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_indexes_a_model_by_its_name_and_description_only(built_site: Path) -> None:
    # the catalog searches the figures; Material's index stays small at 10,000 models
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    ssd = [d for d in index["docs"] if d["location"].startswith("models/ssd-resnet34-1200-onnx/")]
    assert [d["location"].split("#")[-1] for d in ssd] == [
        "models/ssd-resnet34-1200-onnx/",
        "use-case-and-high-level-description",
    ]
    assert "MLPerf" in ssd[1]["text"]
    # the summary under the title (task, figures, license) is not indexed either
    assert ssd[0]["text"] == ""
