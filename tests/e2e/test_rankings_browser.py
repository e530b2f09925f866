"""Real browser: the rankings share link, language switch, download, bad params, phone width, embed."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import main_text, open_view, screenshot, steady_click, wait_ready

pytestmark = pytest.mark.e2e

LINK = "/rankings?index=papi&year=2019&group=provinces&lang=vi"


def first_unit_cell(page) -> str:
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    # The data grid is a canvas; its accessible table mirror holds the cell text.
    return grid.locator("[role='gridcell']").nth(2).inner_text()


def test_share_link_shows_ben_tre_first_then_english_keeps_the_view(server, page):
    open_view(page, server, LINK)
    assert "Xếp hạng" in main_text(page)
    assert "Bến Tre" in first_unit_cell(page)
    screenshot(page, "rankings_papi_2019_vi")

    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    wait_ready(page)
    text = main_text(page)
    assert "Rankings" in text and "Unit group" in text
    first_unit_cell(page)
    expect(page.locator("[data-testid='stDataFrame'] [role='gridcell']").nth(2)).to_contain_text("Ben Tre")
    assert "index=papi" in page.url and "year=2019" in page.url and "lang=en" in page.url
    # the pickers show their chosen option in the new language too (streamlit#13788 kept the old label)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("combobox", name="Unit group")).to_have_value("Provinces")
    expect(main.get_by_role("combobox", name="Highlighted unit")).to_have_value("(none)")
    screenshot(page, "rankings_papi_2019_en")


def test_download_csv_has_citation_and_rows(server, page):
    open_view(page, server, LINK)
    with page.expect_download() as info:
        steady_click(page.get_by_role("button", name="Tải CSV").first)
    content = open(info.value.path(), encoding="utf-8-sig").read()
    first_line = content.splitlines()[0]
    assert first_line.startswith("# PAPI") and "2019" in first_line and "/rankings?" in first_line
    assert "Bến Tre" in content.splitlines()[2]


def test_bad_param_shows_a_notice_not_a_traceback(server, page):
    open_view(page, server, "/rankings?index=papi&year=1890&group=provinces&lang=en")
    text = main_text(page)
    assert "“year”" in text and "not valid" in text
    assert "Traceback" not in page.content()
    screenshot(page, "rankings_bad_param_en")


def test_phone_width_and_embed(server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    open_view(page, server, LINK + "&embed=true")
    assert "Bến Tre" in first_unit_cell(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling of the page
    screenshot(page, "rankings_phone_embed_vi")
    ctx.close()


def test_controls_are_keyboard_reachable(server, page):
    open_view(page, server, LINK)
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate("""() => {
            const el = document.activeElement;
            const box = el && el.closest('[data-testid="stSelectbox"], [data-testid="stTextInput"]');
            return box ? box.getAttribute('data-testid') : (el ? el.tagName : '');
        }""")
        )
    # the index/year/group/unit pickers and the name filter can all be reached without a mouse
    assert {"stSelectbox", "stTextInput"} <= reached


@pytest.mark.parametrize(
    "path",
    ["/", "/rankings", "/map", "/components", "/compare?units=p01,p79", "/unit?unit=01", "/methodology", "/data"],
)
def test_every_view_embeds_cleanly(server, page, path):
    sep = "&" if "?" in path else "?"
    open_view(page, server, f"{path}{sep}embed=true&lang=en")
    assert (
        page.locator("[data-testid='stToolbar']").count() == 0
        or not page.locator("[data-testid='stToolbar']").is_visible()
    )
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").first.is_visible()
