"""Real browser: /rankings of a large group (more than LARGE_GROUP units) shows one page of rows at a time.

A server runs on SYNTHETIC data made here (benchmarks/generate.py: 400 communes x 2 years, labelled synthetic,
written to a temporary folder, never under data/): the table pages in 100 rows, the page is in the URL, and the
downloads still hold all 400 rows."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    main_text,
    open_view,
    screenshot,
    steady_click,
    stop_server,
    synthetic_server,
    wait_ready,
    wait_text,
)

pytestmark = pytest.mark.e2e

COMMUNES = 400


@pytest.fixture(scope="module")
def large_server(tmp_path_factory):
    from cchc_data.queries import rankings as qr

    assert COMMUNES > qr.LARGE_GROUP and qr.PAGE_SIZE == 100
    root = tmp_path_factory.mktemp("large")
    proc, base = synthetic_server(root, COMMUNES)
    yield base
    stop_server(proc)


LINK = "/rankings?index=par&year=2016&group=communes"


def choose(page, label: str, option: str) -> None:
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_ready(page)


def test_paged_table_in_both_languages(large_server, page):
    open_view(page, large_server, LINK + "&lang=vi")
    wait_text(page, "Hàng 1–100 trên 400 đơn vị.")
    text = main_text(page)
    assert "Trang của bảng" in text
    assert "Các tệp chứa đủ 400 hàng của bảng (mọi trang)" in text
    assert "page=1" in page.url
    screenshot(page, "rankings_paged_synthetic_vi")

    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    wait_ready(page)
    wait_text(page, "Rows 1–100 of 400 units.")
    text = main_text(page)
    assert "Table page" in text
    assert "lang=en" in page.url and "page=1" in page.url
    screenshot(page, "rankings_paged_synthetic_en")


def test_choosing_a_page_puts_it_in_the_url(large_server, page):
    open_view(page, large_server, LINK + "&lang=en")
    choose(page, "Table page", "Page 3: rows 201–300")
    wait_text(page, "Rows 201–300 of 400 units.")
    assert "page=3" in page.url
    # The share link opens the same page.
    open_view(page, large_server, LINK + "&lang=en&page=3")
    assert "Rows 201–300 of 400 units." in main_text(page)


def test_download_holds_every_row_not_only_the_page(large_server, page):
    open_view(page, large_server, LINK + "&lang=en&page=2")
    with page.expect_download() as info:
        steady_click(page.get_by_role("button", name="Download CSV").first)
    lines = open(info.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0].startswith("# ") and "/rankings?" in lines[0]  # the citation line
    assert len(lines) == 2 + COMMUNES  # citation, header, every commune


def test_bad_page_param_gives_a_notice(large_server, page):
    open_view(page, large_server, LINK + "&lang=en&page=77")
    text = main_text(page)
    assert "“page”" in text and "not valid" in text and "Rows 1–100 of 400 units." in text
    assert "Traceback" not in page.content()
