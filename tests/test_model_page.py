"""Model pages answer "can I use it and how": summary, breadcrumbs, a runtime snippet that runs,
BibTeX, related models, label map, copy buttons, and tensor tables readable on a phone."""

from __future__ import annotations

import ast
import html
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import ROOT, mkdocs_build, site_config, write_card
from generator.cards.catalog import load_catalog
from generator.cards.schema import Card, Citation
from generator.site.model_page import RelatedIndex, bibtex, runtime_snippet
from generator.site.render import render
from local_site import serve_site, watched_page

PYTHON_BLOCK = re.compile(r'<code class="language-python">(.*?)</code>', re.S)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "model_cards")


def relations(catalog, name: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for related in RelatedIndex(catalog).related(catalog.by_name[name]):
        found.setdefault(related.relation, []).append(related.source.name)
    return found


def test_related_models_are_parts_variants_and_nearest_of_the_task(catalog) -> None:
    face = relations(catalog, "face-detection-0102")
    assert face["variant"] == [
        "face-detection-0100", "face-detection-0104", "face-detection-0105", "face-detection-0106"
    ]  # fmt: skip
    nearest = face["same task"]
    assert len(nearest) == 4 and not set(nearest) & set(face["variant"])
    tasks = {catalog.by_name[name].card.task for name in nearest}
    assert tasks == {"detection"}
    part = relations(catalog, "action-recognition-0001-encoder")
    assert part["composite"] == ["action-recognition-0001"]
    assert part["part"] == ["action-recognition-0001-decoder"]
    assert relations(catalog, "action-recognition-0001")["part"] == [
        "action-recognition-0001-encoder", "action-recognition-0001-decoder"
    ]  # fmt: skip


def page_markdown(catalog, name: str) -> str:
    from generator.site.pages import site_pages

    page = next(p for p in site_pages(catalog) if p.path == f"models/{name}/index.md")
    return render(None, page.template, **page.context)


def test_use_this_model_snippet_runs_with_openvino(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = catalog.by_name["squeezenet1.1-light"]
    code = html.unescape(PYTHON_BLOCK.search(page_markdown(catalog, source.name)).group(1))
    assert "core.read_model('squeezenet1.1-light.xml')" in code
    assert "# shape [1, 3, 224, 224], layout NCHW" in code
    monkeypatch.chdir(source.folder / "FP32")
    printed: list[tuple] = []
    exec(compile(code, "snippet", "exec"), {"print": lambda *args: printed.append(args)})
    assert printed and printed[0][1] == (1, 1000, 1, 1)


def test_snippet_keeps_a_hostile_tensor_name_a_string() -> None:
    name = "x': 1}; import os; os.system('echo owned') #\n'"
    card = Card(
        name="m",
        task="classification",
        description="x",
        inputs=[{"name": name, "shape": [1, "N", "1..8"], "type": "u8"}],
    )
    snippet = runtime_snippet(card)
    key = ast.literal_eval(snippet.inputs[0].key)
    assert key == name
    assert snippet.inputs[0].dims == "(1, 1, 1)" and snippet.inputs[0].dtype == "uint8"
    assert snippet.xml == "'m.xml'"


def test_bibtex_escapes_and_names_the_entry() -> None:
    entry = bibtex(
        Citation(
            title="Deep {Residual} Learning & 50% of $x_1$",
            authors=["Kaiming He", "X. Zhang"],
            venue="CVPR",
            year=2016,
            url="https://example.com/a_b",
        )
    )
    assert entry.startswith("@inproceedings{he2016deep,\n")
    assert r"title = {{Deep \{Residual\} Learning \& 50\% of \$x\_1\$}}" in entry
    assert "author = {Kaiming He and X. Zhang}" in entry and "booktitle = {CVPR}" in entry
    assert "url = {https://example.com/a_b}" in entry
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")
    arxiv = bibtex(Citation(title="T", venue="arXiv", year=2016))
    assert arxiv.startswith("@article{anonymous2016t,") and "journal = {arXiv}" in arxiv


def test_ssd_page_summary_label_map_and_breadcrumbs(built_site: Path) -> None:
    folder = built_site / "models" / "ssd-resnet34-1200-onnx"
    page = (folder / "index.html").read_text()
    assert 'class="zoo-breadcrumbs"' in page and 'aria-label="Breadcrumb"' in page
    assert 'href="../../overview/#detection"' in page
    summary = page[page.index('<dl class="zoo-summary"') : page.index("</dl>")]
    assert "Object Detection" in summary and "433.411" in summary and "20.058" in summary
    assert 'zoo-license-permissive" title="License class">permissive<' in summary
    assert 'href="label-map/coco-labels.txt"' in page
    labels = (folder / "label-map" / "coco-labels.txt").read_text().splitlines()
    assert labels[0] == "0 background" and labels[1] == "1 person" and len(labels) == 81
    assert "Layout letters:" in page and "<strong>N</strong> batch" in page
    assert "Conversion to OpenVINO IR changes the outputs" in page
    assert 'href="https://github.com/openvinotoolkit/open_model_zoo/tree/master/demos/' in page


def test_matconvnet_pages_state_the_protocol_and_caveats(built_site: Path) -> None:
    page = (built_site / "models" / "imagenet-caffe-alex" / "index.html").read_text()
    assert "<td>single centre crop</td>" in page
    assert "MATLAB had to resize every input" in page and "Preprocessing" in page
    assert "@inproceedings{krizhevsky2012imagenet," in page


def test_placeholder_weights_are_not_a_green_pass(built_site: Path) -> None:
    page = (built_site / "models" / "squeezenet1.1-light" / "index.html").read_text()
    summary = page[page.index('<dl class="zoo-summary"') : page.index("</dl>")]
    assert "placeholder, not trained" in summary
    assert "zoo-passed" not in page and "zoo-placeholder" in summary
    real = (built_site / "models" / "ssd-resnet34-1200-onnx" / "index.html").read_text()
    assert "Placeholder weights" not in real and "not trained" not in real


def test_license_class_badge_of_a_non_commercial_card(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    write_card(
        cards, "nc", "name: nc\ntask: classification\ndescription: x\nlicense: CC-BY-NC-4.0\n"
    )
    result = mkdocs_build(site_config(tmp_path, cards, validation=False), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "models" / "nc" / "index.html").read_text()
    assert (
        page.count('zoo-license-non-commercial" title="License class">non-commercial<') == 2
    )  # summary and legal


@pytest.mark.parametrize("width", [390, 1440])
def test_model_page_in_the_browser(built_site: Path, browser: Browser, width: int) -> None:
    with serve_site(built_site) as base:
        page = watched_page(browser, viewport={"width": width, "height": 900})
        page.goto(base + "models/ssd-resnet34-1200-onnx/")
        page.wait_for_selector("button.md-code__button")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width
        # every command and the snippet get Material's copy button
        assert page.locator("button.md-code__button").count() == page.locator("pre > code").count()
        description = page.locator("table.zoo-tensors td:last-child").first.bounding_box()
        assert description["width"] > (300 if width == 390 else 200)
        assert description["x"] + description["width"] <= width
        page.goto(base + "models/imagenet-caffe-alex/")
        checksum = page.locator("pre.zoo-checksums > code")
        line = float(checksum.evaluate("code => parseFloat(getComputedStyle(code).lineHeight)"))
        assert checksum.bounding_box()["height"] < 2.5 * line  # one line, scrolling if it must
        assert page.locator("button.md-code__button").count() == page.locator("pre > code").count()
        assert page.problems == []
        os.makedirs(ROOT / "artifacts", exist_ok=True)
        page.goto(base + "models/ssd-resnet34-1200-onnx/")
        page.screenshot(path=ROOT / "artifacts" / f"model-page-{width}.png", full_page=True)
