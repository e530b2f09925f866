"""AppTest for the shell, overview, rankings, methodology and data pages (issue 4)."""

import json

import pytest

from tests.app.helpers import friendly_only, run_page, texts


@pytest.mark.parametrize(
    "lang,title",
    [("vi", "Chỉ số Cải cách hành chính Việt Nam"), ("en", "Vietnam Public Administration Reform Indices")],
)
def test_overview_in_both_languages(lang, title):
    at = run_page("pages/overview.py", lang=lang)
    friendly_only(at)
    assert at.title[0].value == title
    body = texts(at)
    # The latest PAPI edition's leader, with its total in the language's notation (read from the data: the
    # shipped editions grow, the page must follow them).
    from cchc_data import queries as q
    from cchc_data.fmt import number

    year = int(q.editions("papi").year.max())
    top = q.ranking(f"papi-{year}", "provinces", "papi", year).iloc[0]
    assert (top.name_vi if lang == "vi" else top.name_en or top.name_vi) in body
    assert number(top.total, lang) in body


def test_overview_search_is_accent_insensitive_and_follows_successors():
    at = run_page("pages/overview.py", lang="en", q="ha tay")
    friendly_only(at)
    assert any(
        "Ha Tay became part of Ha Noi" in c.value for c in at.caption
    )  # what merged into what (views/overview.py)


def test_rankings_share_link_papi_2019_ben_tre_first():
    at = run_page("pages/rankings.py", lang="vi", index="papi", year="2019", group="provinces")
    friendly_only(at)
    df = at.dataframe[0].value
    assert df.iloc[0]["unit"].endswith("#Bến Tre")
    assert df.iloc[0]["score"] == "46,74"
    assert df.iloc[0]["rank_mark"] == "✱"  # PAPI prints no ranks: computed
    assert at.query_params["index"] == "papi" and at.query_params["year"] == "2019"


def test_rankings_english_keeps_the_view_and_uses_english_numbers():
    at = run_page("pages/rankings.py", lang="en", index="papi", year="2019", group="provinces", unit="01")
    friendly_only(at)
    assert at.title[0].value == "Rankings"
    df = at.dataframe[0].value
    assert df.iloc[0]["unit"].endswith("#Ben Tre") and df.iloc[0]["score"] == "46.74"
    # unit=01 (an admin code) resolves to Hà Nội and is highlighted in the chart
    assert at.query_params["unit"] == "p01"
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert "Points needed to reach rank" in texts(at)


def test_rankings_partial_edition_has_notice_and_no_computed_ranks():
    at = run_page("pages/rankings.py", lang="vi", index="par", year="2019", group="provinces")
    friendly_only(at)
    assert any("chưa đầy đủ" in w.value for w in at.warning)
    df = at.dataframe[0].value
    assert df.iloc[0]["unit"].endswith("#Quảng Ninh") and df.iloc[0]["score"] == "90,09"
    assert set(df.rank_mark) == {""}  # every rank here was printed by the publisher
    assert df.iloc[-1]["unit"].endswith("#Bến Tre") and df["rank"].isna().iloc[-1]


@pytest.mark.parametrize(
    "params,param_name",
    [
        ({"index": "nope"}, "index"),
        ({"index": "papi", "year": "1999"}, "year"),
        ({"index": "papi", "year": "abc"}, "year"),
        ({"index": "papi", "group": "planets"}, "group"),
        ({"lang": "fr"}, "lang"),
        ({"index": "papi", "unit": "zz"}, "unit"),
    ],
)
def test_rankings_bad_params_give_a_notice_and_a_default(params, param_name):
    at = run_page("pages/rankings.py", **params)
    friendly_only(at)
    assert any(f"“{param_name}”" in i.value for i in at.info), [i.value for i in at.info]
    assert len(at.dataframe) == 1


def test_rankings_search_filters_rows_accent_insensitively():
    at = run_page("pages/rankings.py", lang="vi", index="papi", year="2019", group="provinces", q="ha noi")
    friendly_only(at)
    df = at.dataframe[0].value
    assert len(df) == 1 and df.iloc[0]["unit"].endswith("#Hà Nội")


def test_method_change_blanks_score_changes():
    at = run_page("pages/rankings.py", lang="en", index="papi", year="2018", group="provinces")
    friendly_only(at)
    assert any("method changed" in i.value for i in at.info)
    assert set(at.dataframe[0].value.score_change) == {"–"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_methodology_shows_method_changes_by_year(lang):
    at = run_page("pages/methodology.py", lang=lang, index="papi")
    friendly_only(at)
    grid = at.dataframe[0].value
    egov = grid[grid.iloc[:, 1].str.contains("E-Governance" if lang == "en" else "điện tử", case=False)].iloc[0]
    assert egov["2017"] == "" and egov["2018"] == "✓"  # added in 2018: a method change


def test_methodology_par_lists_decisions_with_maximum_points():
    at = run_page("pages/methodology.py", lang="vi", index="par")
    friendly_only(at)
    decisions = at.dataframe[-1].value
    schemes = set(decisions[decisions.columns[0]])  # named for readers, never a raw code such as national_ministries
    assert "Tỉnh, thành phố (Bộ Nội vụ)" in schemes and not [s for s in schemes if "_" in s]
    assert "2948/QĐ-BNV" in set(decisions["Quyết định"])
    assert "14,50" in set(decisions["Điểm tối đa"])  # Cải cách TTHC, 2948/QĐ-BNV, as printed


def test_data_page_offers_every_public_table():
    at = run_page("pages/data.py", lang="en")
    friendly_only(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Download CSV") == 9 and labels.count("Download Parquet") == 9
    assert "results" in texts(at)


def test_data_page_csv_is_the_table_with_formula_text_defused():
    """/data's CSV is the table itself (no citation line: the column names are a public contract), and a text cell
    a spreadsheet would run as a formula starts with an apostrophe (OWASP; issue 17 §5). Synthetic frame."""
    import pandas as pd

    from cchc_data.ui.download import to_plain_csv_bytes

    df = pd.DataFrame({"name_vi": ['=HYPERLINK("http://evil.example/x","y")', "Hà Nội"], "total": [-2.5, 84.64]})
    lines = to_plain_csv_bytes(df).decode("utf-8-sig").splitlines()
    assert lines[0] == "name_vi,total"
    assert lines[1].startswith("\"'=HYPERLINK") and lines[1].endswith(",-2.5") and lines[2] == "Hà Nội,84.64"
