"""The cached /rankings view (cchc_data.queries.rankings + cchc_data.views.rankings): search, pages, the highlighted unit, formatting.

Shipped data: PAPI 2019 provinces (63 units, computed ranks) and PAPI 2018 (a method change)."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_data import queries as q
from cchc_data.textnorm import fold
from cchc_data.views import rankings as rt

VIEW = ("papi-2019", "provinces", "papi", 2019)
BASE = "http://x/unit?lang=vi&index=papi&year=2019"


def reference_matches(df: pd.DataFrame, text: str) -> list[str]:
    """The page's former per-row filter (df.apply), written out: the folded text in the folded vi or en name."""
    needle = fold(text)
    return [
        u
        for u, vi, en in zip(df.unit_id, df.name_vi, df.name_en)
        if needle in fold(vi) or (isinstance(en, str) and needle in fold(en))
    ]


@pytest.mark.parametrize("text", ["HÀ NỘI", "an", "Đà", "thanh hoa", "city", "  Ninh  "])
def test_vectorised_search_matches_the_per_row_filter_on_every_shipped_group(text):
    needle = q.search_needle(text)
    checked = 0
    for ed in q.editions().itertuples():
        for group in q.edition_groups(ed.edition_id):
            full = q.ranking(ed.edition_id, group, ed.index_code, int(ed.year))
            rows = q.ranking_rows(ed.edition_id, group, ed.index_code, int(ed.year), needle)
            assert rows.unit_id.tolist() == reference_matches(full, text), (ed.edition_id, group, text)
            checked += 1
    assert checked > 20


def test_search_needle_folds_and_empty_means_no_filter():
    assert q.search_needle("  Hà   Nội ") == "ha noi"
    assert q.search_needle("") == q.search_needle("   ") == q.search_needle(None) == ""
    assert len(q.ranking_rows(*VIEW, "")) == 63


def test_pages_slice_the_filtered_rows_in_ranking_order():
    full = q.ranking(*VIEW)
    p3 = rt.ranking_page(*VIEW, "vi", BASE, "", page=3, page_size=20)
    assert (p3["page"], p3["n_pages"], p3["first"], p3["last"]) == (3, 4, 41, 60)
    assert p3["ids"] == full.unit_id.iloc[40:60].tolist()
    assert (
        len(p3["table"]) == 20
        and p3["table"].iloc[0]["unit"] == f"{BASE}&unit={full.unit_id.iloc[40]}#{full.name_vi.iloc[40]}"
    )
    last = rt.ranking_page(*VIEW, "vi", BASE, "", page=4, page_size=20)
    assert (last["first"], last["last"], len(last["table"])) == (61, 63, 3)
    clamped = rt.ranking_page(*VIEW, "vi", BASE, "", page=99, page_size=20)
    assert clamped["page"] == 4 and clamped["ids"] == last["ids"]
    whole = rt.ranking_page(*VIEW, "vi", BASE, "", page=1, page_size=None)
    assert whole["ids"] == full.unit_id.tolist() and (whole["n_pages"], whole["first"], whole["last"]) == (1, 1, 63)


def test_search_applies_before_paging():
    full = q.ranking(*VIEW)
    matching = reference_matches(full, "an")
    assert len(matching) > 5
    page = rt.ranking_page(*VIEW, "en", BASE, q.search_needle("an"), page=2, page_size=5)
    assert page["n_shown"] == len(matching) and page["n_total"] == 63
    assert page["ids"] == matching[5:10] and page["first"] == 6
    none = rt.ranking_page(*VIEW, "en", BASE, "zzqq", page=1, page_size=5)
    assert (none["n_shown"], none["first"], none["last"], len(none["table"])) == (0, 0, 0, 0)


def test_focus_gives_the_units_row_and_position_among_the_matching_rows():
    full = q.ranking(*VIEW)
    uid = full.unit_id.iloc[45]
    focus = rt.ranking_focus(*VIEW, "", uid)
    assert focus["position"] == 45 and focus["row"]["unit_id"] == uid
    assert focus["leader_total"] == pytest.approx(full.total.iloc[0])
    bars = focus["bars"]  # 61 scored > CHART_MAX_BARS: the 15 leaders, and the unit with 15 neighbours each side
    assert bars.unit_id.tolist() == full.unit_id.iloc[:15].tolist() + full.unit_id.iloc[30:61].tolist()
    assert focus["n_scored"] == int(full.total.notna().sum()) == focus["n_shown"]
    # Filtered out by the search: still its row (for the gap box), but no position and no bar.
    other = rt.ranking_focus(*VIEW, q.search_needle("zzqq"), uid)
    assert other["row"]["unit_id"] == uid and other["position"] is None and other["n_shown"] == 0
    hanoi = rt.ranking_focus(*VIEW, q.search_needle("ha noi"), "p01")
    assert hanoi["position"] == 0 and hanoi["n_shown"] == 1
    assert rt.ranking_focus(*VIEW, "", "not-a-unit")["row"] is None


def test_table_formats_numbers_per_language_and_marks():
    vi = rt.ranking_page(*VIEW, "vi", BASE, "", page=1, page_size=None)["table"]
    en = rt.ranking_page(*VIEW, "en", BASE.replace("vi", "en"), "", page=1, page_size=None)["table"]
    full = q.ranking(*VIEW)
    assert vi.iloc[0]["score"] == "46,74" and en.iloc[0]["score"] == "46.74"
    assert vi.iloc[0]["unit"].endswith("#Bến Tre") and en.iloc[0]["unit"].endswith("#Ben Tre")
    assert set(vi.rank_mark) == {"✱"}  # PAPI prints no ranks: every rank computed
    for (_, row), (_, out) in zip(full.iterrows(), vi.iterrows()):
        if pd.isna(row.rank_change):
            assert out.rank_change == "–"
        elif row.change_within_precision:
            assert out.rank_change == "≈"
        elif row.rank_change == 0:
            assert out.rank_change == "="
        else:
            assert out.rank_change == ("▲" if row.rank_change > 0 else "▼") + str(abs(int(row.rank_change)))
        if row.band_size > 1:
            assert out.band == f"{row.band_rank_lo}–{row.band_rank_hi}"
        else:
            assert out.band == ""


def test_method_change_blanks_score_changes_but_keeps_rank_changes():
    view = ("papi-2018", "provinces", "papi", 2018)
    change = rt.build_rankings_header(*view, "en").method_change
    assert change and "E-Governance" in change and "dropped: –" in change
    assert rt.build_rankings_header("papi-2019", "provinces", "papi", 2019, "en").method_change is None
    rows = q.ranking_rows(*view, "", blank_changes=True)
    assert rows.total_change.isna().all() and rows.rank_change.notna().any()
    table = rt.ranking_page(*view, "en", BASE, "", 1, None, blank_changes=True)["table"]
    assert set(table.score_change) == {"–"}
    assert set(rt.ranking_page(*view, "en", BASE, "", 1, None)["table"].score_change) != {"–"}


def test_summary_counts_named_and_scored_units():
    for view in [VIEW, ("par-2019", "provinces", "par", 2019)]:  # PAR 2019: a partial table
        s = q.ranking_summary(*view)
        full = q.ranking(*view)
        assert s["n"] == len(full) and s["n_scored"] == int(full.total.notna().sum())
        assert s["prev_edition_id"] == q.previous_edition(view[2], view[3])["edition_id"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_partial_table_says_which_units_and_figures_were_published(lang):
    """Journey 5: PAR 2024 printed 4 provinces; the header names them by what was printed (score and rank, rank only,
    named only) and says how many of the 63 were not published, in the reader's language, with no raw codes."""
    from cchc_data.fmt import unit_names

    header = rt.build_rankings_header("par-2024", "provinces", "par", 2024, lang)
    df = q.ranking("par-2024", "provinces", "par", 2024)
    assert header.partial
    for name in unit_names(df, lang):
        assert name.replace(" - ", " \\- ") in header.partial or name in header.partial.replace("\\", "")
    missing = 63 - len(df)
    assert (f"{missing} trên 63" if lang == "vi" else f"other {missing} of 63") in header.partial
    both = df[df.total.notna() & df["rank"].notna() & df.rank_official.fillna(False)]
    assert ("điểm và hạng" if lang == "vi" else "score and rank") in header.partial or both.empty
    for raw in ("national_", "data/", "None", "nan", "provinces" if lang == "vi" else "national"):
        assert raw not in header.partial


def test_method_note_follows_the_language():
    vi = rt.build_rankings_header("papi-2019", "provinces", "papi", 2019, "vi").method_note
    en = rt.build_rankings_header("papi-2019", "provinces", "papi", 2019, "en").method_note
    assert vi and en and vi != en


def test_gap_card_quotes_the_unit_name_as_text():
    """The highlighted unit's card is Markdown: a name from the data is escaped (synthetic row)."""
    row = {
        "name_vi": "[x](https://evil.example)",
        "name_en": None,
        "rank": 2,
        "rank_official": False,
        "points_to_next": 0.5,
        "total": 80.0,
        "band_size": 1,
        "band_rank_lo": 2,
        "band_rank_hi": 2,
    }
    card = rt.gap_card({"row": row, "leader_total": 81.0}, "vi")
    assert "](" not in card.title and "https://" not in card.title
    assert card.rank_value == "2 ✱" and card.rank_help and card.gap_value == "0,50"
    assert card.link_label == "Mở hồ sơ [x](https://evil.example)"  # a page_link label is plain text


def test_chart_labels_fall_back_to_the_vietnamese_name():
    """The bar chart names each unit in the reader's language, the Vietnamese name where there is no English one
    (it picked the name_en column, empty for such a unit). Synthetic rows."""
    bars = pd.DataFrame(
        {
            "unit_id": ["a", "b"],
            "name_vi": ["Sở Tư pháp", "Sở Nội vụ"],
            "name_en": [None, "Home Affairs"],
            "total": [90.0, 80.0],
            "rank": [1, 2],
        }
    )
    texts = rt.chart_texts({"n_scored": 2, "bars": bars, "row": None, "position": None}, "en", "par_hanoi", 2022, None)
    assert texts.bars.label.tolist() == ["Sở Tư pháp", "Home Affairs"] and texts.builder_args["label_col"] == "label"


@pytest.mark.parametrize(
    "lang, n_shown, expected",
    [
        ("vi", 1, "Không có biểu đồ: 1 đơn vị khớp bộ lọc nhưng không đơn vị nào có điểm công bố"),
        ("en", 2, "No chart: no unit matching the filter (2) has a published score"),
        ("en", 0, "No published data for this selection yet."),
    ],
)
def test_no_chart_says_whether_rows_match_without_scores_or_nothing_matches(lang, n_shown, expected):
    assert rt.chart_empty_text({"n_shown": n_shown, "n_scored": 0}, lang).startswith(expected)
