"""Real browser: /unit with more units than views.unit.LARGE_PICKER picks the unit through a search box.

A server runs on SYNTHETIC data made here (benchmarks/generate.py: 1,200 communes x 2 years, labelled synthetic,
written to a temporary folder, never under data/): the share link (admin code) opens its unit, the select holds
only the current unit and the matches, a pick goes to the URL, and a search without matches says so."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import main_text, open_view, screenshot, stop_server, synthetic_server, wait_ready, wait_text

pytestmark = pytest.mark.e2e

COMMUNES = 1200


@pytest.fixture(scope="module")
def large_server(tmp_path_factory):
    from cchc_data.views import unit as uv

    assert COMMUNES > uv.LARGE_PICKER
    root = tmp_path_factory.mktemp("unit_large")
    proc, base = synthetic_server(root, COMMUNES)
    yield base
    stop_server(proc)


def search(page, label: str, text: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_ready(page)


def options(page, label: str) -> list[str]:
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).locator("input").click()
    names = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return names


@pytest.mark.parametrize(
    "lang,search_label,pick_label,prompt,one,none",
    [
        (
            "vi",
            "Tìm đơn vị (không cần dấu)",
            "Chọn đơn vị",
            "Có 1.263 đơn vị: gõ tên hoặc mã",
            "1 đơn vị khớp với “tong hop 00042”.",
            "Không có đơn vị nào trong danh sách này khớp với “zzzq”.",
        ),
        (
            "en",
            "Find a unit (accents optional)",
            "Choose a unit",
            "There are 1,263 units: type a name or code",
            "1 unit matches “tong hop 00042”.",
            "No unit in this list matches “zzzq”.",
        ),
    ],
)
def test_search_and_pick_a_commune(large_server, page, lang, search_label, pick_label, prompt, one, none):
    open_view(page, large_server, f"/unit?unit=01&lang={lang}")
    text = main_text(page)
    assert prompt in text and "Traceback" not in text
    assert "unit=p01" in page.url  # the admin code opened its province
    assert len(options(page, pick_label)) == 1  # no 1,263-option list in the page
    screenshot(page, f"unit_search_synthetic_{lang}")
    search(page, search_label, "tong hop 00042")
    wait_text(page, one)
    picked = [o for o in options(page, pick_label) if "00042" in o]
    assert len(picked) == 1
    page.locator("[data-testid='stSelectbox']").filter(has_text=pick_label).locator("input").click()
    page.get_by_role("option", name=picked[0], exact=True).click()
    wait_ready(page)
    wait_text(page, "00042", "h2")
    assert "unit=c00042" in page.url
    screenshot(page, f"unit_search_synthetic_picked_{lang}")
    search(page, search_label, "zzzq")
    wait_text(page, none)
    assert "unit=c00042" in page.url
