"""Journey 3 (issue 14), in a real browser: a journalist compares Hà Nội, TP.HCM and Đà Nẵng on PAPI over the years.

From the default /compare view and using only the page's controls: clear the picker, add the three cities by
typing their names without accents, read the method changes before any figure, download the comparison (a CSV
with a citation line and the figures as published), copy the share link and open it in a new browser (the same
view), and embed it (the page's embed option: charts, changes and citation without pickers). Vietnamese and
English at 1400 px, Vietnamese at 390 px."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from cchc_data.views.compare import build_compare_choices
from tests.e2e.conftest import main_text, open_expander, open_view, screenshot, steady_click, wait_ready, wait_text

SHOTS = Path("/tmp/shots")
WIDTHS = {"desktop": (1400, 1000), "phone": (390, 844)}
CITIES = [("ha noi", "p01"), ("da nang", "p48"), ("tp hcm", "p79")]  # what the journalist types -> the unit
WORDS = {
    "vi": {
        "search": "Tìm để thêm đơn vị (không cần dấu)",
        "add": "Thêm",
        "pick_two": "Hãy chọn từ 2 đến 6",
        "changed": "Những chỗ phương pháp thay đổi",
        "table": "Bảng số liệu của biểu đồ",
        "csv": "Tải CSV",
        "share": "Đường dẫn chia sẻ",
        "embed": "Nhúng trang so sánh này",
        "citation": "Trích dẫn",
        "downloads": "Tải dữ liệu và ảnh biểu đồ",
    },
    "en": {
        "search": "Find a unit to add (accents optional)",
        "add": "Add",
        "pick_two": "Choose 2 to 6",
        "changed": "Where the method changed",
        "table": "Data table for this chart",
        "csv": "Download CSV",
        "share": "Share link",
        "embed": "Embed this comparison",
        "citation": "Citation",
        "downloads": "Download the data and the chart image",
    },
}


def chips(page) -> list[str]:
    picker = page.locator("[data-testid='stMultiSelect']").first
    return (
        picker.locator("[data-testid='stMultiSelectTagsContainer']")
        .first.locator("[data-tag] > span")
        .all_inner_texts()
    )


def keep(page, name: str) -> None:
    out = screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, SHOTS / out.name)


def download(page, expander: str, button: str, nth: int = 0) -> str:
    box = open_expander(page, expander, nth)
    with page.expect_download(timeout=30_000) as info:
        steady_click(box.get_by_role("button", name=button).first)
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def decimals(cell: str) -> int:
    return len(cell.split(".")[1]) if re.fullmatch(r"-?\d+\.\d+", cell) else 0


# Both languages at 1400 px, and the 390 px layout in Vietnamese: the steps and checks are the same in both
# languages (only the words differ, and the English words are checked at 1400 px), the Vietnamese labels are the
# longer ones at 390 px, and /compare in English at 390 px is laid out by
# test_compare_browser.py::test_component_panels_fit_the_screen_with_one_legend_and_break_rules[en-390].
RUNS = [("vi", "desktop"), ("vi", "phone"), ("en", "desktop")]


@pytest.mark.parametrize(("lang", "width"), RUNS, ids=[f"{lang}-{width}" for lang, width in RUNS])
def test_journalist_compares_three_cities_on_papi(server, browser, lang, width):
    w, h = WIDTHS[width]
    words = WORDS[lang]
    context = browser.new_context(viewport={"width": w, "height": h}, accept_downloads=True)
    page = context.new_page()
    open_view(page, server, f"/compare?lang={lang}")  # the default view
    page.locator("[data-testid='stMultiSelect'] [data-tag]").first.wait_for(timeout=30_000)
    defaults = chips(page)
    assert len(defaults) == 3

    # Clear the selection: the page asks for two units and the defaults do not come back.
    page.locator("[data-testid='stMultiSelect'] [aria-label='Clear all']").first.click()
    wait_ready(page)
    wait_text(page, words["pick_two"])
    assert chips(page) == []

    # Add the three cities by typing their names without accents.
    names = []
    labels = build_compare_choices("papi", "provinces", lang).unit_labels  # the chips' names, as the data gives them
    for query, unit in CITIES:
        name = labels[unit]
        box = page.get_by_label(words["search"], exact=True)
        box.fill(query)
        box.press("Enter")
        wait_ready(page)
        page.get_by_role("button", name=f"{words['add']} {name}").click()
        wait_ready(page)
        names.append(name)
        page.locator("[data-testid='stMultiSelect'] [data-tag]").nth(len(names) - 1).wait_for(timeout=30_000)
        assert chips(page) == names, query
        assert page.get_by_label(words["search"], exact=True).input_value() == ""  # the box empties after an add
    params = parse_qs(urlsplit(page.url).query)
    assert params["units"] == ["p01,p48,p79"] and params["index"] == ["papi"]

    # The method changes are stated before any figure.
    page.locator(".vega-embed svg").first.wait_for(timeout=30_000)
    warning = page.locator("[data-testid='stAlertContentWarning']", has_text=words["changed"]).first
    assert "2018" in warning.inner_text()
    assert warning.bounding_box()["y"] < page.locator(".vega-embed").first.bounding_box()["y"]
    keep(page, f"journey_compare_{lang}_{width}")

    # Download the comparison: a citation line, then the figures as published (no float noise, no True/False).
    trend = download(page, words["table"], words["csv"])
    first, _, body = trend.partition("\n")
    assert first.startswith("# PAPI") and "units=p01,p48,p79" in first
    assert "True" not in body and "False" not in body
    assert "41.6286," in body and "41.62860107421875" not in body  # Hà Nội's 2020 total as the source printed it
    diff = download(page, words["downloads"], words["csv"], nth=1)  # under the bars (the first: the rank trend)
    cells = [c for line in diff.splitlines()[2:] for c in line.split(",")]
    assert cells and max(decimals(c) for c in cells) <= 7  # differences rounded to the published precision

    # Copy the share link and open it in a new browser: the same view.
    share = page.locator("[data-testid='stCaptionContainer']", has_text=words["share"]).first.inner_text()
    url = re.search(r"https?://\S+", share).group(0)
    n_charts = page.locator(".vega-embed").count()
    other = browser.new_context(viewport={"width": w, "height": h})
    again = other.new_page()
    again.goto(url)
    wait_ready(again)
    again.locator(".vega-embed svg").first.wait_for(timeout=30_000)
    again.locator("[data-testid='stMultiSelect'] [data-tag]").nth(2).wait_for(timeout=30_000)
    assert chips(again) == names
    again.locator(".vega-embed").nth(n_charts - 1).wait_for(timeout=30_000)  # the charts draw one by one
    assert again.locator(".vega-embed").count() == n_charts
    other.close()

    # Embed it: the page's embed option gives an iframe of the same view without pickers.
    page.locator("[data-testid='stExpander'] summary", has_text=words["embed"]).first.click()
    code = page.locator("[data-testid='stExpander']", has_text=words["embed"]).locator("code").first.inner_text()
    src = re.search(r'src="([^"]+)"', code).group(1)
    assert "embed=true" in src and "units=p01,p48,p79" in src
    embed = context.new_page()
    embed.goto(src)
    wait_ready(embed)
    embed.locator(".vega-embed svg").first.wait_for(timeout=30_000)
    embed.locator(".vega-embed").nth(2).wait_for(timeout=30_000)  # count the charts once the third has drawn
    text = main_text(embed)
    assert embed.locator("[data-testid='stMultiSelect'], [data-testid='stSelectbox']").count() == 0
    assert embed.locator(".vega-embed").count() >= 3 and words["citation"] in text and "units=p01,p48,p79" in text
    assert words["changed"] in text
    keep(embed, f"journey_compare_embed_{lang}_{width}")
    context.close()
