"""Journey 4 (issue 14): an official of a Hà Nội department or district finds their unit by typing its name without
accents ("so tu phap", "cau giay") in the unit picker, lands on a year where it has data, reads its rank or score,
the gap to the units above, the components where published and why it moved, and prints or downloads the profile.
Vietnamese and English, 1400 px and 390 px."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import main_text, open_view, screenshot, steady_click, wait_ready, wait_text

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": (1400, 1000), "phone": (390, 844)}
BOX = {"vi": "Tìm đơn vị (không cần dấu)", "en": "Find a unit (accents optional)"}
CSV = {"vi": "Tải lịch sử của đơn vị (CSV)", "en": "Download this unit's history (CSV)"}

CASES = {
    # query, unit, the year it opens on, what the standing shows, the change section's sentence
    "vi": [
        (
            "so tu phap",
            "hn-tuphap",
            "2022",
            ["Sở Tư pháp", "90,42%", "Cách dẫn đầu"],
            "bảng đã công bố không có số liệu của đơn vị năm 2021",
        ),
        ("cau giay", "d005", "2020", ["Cầu Giấy", "94,22%", "1/30"], "Từ 2019 đến 2020"),
    ],
    "en": [
        (
            "so tu phap",
            "hn-tuphap",
            "2022",
            ["Department of Justice", "90.42%", "To the top"],
            "the published table has none for it in 2021",
        ),
        ("cau giay", "d005", "2020", ["Cau Giay", "94.22%", "1 of 30"], "From 2019 to 2020"),
    ],
}


def type_unit(page, lang: str, query: str) -> None:
    box = page.get_by_role("textbox", name=BOX[lang], exact=True)
    box.fill(query)
    box.press("Enter")
    wait_ready(page)


@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_official_finds_own_unit_reads_its_standing_and_downloads_it(page, server, lang, size):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[size])))
    open_view(page, server, f"/unit?lang={lang}")
    for query, unit, year, standing, change in CASES[lang]:
        type_unit(page, lang, query)
        page.wait_for_url(re.compile(rf".*unit={unit}.*"))
        assert f"year={year}" in page.url and "index=par_hanoi" in page.url  # its latest year with data
        # the URL changes mid-run, before the new unit is drawn
        wait_ready(page)
        for needle in standing:
            wait_text(page, needle)
        text = main_text(page)
        assert change in text, (query, change)
        assert "None" not in text and "data/sources" not in text and "Traceback" not in text
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size][0] + 10
    screenshot(page, f"journey4_{lang}_{size}")
    with page.expect_download(timeout=60_000) as info:
        steady_click(page.get_by_role("button", name=CSV[lang]))
    data = open(info.value.path(), encoding="utf-8-sig").read()
    first, header = data.splitlines()[:2]
    assert first.startswith("# ") and "unit=d005" in first  # the citation with the share link
    assert "94.22" in data and not re.search(r"\d\.\d{7,}", data)  # numbers as published, no float noise
    assert "True" not in data and "False" not in data
    # print: the profile without the pickers and buttons
    page.emulate_media(media="print")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("94,22%" if lang == "vi" else "94.22%").first.is_visible()
    for testid in ("stTextInput", "stSelectbox", "stDownloadButton"):
        boxes = page.locator(f"[data-testid='{testid}']")
        assert all(not boxes.nth(i).is_visible() for i in range(boxes.count())), testid
    screenshot(page, f"journey4_print_{lang}_{size}")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_link_on_a_department_profile_opens_the_view_it_names(page, server, lang):
    """/unit?unit=hn-tuphap&index=par_hanoi once printed its citation link as par%5C_hanoi (an escaped '_'), which
    opened an 'invalid index' notice. Every link on the page keeps its params when followed."""
    open_view(page, server, f"/unit?unit=hn-tuphap&index=par_hanoi&lang={lang}")
    page.locator("[data-testid='stMetric']").first.wait_for()
    hrefs = page.locator("[data-testid='stMain'] a[href]").evaluate_all("els => els.map(e => e.href)")
    assert not [h for h in hrefs if "%5C" in h or "\\" in h], hrefs
    code = page.locator("[data-testid='stCode']").first.inner_text().strip()
    assert "index=par_hanoi" in code and "%5C" not in code
    internal = sorted({h for h in hrefs if h.startswith(server)} | {code})
    for href in internal:
        open_view(page, server, href[len(server) :])
        for pair in href.split("?", 1)[1].split("&") if "?" in href else []:
            assert pair in page.url, (href, page.url)  # no param was rejected and replaced
        assert "Traceback" not in main_text(page)
