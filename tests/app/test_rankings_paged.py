"""AppTest of /rankings for large groups: one page of the table at a time, the `page` param, the highlighted unit's
page, search before paging; and the shipped view (<= LARGE_GROUP units) unchanged.

PAPI 2019 provinces (63 units) stand in for a large group with the thresholds lowered (as the /components tests
do with LARGE_GROUP): more than 30 units -> pages of 20 rows (20 + 20 + 20 + 3)."""

from __future__ import annotations

import pytest

from cchc_data import queries as q
from cchc_data.textnorm import fold
from tests.app.helpers import friendly_only, texts

PAGE = "pages/rankings.py"
VIEW = {"index": "papi", "year": "2019", "group": "provinces"}


def run_page(_page: str, **params):
    """tests.app.helpers.run_page, but a `page` query param does not clash with its first argument."""
    from tests.app.helpers import run_page as run

    if "page" not in params:
        return run(_page, **params)
    from streamlit.testing.v1 import AppTest

    from tests.app.helpers import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.switch_page(_page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


@pytest.fixture
def paged(monkeypatch):
    from cchc_data.queries import rankings as qr

    monkeypatch.setattr(qr, "LARGE_GROUP", 30)
    monkeypatch.setattr(qr, "PAGE_SIZE", 20)


def ranked() -> list[str]:
    return q.ranking("papi-2019", "provinces", "papi", 2019).unit_id.tolist()


def unit_ids(at) -> list[str]:
    return [u.split("&unit=")[1].split("#")[0] for u in at.dataframe[0].value["unit"]]


def page_box(at):
    return at.selectbox(key="param_page")


@pytest.mark.parametrize(
    "lang,rows,note",
    [
        ("vi", "Hàng 1–20 trên 63 đơn vị.", "Các tệp chứa đủ 63 hàng của bảng (mọi trang)"),
        ("en", "Rows 1–20 of 63 units.", "The files hold all 63 rows of the table (every page)"),
    ],
)
def test_large_group_shows_one_page_with_a_caption(paged, lang, rows, note):
    at = run_page(PAGE, lang=lang, **VIEW)
    friendly_only(at)
    body = texts(at)
    assert rows in body and note in body
    assert unit_ids(at) == ranked()[:20]
    assert at.dataframe[0].value.iloc[0]["unit"].endswith("#Bến Tre" if lang == "vi" else "#Ben Tre")
    assert at.query_params["page"] == "1"
    assert page_box(at).options == (
        ["Trang 1: hàng 1–20", "Trang 2: hàng 21–40", "Trang 3: hàng 41–60", "Trang 4: hàng 61–63"]
        if lang == "vi"
        else ["Page 1: rows 1–20", "Page 2: rows 21–40", "Page 3: rows 41–60", "Page 4: rows 61–63"]
    )
    # The highlight picker lists this page's units only (plus "none"), not all 63.
    picker = at.selectbox(key="param_unit")
    assert len(picker.options) == 21
    labels = [b.proto.label for b in at.get("download_button")]
    assert len(labels) == 2  # CSV and XLSX of every row, made on click


def test_page_param_round_trip_and_picking_a_page(paged):
    at = run_page(PAGE, lang="en", page="3", **VIEW)
    friendly_only(at)
    assert unit_ids(at) == ranked()[40:60]
    assert "Rows 41–60 of 63 units." in texts(at) and at.query_params["page"] == "3"
    page_box(at).select(4).run()
    friendly_only(at)
    assert at.query_params["page"] == "4"
    assert unit_ids(at) == ranked()[60:63] and "Rows 61–63 of 63 units." in texts(at)
    assert "page=4" in texts(at)  # the share link keeps the page


@pytest.mark.parametrize("value", ["abc", "0", "99", "-1", "2.5"])
def test_bad_page_param_gives_a_notice_and_the_default_page(paged, value):
    at = run_page(PAGE, lang="en", page=value, **VIEW)
    friendly_only(at)
    notices = [i.value.replace("\\", "") for i in at.info]  # Markdown escapes are not what a reader sees
    assert any("“page”" in n and "Page 1: rows 1–20" in n for n in notices), notices
    assert unit_ids(at) == ranked()[:20] and at.query_params["page"] == "1"


def test_highlighted_units_page_is_the_default(paged):
    order = ranked()
    unit = order[45]  # row 46: page 3
    at = run_page(PAGE, lang="vi", unit=unit, **VIEW)
    friendly_only(at)
    assert at.query_params["page"] == "3" and unit_ids(at) == order[40:60]
    assert at.selectbox(key="param_unit").value == unit
    assert "khoảng cách đến hạng trên" in texts(at)  # the gap box of the highlighted unit
    # An admin code resolves to its unit and opens that unit's page too.
    at = run_page(PAGE, lang="en", unit="01", **VIEW)
    friendly_only(at)
    assert at.query_params["unit"] == "p01"
    assert at.query_params["page"] == str(order.index("p01") // 20 + 1) and "p01" in unit_ids(at)
    # An explicit page wins over the highlighted unit's page; the unit stays highlighted (picker keeps it).
    at = run_page(PAGE, lang="en", unit=unit, page="1", **VIEW)
    friendly_only(at)
    assert unit_ids(at) == order[:20] and at.selectbox(key="param_unit").value == unit


def test_search_applies_before_paging_and_a_new_search_starts_again(paged):
    full = q.ranking("papi-2019", "provinces", "papi", 2019)
    matching = [
        u for u, vi, en in zip(full.unit_id, full.name_vi, full.name_en) if "an" in fold(vi) or "an" in fold(en)
    ]
    assert len(matching) > 20  # enough matches for two pages
    at = run_page(PAGE, lang="en", q="an", page="2", **VIEW)
    friendly_only(at)
    assert unit_ids(at) == matching[20:40]
    caption = f"Rows 21–{min(40, len(matching))} of {len(matching)} units matching the filter (of 63 in all)."
    assert caption in texts(at)
    at.text_input(key="rankings_q").input("ha noi").run()
    friendly_only(at)
    assert at.query_params["q"] == "ha noi" and at.query_params["page"] == "1"
    assert unit_ids(at) == ["p01"] and "Rows 1–1 of 1 units matching the filter" in texts(at)


def test_changing_the_view_drops_a_page_we_wrote(paged):
    at = run_page(PAGE, lang="en", page="4", **VIEW)
    assert at.query_params["page"] == "4"
    at.selectbox(key="param_year").select(2018).run()
    friendly_only(at)
    assert at.query_params["page"] == "1"


def test_shipped_view_is_unchanged_below_the_threshold():
    """63 units <= LARGE_GROUP: every row, no page control, and a stray page param is dropped."""
    at = run_page(PAGE, lang="vi", page="2", **VIEW)
    friendly_only(at)
    assert unit_ids(at) == ranked()
    assert "Đang hiển thị 63 / 63 đơn vị." in texts(at)
    assert "page" not in at.query_params
    assert not [s for s in at.selectbox if s.key == "param_page"]
    assert len(at.selectbox(key="param_unit").options) == 64  # every unit, plus "none"
