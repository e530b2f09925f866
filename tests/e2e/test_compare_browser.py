"""Real browser: the journalist's compare link (PAPI, Hà Nội / TP.HCM / Đà Nẵng), method breaks, share link,
language switch, SVG download on demand, phone width; and the components page in both languages."""
from urllib.parse import unquote
import pytest

from tests.e2e.conftest import main_text, open_view, screenshot, wait_ready

pytestmark = pytest.mark.e2e

LINK = "/compare?index=papi&units=p01,p79,p48&lang=vi"


def tall(page, width=1400, height=3600):
    page.set_viewport_size({"width": width, "height": height})
    wait_ready(page)
    page.wait_for_timeout(800)


def test_journalist_compares_three_cities_and_reopens_the_link(server, page):
    open_view(page, server, LINK)
    text = main_text(page)
    for name in ("Hà Nội", "Hồ Chí Minh", "Đà Nẵng"):
        assert name in text
    assert "Những chỗ phương pháp thay đổi" in text and "2018" in text and "Quản trị môi trường" in text
    assert "Từng thành phần qua các năm" in text
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 4
    tall(page)
    screenshot(page, "compare_papi_three_cities_vi")
    # Drill into Transparency and switch on like-for-like 2017 vs 2019 through the URL, then reopen it.
    shared = page.url.split("?")[0] + "?index=papi&units=p01,p79,p48&component=transparency&lfl=1&base=2017" \
                                      "&year=2019&lang=vi"
    page.goto(shared)
    wait_ready(page)
    text = main_text(page)
    assert "Tiếp cận thông tin (chỉ có năm 2019)" in text
    for key in ("units=p01,p79,p48", "component=transparency", "lfl=1", "base=2017", "year=2019"):
        assert key in unquote(page.url)
    reopened = page.url
    page.goto(reopened)
    wait_ready(page)
    assert main_text(page) .count("Tiếp cận thông tin") >= 1 and page.url == reopened
    tall(page)
    screenshot(page, "compare_papi_transparency_lfl_vi")


def test_english_view_and_svg_download(server, page):
    open_view(page, server, LINK.replace("lang=vi", "lang=en"))
    text = main_text(page)
    assert "Where the method changed" in text and "Environmental Governance" in text
    page.get_by_text("Download the data and the chart image").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download chart image (SVG)").last.click()
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


@pytest.mark.parametrize("lang,flag", [("vi", "Thay đổi phương pháp từ 2017 đến 2018"),
                                       ("en", "Method changes from 2017 to 2018")])
def test_components_page(server, page, lang, flag):
    open_view(page, server, f"/components?index=papi&year=2018&unit=p01&lang={lang}")
    text = main_text(page)
    assert flag in text
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2
    tall(page, 1400, 3000)
    screenshot(page, f"components_papi_2018_{lang}")
