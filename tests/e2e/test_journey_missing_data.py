"""Journey 5 (issue 14): where a table is partial, the page says which units and figures were published and which
were not, in the reader's language, with no repository paths or raw codes; /data's sources section is in the page
language too. Vietnamese and English, 1400 px and 390 px."""

import pytest

from tests.e2e.conftest import main_text, open_view, screenshot

pytestmark = pytest.mark.e2e

# Words a reader must never see: repository paths, raw codes, Python's gaps.
RAW = ("data/sources", "national_ministries", "national_provinces", "None", "nan", "NaN", "unit_group")
SAID = {
    # what the notice says, per language: published kinds, and the count of provinces not published
    "vi": ("Đã công bố", "điểm và hạng", "trên 63 tỉnh, thành phố còn lại"),
    "en": ("Published", "score and rank", "of 63 provinces"),
}


def _partial_notice(page) -> str:
    notices = [
        n for n in page.locator("[data-testid='stAlert']").all_inner_texts() if SAID["vi"][0] in n or SAID["en"][0] in n
    ]
    assert notices, page.locator("[data-testid='stAlert']").all_inner_texts()
    return notices[0]


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_partial_table_says_what_was_published(page, server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/rankings?index=par&year=2024&group=provinces", "/map?index=par&year=2024"):
        open_view(page, server, f"{path}&lang={lang}")
        notice = _partial_notice(page)
        for phrase in SAID[lang]:
            assert phrase in notice, (path, notice)
        other = "en" if lang == "vi" else "vi"
        assert SAID[other][0] not in notice  # one language only
        body = main_text(page)
        for raw in RAW:
            assert raw not in body, (path, raw)
        screenshot(page, f"journey-missing-{path.split('?')[0].strip('/')}-{lang}-{width}")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_data_sources_section_is_in_the_page_language(page, server, lang):
    open_view(page, server, f"/data?lang={lang}")
    body = main_text(page)
    assert ("Nguồn và giấy phép" if lang == "vi" else "Sources and licences") in body
    assert ("Công bố để dùng công khai" if lang == "vi" else "Published for public use") in body
    assert ("Bảng chưa đầy đủ" if lang == "vi" else "Partial tables") in body
    for raw in ("data/sources", "SOURCES_upstream", "python -m"):
        assert raw not in body
    screenshot(page, f"journey-missing-data-page-{lang}")
