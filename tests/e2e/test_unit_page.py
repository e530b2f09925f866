"""Real-browser tests of /unit (issue 7): both languages, phone width, download of the one-page summary."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import main_text, open_view, screenshot, steady_click

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "lang,expect",
    [
        ("vi", ["59/63", "41,53", "Từ 2018 đến 2019", "PCI", "9/63", "nhóm 25% thấp nhất"]),
        ("en", ["59 of 63", "41.53", "From 2018 to 2019", "PCI", "9 of 63", "bottom quarter"]),
    ],
)
def test_hanoi_papi_2019_one_screen(page, server, lang, expect):
    open_view(page, server, f"/unit?unit=01&index=papi&year=2019&lang={lang}")
    page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=30_000)
    text = main_text(page)
    for needle in expect:
        assert needle in text, needle
    assert "unit=p01" in page.url and "index=papi" in page.url and "year=2019" in page.url
    # the first screen (1400x1000) already holds the standing metrics
    first = page.locator("[data-testid='stMetric']").first.bounding_box()
    assert first and first["y"] < 1000
    screenshot(page, f"unit_p01_papi_2019_{lang}")


def test_summary_png_downloads(page, server):
    open_view(page, server, "/unit?unit=p01&index=papi&year=2019&lang=vi")
    button = page.get_by_role("button", name="Tải bản tóm tắt một trang (PNG)")
    with page.expect_download(timeout=60_000) as info:
        steady_click(button)
    path = info.value.path()
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    out = screenshot(page, "unit_p01_after_download")
    (out.parent / "unit_p01_summary_vi.png").write_bytes(data)


@pytest.mark.parametrize(
    "path,name,needles",
    [
        ("/unit?unit=p08-2025&lang=vi", "unit_p08-2025_vi", ["Hà Giang", "Tuyên Quang", "không lấy trung bình"]),
        ("/unit?unit=p02&index=papi&year=2019&lang=en", "unit_p02_en", ["Tuyen Quang", "Resolution 202/2025/QH15"]),
        (
            "/unit?unit=hn-noivu&index=par_hanoi&year=2022&lang=en",
            "unit_hn-noivu_en",
            ["Department of Home Affairs", "partial"],
        ),
        ("/unit?unit=p24&index=papi&year=2014&lang=vi", "unit_p24_2014_vi", ["Không có số liệu"]),
        ("/unit?unit=p22&index=papi&year=2018&lang=en", "unit_p22_2018_en", ["No score for Quang Ninh"]),
    ],
)
def test_other_units(page, server, path, name, needles):
    open_view(page, server, path)
    text = main_text(page)
    for needle in needles:
        assert needle in text, needle
    assert "Traceback" not in text
    screenshot(page, name)


def test_phone_width(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_view(page, server, "/unit?unit=01&index=papi&year=2019&lang=vi")
    assert "59/63" in main_text(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    # issue 14: the trend chart was cut off around 2010 and the rank chart squeezed to ~50 px on a phone
    page.locator(".vega-embed svg").last.wait_for()
    charts = page.locator(".vega-embed")
    boxes = [charts.nth(i).bounding_box() for i in range(charts.count())]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 391 for b in boxes if b), boxes  # nothing past the edge
    trend = page.locator("[data-testid='stVegaLiteChart']").filter(has=page.locator("svg"))
    heights = [trend.nth(i).bounding_box()["height"] for i in range(trend.count())]
    assert max(heights) >= 250, heights  # the rank chart keeps a real plot under its legend
    labels = page.locator(".vega-embed svg text").evaluate_all("els => els.map(e => e.textContent)")
    assert "2024" in labels and "2011" in labels  # PAPI's years all drawn, none cut off
    screenshot(page, "unit_p01_phone_vi")
