"""Real-browser checks of every map kind in both languages (issue 5): the map and its legend are drawn."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import main_text, open_view, screenshot

pytestmark = pytest.mark.e2e

NO_DATA = {"vi": "không có dữ liệu", "en": "no data"}
KINDS = {
    # kind: (path, minimum number of shapes drawn, text that must be on the page per language)
    "provinces_63": ("/map?index=pci&year=2019&metric=total", 63, {"vi": "Bản đồ 63 tỉnh", "en": "Map of the 63"}),
    "hanoi_districts": (
        "/map?index=par_hanoi&year=2019&layer=hanoi",
        30,
        {"vi": "30 quận, huyện", "en": "30 districts"},
    ),
    "all_districts": (
        "/map?index=par_hanoi&year=2019&layer=districts",
        705,
        {"vi": "Tất cả quận, huyện", "en": "All districts"},
    ),
    "change": ("/map?index=pci&year=2019&view=change&year2=2018", 63, {"vi": "Thay đổi 2018", "en": "Change 2018"}),
    "multiples": (
        "/map?index=pci&year=2019&view=multiples&years=2017,2018,2019",
        3 * 63,
        {"vi": "3 bản đồ", "en": "3 maps"},
    ),
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
    # small multiples: one chart per year after the set's one legend, so count the shapes of every chart (the
    # year charts may draw after the legend's: under load the count was read before they had drawn)
    if kind == "multiples":
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('.role-mark path').length >= n", arg=min_shapes, timeout=30_000
            )
        except PlaywrightTimeoutError:
            pass  # the assertion below says how many were drawn
    shapes = (page if kind == "multiples" else svg).locator(".role-mark path").count()
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


MULTIPLES = "/map?index=pci&year=2019&view=multiples&years=2016,2017,2018,2019"


def _inner_width(page) -> dict:
    """The main column's content box (its x and width, padding excluded)."""
    return page.locator("[data-testid='stMainBlockContainer']").evaluate(
        "e => {const r = e.getBoundingClientRect(), s = getComputedStyle(e);"
        " return {x: r.x + parseFloat(s.paddingLeft), width: r.width - parseFloat(s.paddingLeft)"
        " - parseFloat(s.paddingRight)}}"
    )


def assert_charts_fit(page, label: str) -> int:
    main = _inner_width(page)
    embeds = page.locator(".vega-embed")
    n = embeds.count()
    assert n, label
    for i in range(n):
        box = embeds.nth(i).bounding_box()
        assert box["x"] >= main["x"] - 1 and box["x"] + box["width"] <= main["x"] + main["width"] + 1, (
            f"{label}: chart {i} {box} overflows the main column {main}"
        )
    return n


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_small_multiples_fit_the_screen_with_one_legend_and_links(page, server, width, lang):
    page.set_viewport_size({"width": width, "height": 4000 if width < 500 else 2000})
    open_view(page, server, f"{MULTIPLES}&lang={lang}")
    page.wait_for_selector(".vega-embed svg .role-legend", timeout=30_000)
    page.wait_for_function(
        "document.querySelectorAll('.vega-embed svg .role-mark path').length >= 4 * 63", timeout=30_000
    )
    assert assert_charts_fit(page, f"map {width} {lang}") == 5  # one legend + 4 maps
    embeds = page.locator(".vega-embed")
    assert embeds.locator("svg .role-legend").count() == 2  # the colour scale and "no data", once for the set
    legend = embeds.nth(0).locator(".role-legend text").all_text_contents()
    assert NO_DATA[lang] in legend and any(
        re.fullmatch(r"\d\d" + ("," if lang == "vi" else r"\.") + r"00", s) for s in legend
    ), legend
    for i, year in enumerate((2016, 2017, 2018, 2019), start=1):
        panel = embeds.nth(i)
        assert panel.locator(".role-title text").all_text_contents() == [str(year)]
        paths = panel.locator(".role-mark path")
        assert paths.count() >= 63
        label = paths.nth(0).get_attribute("aria-label") or ""
        assert "/unit?" in label and f"year={year}&unit=" in label, label  # each shape links to its unit
    if width < 500:
        assert embeds.nth(1).bounding_box()["y"] < embeds.nth(2).bounding_box()["y"]  # stacked on a phone
    else:
        assert embeds.nth(1).bounding_box()["y"] == embeds.nth(2).bounding_box()["y"]  # side by side
    screenshot(page, f"map-multiples-{width}-{lang}")


def test_a_click_on_a_small_multiple_shape_opens_the_unit(page, server):
    page.set_viewport_size({"width": 390, "height": 3000})
    open_view(page, server, f"{MULTIPLES}&lang=vi")
    page.wait_for_function(
        "document.querySelectorAll('.vega-embed svg .role-mark path').length >= 4 * 63", timeout=30_000
    )
    page.locator(".vega-embed").nth(4).locator(".role-mark path").nth(30).click(force=True)
    page.wait_for_url("**/unit?**", timeout=15_000)
    assert "year=2019" in page.url and "unit=" in page.url
