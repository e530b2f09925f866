"""Real browser: the journalist's compare link (PAPI, Hà Nội / TP.HCM / Đà Nẵng), method breaks, share link,
language switch, SVG download on demand, phone width; and the components page in both languages."""

from urllib.parse import unquote

import pytest

from cchc_data.views.compare import build_compare_choices
from tests.e2e.conftest import main_text, open_expander, open_view, screenshot, steady_click, wait_ready

pytestmark = pytest.mark.e2e

LINK = "/compare?index=papi&units=p01,p79,p48&lang=vi"


def tall(page, width=1400, height=3600):
    page.set_viewport_size({"width": width, "height": height})
    wait_ready(page)
    page.wait_for_timeout(800)


def test_journalist_compares_three_cities_and_reopens_the_link(server, page):
    open_view(page, server, LINK)
    open_expander(page, "Phương pháp đã thay đổi những gì, từng năm")  # the details under the stated years
    page.get_by_text("Thêm chỉ số nội dung: Quản trị môi trường").first.wait_for(timeout=15_000)
    text = main_text(page)
    for name in ("Hà Nội", "Hồ Chí Minh", "Đà Nẵng"):
        assert name in text
    assert "Những chỗ phương pháp thay đổi" in text and "2018" in text and "Quản trị môi trường" in text
    assert "Từng thành phần qua các năm" in text
    page.locator("[data-testid='stVegaLiteChart']").nth(3).wait_for(timeout=15_000)  # charts draw after the text
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 4
    tall(page)
    screenshot(page, "compare_papi_three_cities_vi")
    # Drill into Transparency and switch on like-for-like 2017 vs 2019 through the URL, then reopen it.
    shared = (
        page.url.split("?")[0] + "?index=papi&units=p01,p79,p48&component=transparency&lfl=1&base=2017"
        "&year=2019&lang=vi"
    )
    page.goto(shared)
    wait_ready(page)
    text = main_text(page)
    assert "Tiếp cận thông tin (chỉ có năm 2019)" in text
    for key in ("units=p01,p79,p48", "component=transparency", "lfl=1", "base=2017", "year=2019"):
        assert key in unquote(page.url)
    reopened = page.url
    page.goto(reopened)
    wait_ready(page)
    assert main_text(page).count("Tiếp cận thông tin") >= 1 and page.url == reopened
    tall(page)
    screenshot(page, "compare_papi_transparency_lfl_vi")


def test_english_view_and_svg_download(server, page):
    open_view(page, server, LINK.replace("lang=vi", "lang=en"))
    open_expander(page, "What changed in the method, year by year")  # the details under the stated years
    text = main_text(page)
    assert "Where the method changed" in text and "Added dimension: Environmental Governance" in text
    box = open_expander(page, "Download the data and the chart image")
    with page.expect_download() as info:
        steady_click(box.get_by_role("button", name="Download chart image (SVG)"))
    svg = open(info.value.path(), encoding="utf-8").read()
    assert svg.lstrip().startswith("<svg") and "Ha Noi" in svg
    tall(page)
    screenshot(page, "compare_papi_three_cities_en")


def test_phone_width(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_view(page, server, LINK)
    assert "So sánh" in main_text(page)
    tall(page, 390, 5200)
    screenshot(page, "compare_papi_phone_vi")


@pytest.mark.parametrize(
    "lang,flag", [("vi", "Thay đổi phương pháp từ 2017 đến 2018"), ("en", "Method changes from 2017 to 2018")]
)
def test_components_page(server, page, lang, flag):
    open_view(page, server, f"/components?index=papi&year=2018&unit=p01&lang={lang}")
    text = main_text(page)
    assert flag in text
    page.wait_for_function("document.querySelectorAll('.vega-embed svg').length >= 2", timeout=30_000)
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2
    tall(page, 1400, 3000)
    screenshot(page, f"components_papi_2018_{lang}")


def _inner_width(page) -> dict:
    return page.locator("[data-testid='stMainBlockContainer']").evaluate(
        "e => {const r = e.getBoundingClientRect(), s = getComputedStyle(e);"
        " return {x: r.x + parseFloat(s.paddingLeft), width: r.width - parseFloat(s.paddingLeft)"
        " - parseFloat(s.paddingRight)}}"
    )


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_component_panels_fit_the_screen_with_one_legend_and_break_rules(server, page, width, lang):
    page.set_viewport_size({"width": width, "height": 7000 if width < 500 else 3600})
    open_view(page, server, LINK.replace("lang=vi", f"lang={lang}"))
    page.wait_for_function("document.querySelectorAll('.vega-embed svg').length >= 12", timeout=30_000)
    page.wait_for_timeout(500)
    main = _inner_width(page)
    embeds = page.locator(".vega-embed")
    assert embeds.count() == 12  # 2 trends, the panels' legend, 8 panels, the bars
    for i in range(embeds.count()):
        box = embeds.nth(i).bounding_box()
        assert box["x"] >= main["x"] - 1 and box["x"] + box["width"] <= main["x"] + main["width"] + 1, (
            f"chart {i} {box} overflows the main column {main}"
        )
    legend = embeds.nth(2)
    labels = build_compare_choices("papi", "provinces", lang).unit_labels  # the names as the data gives them
    names = [labels[u] for u in ("p01", "p79", "p48")]
    assert [s for s in legend.locator(".role-legend text").all_text_contents() if s.strip()] == names
    panels = [embeds.nth(i) for i in range(3, 11)]
    titles = [" ".join(p.locator(".role-title text").all_text_contents()) for p in panels]
    assert ("Quản trị môi trường" if lang == "vi" else "Environmental Governance") in titles, titles
    for p, title in zip(panels, titles):
        assert p.locator(".role-legend").count() == 0, title  # one legend for the set, not one per panel
        assert p.locator(".mark-line path").count() >= 2, title  # the units' lines are drawn
    dashed = sum(p.locator(".role-mark line[stroke-dasharray='4,3']").count() for p in panels)
    assert dashed >= 2, "the dashed method-change rules are drawn"
    first, second = panels[0].bounding_box(), panels[1].bounding_box()
    if width < 500:
        assert second["y"] > first["y"] + first["height"] - 1  # stacked on a phone
    else:
        assert second["y"] == first["y"] and second["x"] > first["x"]  # side by side
    screenshot(page, f"compare-panels-{width}-{lang}")


def test_component_panels_svg_is_the_whole_set(server, page):
    open_view(page, server, LINK.replace("lang=vi", "lang=en"))
    box = open_expander(page, "Data table for this chart", nth=1)  # the total trend, then the panels
    with page.expect_download() as info:
        steady_click(box.get_by_role("button", name="Download chart image (SVG)"))
    assert info.value.suggested_filename.endswith("_components_trend.svg")
    svg = open(info.value.path(), encoding="utf-8").read()
    assert svg.lstrip().startswith("<svg")
    for title in ("Participation at Local Levels", "Transparency", "Environmental Governance", "E-Governance"):
        assert title in svg
