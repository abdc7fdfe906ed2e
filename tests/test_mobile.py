"""The site on a phone, in real Chromium: no page scrolls sideways at 360-430 px, the catalog's
filters sit in a drawer, active filters are chips, and an empty list says which filter emptied it.

Screenshots of every page kind at 390 px, light and dark, go to artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import test_browser
from playwright.sync_api import Browser, Page, expect
from test_browser import ARTIFACTS, facet, listed, open_catalog

from local_site import wait_ready, watched_page

# the sites of the desktop browser tests, built once per module here too
small_site = test_browser.small_site
shipped_site = test_browser.shipped_site

PAGE_KINDS = {
    "home": "",
    "overview": "overview/",
    "catalog": "catalog/",
    "accuracy": "accuracy/",
    "devices": "devices/",
    "checksums": "checksums/",
    "citations": "citations/",
    "counting": "counting/",
    "model": "models/person-detection-retail-0013/",
    "leaderboards": "leaderboards/",
    "leaderboard": "leaderboards/reidentification-market-1501-rank-1/",  # with its chart
}


def phone(browser: Browser, width: int = 390, scheme: str = "light") -> Page:
    return watched_page(
        browser, viewport={"width": width, "height": 844}, color_scheme=scheme, has_touch=True
    )


@pytest.fixture
def mobile(browser: Browser) -> Iterator[Page]:
    page = phone(browser)
    yield page
    page.context.close()
    assert page.problems == []


def overflow(page: Page) -> list[str]:
    """The elements that stick out of the viewport on the right (empty: no sideways scroll)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getClientRects().length
                && e.getBoundingClientRect().right > window.innerWidth + 0.5
                && !e.closest('.md-typeset__table, .zoo-catalog__scroll, .md-sidebar, '
                              + '.md-search, .highlight'))
            .map((e) => e.tagName.toLowerCase() + '.' + e.className).slice(0, 5)"""
    )


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (390, "light"), (390, "dark")])
def test_no_page_scrolls_sideways(
    browser: Browser, shipped_site: str, width: int, scheme: str
) -> None:
    page = phone(browser, width, scheme)
    for kind, path in PAGE_KINDS.items():
        page.goto(shipped_site + path)
        if kind == "catalog":
            wait_ready(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (kind, widths, overflow(page))
        assert overflow(page) == [], kind
        if width == 390:
            ARTIFACTS.mkdir(exist_ok=True)
            page.wait_for_timeout(200)  # fonts and the chart settle
            page.screenshot(path=ARTIFACTS / f"mobile-{kind}-{scheme}.png")
    page.context.close()
    assert page.problems == []


def test_wide_tables_scroll_in_their_box_with_the_name_kept(
    mobile: Page, shipped_site: str
) -> None:
    mobile.goto(shipped_site + "accuracy/")
    box = mobile.locator("article .md-typeset__scrollwrap").first  # Material's table wrapper
    scroll = box.evaluate("(b) => [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX]")
    assert scroll[0] > scroll[1] and scroll[2] == "auto"  # wider than the screen: it scrolls
    table = box.locator("table")
    row = table.locator("tbody tr").first
    first, second = row.locator("td").first, row.locator("td").nth(1)
    second_before = second.bounding_box()
    box.evaluate("(b) => { b.scrollLeft = b.scrollWidth; }")
    after = first.bounding_box()
    # the name column stays in view, at the box's left edge, while the others scroll under it
    assert after["x"] == pytest.approx(max(box.bounding_box()["x"], 0), abs=1)
    assert after["x"] + after["width"] < 390
    assert second.bounding_box()["x"] < second_before["x"] - 20


def test_catalog_rows_are_cards(mobile: Page, shipped_site: str) -> None:
    open_catalog(mobile, shipped_site, "?search=action-recognition-0001")
    card = mobile.locator(".zoo-catalog__table tbody tr").first
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert card.evaluate("(tr) => getComputedStyle(tr).display") == "grid"
    accuracy = card.locator('td[data-label="Accuracy"]')
    expect(accuracy).to_have_text("no accuracy published")
    expect(accuracy).to_be_visible()
    # sorting stays reachable: the column headers are buttons above the cards
    mobile.get_by_role("button", name="GFLOPs").click()
    expect(mobile.locator('th[data-column="gflops"]')).to_have_attribute("aria-sort", "ascending")


def test_filter_drawer_opens_filters_and_closes(mobile: Page, small_site: str) -> None:
    open_catalog(mobile, small_site)
    toggle = mobile.locator("[data-action=filters]")
    expect(toggle).to_have_accessible_name("Filters")
    drawer = mobile.locator("#zoo-filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "zoo-filters")
    expect(drawer).to_be_hidden()
    # the count stays in view while the list scrolls
    mobile.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    count = mobile.locator("#zoo-count")
    expect(count).to_be_in_viewport()

    toggle.click()
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(mobile.get_by_role("group", name="Filters")).to_be_visible()
    close = drawer.locator("[data-action=close-filters]")
    expect(close).to_be_focused()
    expect(close).to_have_text("Show 6 models")  # the count the drawer hides
    box = drawer.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    drawer.get_by_label("Object Detection").check()
    expect(count).to_have_text("3 models of 6 match.")
    expect(close).to_have_text("Show 3 models")
    ARTIFACTS.mkdir(exist_ok=True)
    mobile.screenshot(path=ARTIFACTS / "mobile-catalog-drawer.png")
    close.click()
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(mobile.get_by_role("button", name="Filters (1)")).to_have_attribute(
        "aria-expanded", "false"
    )
    assert len(listed(mobile)) == 3

    # by keyboard: Enter opens, Tab stays inside, Escape closes
    toggle.focus()
    mobile.keyboard.press("Enter")
    expect(close).to_be_focused()
    mobile.keyboard.press("Shift+Tab")  # wraps to the drawer's last control
    assert mobile.evaluate("document.activeElement.closest('#zoo-filters') !== null")
    for _ in range(40):
        mobile.keyboard.press("Tab")
        assert mobile.evaluate("document.activeElement.closest('#zoo-filters') !== null")
    mobile.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()

    # a tap beside the drawer closes it too
    toggle.click()
    expect(drawer).to_be_visible()
    mobile.mouse.click(385, 400)
    expect(drawer).to_be_hidden()
    assert mobile.evaluate("!document.documentElement.classList.contains('zoo-drawer-open')")


def test_chips_show_and_remove_active_filters(mobile: Page, small_site: str) -> None:
    open_catalog(mobile, small_site, "?search=detector&task=detection&tag=person&gflops=..3")
    chips = mobile.get_by_role("list", name="Active filters").locator("button > span:first-child")
    expect(chips).to_have_text(
        ["Search: detector", "Task: Object Detection", "Tag: person", "GFLOPs ≤ 3"]
    )
    assert listed(mobile) == ["person-detector-small"]
    mobile.get_by_role("button", name="Remove filter GFLOPs ≤ 3").click()
    expect(mobile).to_have_url(re.compile(r"\?search=detector&task=detection&tag=person$"))
    assert sorted(listed(mobile)) == ["person-detector-large", "person-detector-small"]
    mobile.get_by_role("button", name="Remove filter Tag: person").click()
    assert sorted(listed(mobile)) == ["face-detector-tiny", "person-detector-large",
                                      "person-detector-small"]  # fmt: skip
    mobile.get_by_role("button", name="Filters (2)").click()
    assert not mobile.locator('[data-facet="tag"] input[value="person"]').is_checked()
    assert mobile.get_by_label("Search names, descriptions and tags").input_value() == "detector"
    mobile.keyboard.press("Escape")
    mobile.get_by_role("button", name="Remove filter Search: detector").click()
    mobile.get_by_role("button", name="Remove filter Task: Object Detection").click()
    expect(mobile.get_by_role("list", name="Active filters")).to_be_hidden()
    expect(mobile).to_have_url(f"{small_site}catalog/")
    assert len(listed(mobile)) == 6
    mobile.go_back()  # each removal is a history entry
    expect(mobile.locator("#zoo-count")).to_have_text("3 models of 6 match.")


def test_dead_end_names_the_filter_and_relaxes_it(mobile: Page, small_site: str) -> None:
    # only the accuracy range empties the list: the three detectors all score under 95
    open_catalog(mobile, small_site, "?task=detection&accuracy=95..")
    empty = mobile.locator(".zoo-catalog__empty")
    expect(empty).to_contain_text("No model matches these filters.")
    expect(empty).to_contain_text(
        "The filter “Accuracy ≥ 95” leaves nothing: without it, 3 models match."
    )
    expect(empty.get_by_role("button")).to_have_text(["Remove “Accuracy ≥ 95”: 3 models"])

    # two filters that leave nothing together: each relaxation with its own count
    open_catalog(mobile, small_site, "?task=classification&task=text_recognition&gflops=..0.6")
    expect(empty).to_contain_text("These filters leave nothing together.")
    buttons = empty.get_by_role("button")
    ARTIFACTS.mkdir(exist_ok=True)
    empty.scroll_into_view_if_needed()
    mobile.screenshot(path=ARTIFACTS / "mobile-catalog-dead-end.png")
    # without the GFLOPs range: text-reader, vehicle-classifier, evil-model; without the task:
    # face-detector-tiny
    expect(buttons).to_have_text([
        "Remove “GFLOPs ≤ 0.6”: 3 models",
        "Remove “Task: Image Classification or Text Recognition”: 1 model",
    ])  # fmt: skip
    buttons.last.click()
    assert listed(mobile) == ["face-detector-tiny"]
    expect(mobile).to_have_url(re.compile(r"\?gflops=\.\.0\.6$"))
    expect(mobile.locator("#zoo-count")).to_be_focused()

    # nothing single to blame: say so, and offer to clear them all
    open_catalog(mobile, small_site, "?search=zzz&tag=face&gflops=50..")
    expect(empty).to_contain_text("No single filter empties the list")
    empty.get_by_role("button", name="Clear all filters: 6 models").click()
    assert len(listed(mobile)) == 6


def test_compare_view_fits_a_phone(mobile: Page, shipped_site: str) -> None:
    query = "?compare=person-detection-retail-0013&compare=imagenet-caffe-alex&view=compare"
    open_catalog(mobile, shipped_site, query)
    table = mobile.locator(".zoo-catalog__compare-table")
    expect(table).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = table.locator("tr", has=mobile.locator("th", has_text="top-1 err."))
    # a model without any published figure says so; the other has its error rate
    expect(row.locator("td")).to_have_text(["no accuracy published", "42.6%"])
    header = row.locator("th").bounding_box()
    assert header["width"] < 390 / 2  # the spec names wrap instead of taking the screen


def test_the_readers_question_gets_an_answer_on_a_phone(mobile: Page, shipped_site: str) -> None:
    """'The most accurate person detector under 3 GFLOPs, permissive license, validated on
    CPU', asked through the drawer on the shipped catalog: a ranked list or the reason none."""
    open_catalog(mobile, shipped_site)
    mobile.locator("[data-action=filters]").click()
    drawer = mobile.locator("#zoo-filters")
    drawer.get_by_label("Object Detection").check()
    facet(mobile, "tag", "person").check()
    facet(mobile, "license_class", "permissive").check()
    drawer.locator('[data-range="gflops"] input[data-bound="max"]').fill("3")
    facet(mobile, "device", "CPU").check()
    drawer.locator("[data-action=close-filters]").click()
    mobile.get_by_role("button", name="Accuracy").click()  # sort: best first
    assert overflow(mobile) == []

    rows = mobile.locator(".zoo-catalog__table tbody tr")
    if listed(mobile):  # a ranked answer: the list holds only what was asked for
        gflops = rows.locator('td[data-label="GFLOPs"]').all_inner_texts()
        assert all(float(value) <= 3 for value in gflops)
        return
    # no answer: the page says what each relaxation would give, and one tap relaxes it
    empty = mobile.locator(".zoo-catalog__empty")
    expect(empty).to_contain_text("No model matches these filters.")
    relax = empty.get_by_role(
        "button", name=re.compile(r"^Remove “Validated on: CPU”: \d+ models?$")
    )
    shown = int(re.search(r"(\d+) models?$", relax.inner_text()).group(1))
    relax.click()
    assert len(listed(mobile)) == shown > 0
    gflops = rows.locator('td[data-label="GFLOPs"]').all_inner_texts()
    assert all(float(value) <= 3 for value in gflops)
    # what is missing is said, not left blank
    for accuracy in rows.locator('td[data-label="Accuracy"]').all_inner_texts():
        assert accuracy.strip() and accuracy != "-"
    assert overflow(mobile) == []
