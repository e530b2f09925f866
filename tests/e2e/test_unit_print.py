"""Print view of a unit profile (issue 7's print stylesheet): what a person gets from Ctrl+P."""

import pytest

from tests.e2e.conftest import open_view, screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang,heading", [("vi", "Vị trí trong kỳ PAPI 2019"), ("en", "Standing in PAPI 2019")])
def test_print_media_shows_the_profile_without_controls(server, page, lang, heading):
    page.set_viewport_size({"width": 1000, "height": 1400})
    open_view(page, server, f"/unit?unit=p83&index=papi&year=2019&lang={lang}")
    page.locator(".vega-embed svg").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stSelectbox']").first.is_visible()  # on screen the pickers are there
    page.emulate_media(media="print")
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    for testid in ("stSelectbox", "stDownloadButton", "stExpander"):
        boxes = page.locator(f"[data-testid='{testid}']")
        assert all(not boxes.nth(i).is_visible() for i in range(boxes.count())), f"{testid} printed"
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text(heading).first.is_visible()
    assert main.get_by_text("46,74" if lang == "vi" else "46.74").first.is_visible()
    # nothing printed wider than the page: every chart fits inside the main block
    width = page.locator("[data-testid='stMainBlockContainer']").bounding_box()["width"]
    charts = page.locator(".vega-embed")
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        if box:
            assert box["width"] <= width + 1, f"chart {i} is {box['width']} px wide in a {width} px page"
    screenshot(page, f"unit_print_{lang}")
