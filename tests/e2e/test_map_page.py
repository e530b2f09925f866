"""Real-browser checks of every map kind in both languages (issue 5): the map and its legend are drawn."""
import re

import pytest

from tests.e2e.conftest import main_text, open_view, screenshot

pytestmark = pytest.mark.e2e

NO_DATA = {"vi": "không có dữ liệu", "en": "no data"}
KINDS = {
    # kind: (path, minimum number of shapes drawn, text that must be on the page per language)
    "provinces_63": ("/map?index=pci&year=2019&metric=total", 63, {"vi": "Bản đồ 63 tỉnh", "en": "Map of the 63"}),
    "hanoi_districts": ("/map?index=par_hanoi&year=2019&layer=hanoi", 30,
                        {"vi": "30 quận, huyện", "en": "30 districts"}),
    "all_districts": ("/map?index=par_hanoi&year=2019&layer=districts", 705,
                      {"vi": "Tất cả quận, huyện", "en": "All districts"}),
    "change": ("/map?index=pci&year=2019&view=change&year2=2018", 63, {"vi": "Thay đổi 2018", "en": "Change 2018"}),
    "multiples": ("/map?index=pci&year=2019&view=multiples&years=2017,2018,2019", 3 * 63,
                  {"vi": "3 bản đồ", "en": "3 maps"}),
}


def _map_svg(page):
    page.wait_for_selector(".vega-embed svg .role-legend", timeout=30_000)
    return page.locator(".vega-embed svg").first


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_map_kind_renders_with_legend(page, server, kind, lang):
    path, min_shapes, text = KINDS[kind]
    open_view(page, server, f"{path}&lang={lang}")
    svg = _map_svg(page)
    shapes = svg.locator(".role-mark path").count()
    assert shapes >= min_shapes, f"{kind}/{lang}: {shapes} shapes drawn"
    legend = svg.locator(".role-legend text").all_text_contents()
    assert NO_DATA[lang] in legend, legend
    body = main_text(page)
    assert text[lang] in body
    assert "Traceback" not in body
    screenshot(page, f"map-{kind}-{lang}")


def test_pci_2019_numbers_follow_the_language(page, server):
    open_view(page, server, "/map?index=pci&year=2019&metric=total&lang=vi")
    legend = _map_svg(page).locator(".role-legend text").all_text_contents()
    assert any(re.fullmatch(r"\d\d,00", s) for s in legend), legend
    open_view(page, server, "/map?index=pci&year=2019&metric=total&lang=en")
    legend = _map_svg(page).locator(".role-legend text").all_text_contents()
    assert any(re.fullmatch(r"\d\d\.00", s) for s in legend), legend


def test_phone_width(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_view(page, server, "/map?index=par_hanoi&year=2022&lang=vi")
    svg = _map_svg(page)
    assert svg.bounding_box()["width"] <= 390
    screenshot(page, "map-phone-vi")


def test_clicking_a_province_opens_its_unit_page(page, server):
    open_view(page, server, "/map?index=pci&year=2019&metric=total&lang=en")
    svg = _map_svg(page)
    paths = svg.locator(".role-mark").nth(1).locator("path")  # the coloured layer (layer 0 is "no data")
    assert paths.count() == 63
    # Gia Lai is large and compact: the centre of its bounding box lies inside it
    paths.and_(page.locator("path[aria-label*='Unit: Gia Lai;']")).click(timeout=5_000)
    page.wait_for_url(re.compile(r"/unit\?.*unit=p\d\d"), timeout=15_000)
    assert "unit=p64" in page.url and "lang=en" in page.url and "index=pci" in page.url and "year=2019" in page.url


def test_geometry_is_fetched_once_from_static_serving(page, server):
    """The map spec names the TopoJSON by URL (static/geo, versioned by its hash); the browser fetches it from
    Streamlit's static serving and draws every shape from it."""
    fetched = []
    page.on("response", lambda r: fetched.append((r.url, r.status)) if "/app/static/geo/" in r.url else None)
    open_view(page, server, "/map?index=pci&year=2019&metric=total&lang=en")
    assert _map_svg(page).locator(".role-mark path").count() >= 63
    assert [s for _, s in fetched] == [200], fetched
    assert re.search(r"/app/static/geo/provinces_63\.topo\.json\?v=[0-9a-f]{12}$", fetched[0][0]), fetched
