"""What the site publishes from a card folder: its generated page, linked raster images and its
license as plain text; never a card's own Markdown, HTML or SVG, and nothing replaces a page."""

from __future__ import annotations

from pathlib import Path

from conftest import mkdocs_build, site_config, write_card

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
CARD = """\
name: pictured
task: classification
description: 'See ![arch](arch.png), ![fake](fake.png), ![logo](logo.svg), [notes](notes.md),
  [page](page.html).'
license: {id: MIT, file: LICENSE}
"""


def test_only_images_and_license_text_are_published(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    folder = write_card(cards, "pictured", CARD).parent
    (folder / "arch.png").write_bytes(PNG)
    (folder / "fake.png").write_text("<html><script>alert(1)</script></html>")
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    (folder / "notes.md").write_text("# Notes\n<script>alert(1)</script>\n")
    (folder / "page.html").write_text("<script>alert(1)</script>")
    (folder / "index.md").write_text("# Not the model page\n<script>alert(1)</script>\n")
    (folder / "LICENSE").write_text("MIT License <script>alert(1)</script>\n")
    site = tmp_path / "site"
    result = mkdocs_build(site_config(tmp_path, cards, validation=False), site)
    assert result.returncode == 0, result.stderr
    published = sorted(p.name for p in (site / "models" / "pictured").rglob("*") if p.is_file())
    assert published == ["LICENSE.txt", "arch.png", "index.html"]
    assert (site / "models" / "pictured" / "arch.png").read_bytes() == PNG
    license_text = (site / "models" / "pictured" / "LICENSE.txt").read_text()
    assert license_text == "MIT License <script>alert(1)</script>\n"  # as text, served as .txt
    page = (site / "models" / "pictured" / "index.html").read_text()
    assert "Specification" in page and "Not the model page" not in page
    assert 'href="LICENSE.txt"' in page and 'src="arch.png"' in page
    assert not (site / "models" / "pictured" / "notes").exists()


def test_a_docs_page_cannot_stand_in_for_a_generated_one(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "plain", "name: plain\ntask: classification\ndescription: x\n")
    config = site_config(tmp_path, cards, validation=False)
    (tmp_path / "docs" / "models" / "plain").mkdir(parents=True)
    (tmp_path / "docs" / "models" / "plain" / "index.md").write_text("# Forged\n")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert "models/plain/index.md: has the path of a page zoo-cards generates" in result.stderr
    assert "Traceback" not in result.stderr


def test_images_linked_from_any_card_text_are_published(tmp_path: Path) -> None:
    """The links `zoo check` judges are the ones published: a tensor description's image too,
    and a percent-encoded name as the server reads it."""
    cards = tmp_path / "cards"
    card = (
        "name: pictured\ntask: classification\ndescription: 'See ![a](a%20b.png).'\n"
        "inputs: [{name: x, shape: [1], description: '![layout](layout.png)'}]\n"
    )
    folder = write_card(cards, "pictured", card).parent
    (folder / "a b.png").write_bytes(PNG)
    (folder / "layout.png").write_bytes(PNG)
    site = tmp_path / "site"
    result = mkdocs_build(site_config(tmp_path, cards, validation=False), site)
    assert result.returncode == 0, result.stderr
    published = sorted(p.name for p in (site / "models" / "pictured").rglob("*") if p.is_file())
    assert published == ["a b.png", "index.html", "layout.png"]


def test_label_map_is_published_as_text(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    card = (
        "name: pictured\ntask: classification\ndescription: x\nlabel_map: labels.md\n"
        "license: {id: MIT, file: labels.md}\n"
    )
    folder = write_card(cards, "pictured", card).parent
    (folder / "labels.md").write_text("0 <script>alert(1)</script>\n")
    site = tmp_path / "site"
    result = mkdocs_build(site_config(tmp_path, cards, validation=False), site)
    assert result.returncode == 0, result.stderr
    # the same file as license and label map: two plain-text copies, neither a page
    assert (site / "models" / "pictured" / "labels.md.txt").is_file()
    label_map = site / "models" / "pictured" / "label-map" / "labels.md.txt"
    assert label_map.read_text() == "0 <script>alert(1)</script>\n"
    page = (site / "models" / "pictured" / "index.html").read_text()
    assert 'href="label-map/labels.md.txt"' in page
