"""Journey 2 (issue 14), as a citizen would do it: open the map of an index and year, hover a province to read its
score in the tooltip, click it and land on that province's profile — in Vietnamese and English, on a desktop
(1400 px) and a phone (390 px)."""

import re

import pytest

from tests.e2e.conftest import main_text, open_view, screenshot, wait_ready

pytestmark = pytest.mark.e2e

LABELS = {"vi": ("Đơn vị", "Hạng"), "en": ("Unit", "Rank")}
DECIMAL = {"vi": r"\d+,\d\d", "en": r"\d+\.\d\d"}


def _province_under_the_pointer(page):
    """A province whose shape is under the centre of its own box (the pointer lands on it, not a neighbour)."""
    shapes = page.locator(".vega-embed svg .role-mark path")
    shapes.first.scroll_into_view_if_needed()
    candidates = []
    for i in range(shapes.count()):
        box = shapes.nth(i).bounding_box()
        if box and box["width"] > 6 and box["height"] > 6:
            candidates.append((box["width"] * box["height"], i))
    for _, i in sorted(candidates, reverse=True):
        box = shapes.nth(i).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        hit = page.evaluate(
            "([x, y, i]) => document.elementFromPoint(x, y) === "
            "document.querySelectorAll('.vega-embed svg .role-mark path')[i]",
            [x, y, i],
        )
        if hit:
            return x, y
    raise AssertionError("no province shape can be pointed at")


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_hover_then_click_through_to_the_profile(page, server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_view(page, server, f"/map?lang={lang}&index=pci&year=2019")
    page.wait_for_selector(".vega-embed svg .role-legend", timeout=30_000)
    assert page.locator(".vega-embed svg .role-mark path").count() >= 63
    svg = page.locator(".vega-embed svg").first
    assert svg.bounding_box()["x"] + svg.bounding_box()["width"] <= width  # the map and legend fit the screen

    x, y = _province_under_the_pointer(page)
    page.mouse.move(x, y)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=10_000)
    tip = tooltip.inner_text()
    unit_label, rank_label = LABELS[lang]
    assert unit_label in tip and rank_label in tip, tip
    name = tip.split(unit_label, 1)[1].strip().splitlines()[0].strip()
    assert name and re.search(DECIMAL[lang], tip), tip  # the score in the language's notation
    screenshot(page, f"journey-map-hover-{lang}-{width}")

    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/unit\?"), timeout=15_000)
    wait_ready(page)
    assert f"lang={lang}" in page.url and "unit=p" in page.url and "index=pci" in page.url
    body = main_text(page)
    assert name in body, (name, body[:300])  # the profile of the province that was clicked
    assert "Traceback" not in body
    screenshot(page, f"journey-map-profile-{lang}-{width}")
