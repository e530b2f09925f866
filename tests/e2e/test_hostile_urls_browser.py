"""Hostile query params in a real browser (issue 17 §5): a param shows as the text the reader typed, never as a link,
an image, bold or coloured text; the browser never contacts a host other than the dashboard (no evil.example, and
no font CDN for the page icon)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.e2e.conftest import open_view, screenshot

pytestmark = pytest.mark.e2e

WORD_JOINER = "\u2060"  # md_escape breaks autolink literals with it; invisible on the page
HOSTILE = {
    "login_link": ("/", "q", "[Click to log in](https://evil.example/login)"),
    "tracking_image": ("/rankings", "index", "![x](https://evil.example/p.png)"),
    "red_alert": ("/map", "index", ":red[**SECURITY ALERT: call 84 000**]"),
    "bare_urls": ("/map", "metric", "https://evil.example www.evil.example"),  # GFM autolinks both
    "email": ("/map", "layer", "a@evil.example"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_param_is_shown_as_text(page, server, case, lang):
    path, name, value = HOSTILE[case]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_view(page, server, f"{path}?lang={lang}&{name}={value.replace('+', '%2B').replace('&', '%26')}")
    main = page.locator("[data-testid='stMain']")
    # No link, image or styled text anywhere on the page comes from the param.
    assert main.locator("a[href*='evil']").count() == 0
    assert page.locator("img[src*='evil'], [style*='evil']").count() == 0
    assert not [u for u in requests if "evil" in (urlsplit(u).hostname or "")]
    # The raw value is on the page, as the characters typed, inside a notice that has no markup of its own.
    shown = [
        el
        for el in page.locator("[data-testid='stAlert'], [data-testid='stMarkdownContainer']").all()
        if value in el.inner_text().replace(WORD_JOINER, "")
    ]
    assert shown, f"{case}/{lang}: the raw value is not shown as text"
    for el in shown:
        assert el.locator("a, img, strong, em, code, span[class*='Colored'], [style*='color']").count() == 0, (
            el.inner_html()
        )
    # Every request goes to the dashboard itself (the page icon is ours, not a font CDN's).
    outside = sorted({u.split("?")[0] for u in requests if not u.startswith(server) and not u.startswith("data:")})
    assert outside == [], outside
    screenshot(page, f"hostile-{case}-{lang}")


def test_page_icon_and_tab_title_are_local_and_named(page, server):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_view(page, server, "/map?lang=en")
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert icon and not re.match(r"https?://(?!127\.0\.0\.1)", icon), icon
    got = page.request.get(urljoin(page.url, icon))  # the icon itself is served, as a PNG, by this server
    assert got.status == 200 and got.headers.get("content-type", "").startswith("image/png"), (icon, got.status)
    assert not [u for u in requests if "gstatic" in u or "googleapis" in u], requests
    assert page.title().startswith("Map · ")
    assert page.evaluate("document.documentElement.lang") == "en"
    open_view(page, server, "/rankings?lang=vi")
    assert page.title().startswith("Xếp hạng · ")
    assert page.evaluate("document.documentElement.lang") == "vi"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_multiselect_has_no_english_only_chrome(page, server, lang):
    """Streamlit's "Select all" bulk option is English in every language (no translations, streamlit#1353): the
    pickers turn it off, and their empty placeholder is ours."""
    open_view(page, server, f"/map?lang={lang}&index=pci&year=2019&view=multiples&years=2018,2019")
    picker = page.locator("[data-testid='stMultiSelect']").first
    picker.locator("input").click()
    page.wait_for_selector("[role='listbox'], [data-baseweb='menu']", timeout=10_000)
    options = page.locator("[role='listbox'], [data-baseweb='menu']").first.inner_text()
    assert "Select all" not in options and "2005" in options, options  # the first year offered, no bulk option
    page.keyboard.press("Escape")
