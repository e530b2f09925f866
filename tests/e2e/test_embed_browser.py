"""An embed (?embed=true) shows the view alone: no sidebar, no page navigation, no language switch, no pickers;
the charts and the citation stay, in the language the link names (issue 14)."""

import pytest

from .conftest import main_text, open_view, screenshot

pytestmark = pytest.mark.e2e

VIEW = "/compare?index=papi&group=provinces&units=p01,p48,p79"
WORDS = {"vi": ("Hà Nội", "Bảng theo dõi cchc-dashboard"), "en": ("Ha Noi", "cchc-dashboard view")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_embed_draws_the_view_without_sidebar_navigation_or_pickers(page, server, lang):
    open_view(page, server, f"{VIEW}&lang={lang}")
    assert page.locator("[data-testid='stSidebar']").count() == 1  # the full page has its sidebar
    assert page.locator("[data-testid='stMultiSelect']").count() >= 1

    open_view(page, server, f"{VIEW}&lang={lang}&embed=true")
    page.locator(".vega-embed svg").first.wait_for(timeout=30_000)
    screenshot(page, f"embed_compare_{lang}")
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.locator("[data-testid='stMultiSelect'], [data-testid='stSelectbox']").count() == 0
    assert page.locator(".vega-embed").count() >= 1
    text = main_text(page)
    name, citation = WORDS[lang]
    assert name in text and citation in text
