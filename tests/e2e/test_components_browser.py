"""Real browser: the /components share link in both languages — the charts draw from their dictionary-encoded
Arrow data (unit and component names on the axes, the highlighted row outlined), and a pick from "(none)"
sticks and goes to the link."""

import pytest

from cchc_data.charts.common import HIGHLIGHT
from tests.e2e.conftest import main_text, open_view, screenshot, wait_ready

pytestmark = pytest.mark.e2e

LINK = "/components?index=pci&year=2019&group=provinces&unit=01&lang="


def chart_svg(page, n: int):
    chart = page.locator("[data-testid='stVegaLiteChart']").nth(n)
    chart.scroll_into_view_if_needed()
    svg = chart.locator("svg.marks")
    svg.wait_for()
    return svg


@pytest.mark.parametrize(
    "lang,hanoi,indicator,table",
    [
        ("vi", "Hà Nội", "Đào tạo lao động", "Bảng số liệu của biểu đồ"),
        ("en", "Ha Noi", "Labour policy", "Data table for this chart"),
    ],
)
def test_share_link_draws_both_charts_with_the_unit_highlighted(server, page, lang, hanoi, indicator, table):
    open_view(page, server, LINK + lang)
    assert "unit=p01" in page.url  # the admin code in the link became the unit id
    page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2
    heat = chart_svg(page, 0)
    labels = heat.text_content()
    assert hanoi in labels and ("Quảng Ninh" if lang == "vi" else "Quang Ninh") in labels  # names, not indices
    assert heat.locator(f"path[stroke='{HIGHLIGHT}']").count() >= 1  # the outlined row
    screenshot(page, f"components_pci_2019_heatmap_{lang}")
    dist = chart_svg(page, 1)
    assert indicator in dist.text_content()
    assert dist.locator(f"path[fill='{HIGHLIGHT}']").count() >= 1  # the selected unit's dots
    screenshot(page, f"components_pci_2019_distribution_{lang}")
    assert page.get_by_text(table).count() == 2  # each chart keeps its table alternative


def test_picking_a_unit_from_none_sticks_and_updates_the_link(server, page):
    open_view(page, server, "/components?index=papi&year=2018&group=provinces&lang=en")
    assert "unit=" not in page.url
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Highlight a unit")
    box.click()
    page.keyboard.type("Ha Noi")
    page.keyboard.press("Enter")
    wait_ready(page)
    page.wait_for_function("() => location.search.includes('unit=p01')", timeout=15_000)
    wait_ready(page)
    assert box.locator("input").input_value() == "Ha Noi"
    assert "An orange outline marks Ha Noi." in main_text(page)


@pytest.mark.parametrize("lang,citation", [("vi", "Trích dẫn"), ("en", "Citation")])
def test_embed_shows_the_charts_changes_and_citation_without_pickers(server, page, lang, citation):
    """Issue 14: `?embed=true` hid only Streamlit's menu; the embed is the view's charts, title, changes, citation."""
    open_view(page, server, f"/components?index=papi&year=2018&group=provinces&lang={lang}")
    page.locator("[data-testid='stExpander'] summary", has_text="Nhúng" if lang == "vi" else "Embed").click()
    code = page.locator("[data-testid='stExpander'] code").first.inner_text()
    src = code.split('src="')[1].split('"')[0]
    assert "embed=true" in src and "year=2018" in src
    page.goto(src)
    wait_ready(page)
    page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stSelectbox'], [data-testid='stTextInput']").count() == 0
    text = main_text(page)
    assert citation in text and "2018" in text
    assert page.locator("[data-testid='stAlertContentWarning']").count() == 1  # the 2017 → 2018 method change
    screenshot(page, f"components_embed_{lang}")
