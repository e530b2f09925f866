"""Issue 13: every citation, on a page and in its downloads, lists the sources of the figures shown (the result
rows' own source_id, queries.view_sources, most-used first), not the edition's "main" source.

Real shipped data: PAR 2019's province figures came from news.gov.vn and its ministry figures from a Japanese news
site (viet-jo.com); Hà Nội's PAR 2022 district figure came from quochoitv.vn, its department figures from another
page. The pages run in AppTest; every CSV a page offers is built (the deferred download is called) and its first
line, the citation, is compared with what the page says."""

from __future__ import annotations

import re

import pytest
from streamlit.delta_generator import DeltaGenerator

from cchc_data import fmt
from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.queries import maps as qmap
from cchc_data.views import map as vm
from tests.app.helpers import friendly_only, run_page

NEWS_GOV = "news.gov.vn"  # PAR 2019 provinces
JAPANESE = "viet-jo.com"  # PAR 2019 ministries only


@pytest.fixture
def csv_citations(monkeypatch):
    """Every CSV download a page run offers: file name -> its citation line (the file's first line)."""
    seen: dict[str, str] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        if file_name and file_name.endswith(".csv"):
            raw = data() if callable(data) else data
            first = raw.decode("utf-8-sig").split("\r\n", 1)[0]
            assert first.startswith("# "), first
            seen[file_name] = first[2:]
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    return seen


def _seen(markdown: str) -> str:
    """The caption as a reader sees it: escapes and word joiners gone, a link [text](url) shown as its text."""
    text = re.sub(r"\[([^\]]+)\]\((?:[^)\\]|\\.)+\)", r"\1", markdown)
    return text.replace("\\", "").replace("\u2060", "")


def share_link(at, lang: str) -> str:
    """The share link the page prints under its downloads."""
    prefix = t("common.share_link", lang) + ": "
    links = [c.value[len(prefix) :] for c in at.caption if c.value.startswith(prefix)]
    assert links, "no share link on the page"
    return links[-1].replace("\\", "")


def test_view_sources_are_the_rows_sources():
    """The query itself: PAR 2019 provinces -> news.gov.vn only; ministries -> the Japanese site only; both for the
    whole edition, most-used first."""
    ed = q.edition("par", 2019)["edition_id"]
    provinces = [s["url"] for s in q.view_sources(ed, "provinces")]
    ministries = [s["url"] for s in q.view_sources(ed, "ministries")]
    assert len(provinces) == 1 and NEWS_GOV in provinces[0]
    assert len(ministries) == 1 and JAPANESE in ministries[0]
    everything = q.view_sources(ed)
    assert {s["url"] for s in everything} == set(provinces + ministries)
    assert [s["n_rows"] for s in everything] == sorted((s["n_rows"] for s in everything), reverse=True)
    # Hà Nội 2022: the district figure's own page, not the departments' (the edition's main source)
    hn = q.edition("par_hanoi", 2022)["edition_id"]
    districts = q.view_sources(hn, "districts")
    main = q.edition_source(hn)
    assert districts and all(s["source_id"] != main["source_id"] for s in districts)
    assert "quochoitv.vn" in districts[0]["url"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rankings_par_2019_provinces_cites_news_gov_and_its_csv_equals_the_page(lang, csv_citations):
    at = run_page("pages/rankings.py", index="par", year="2019", group="provinces", lang=lang)
    friendly_only(at)
    assert csv_citations, "no CSV download on /rankings"
    ed = q.edition("par", 2019)["edition_id"]
    label = f"{t('index.par', lang)} – {t('group.provinces', lang)}"
    expected = fmt.citation_text(lang, label, 2019, q.view_sources(ed, "provinces"), share_link(at, lang))
    for name, line in csv_citations.items():
        assert line == expected, name
        assert NEWS_GOV in line and JAPANESE not in line


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rankings_hanoi_2022_districts_cites_the_rows_source(lang, csv_citations):
    at = run_page("pages/rankings.py", index="par_hanoi", year="2022", group="districts", lang=lang)
    friendly_only(at)
    hn = q.edition("par_hanoi", 2022)["edition_id"]
    rows = q.view_sources(hn, "districts")
    main = q.edition_source(hn)
    assert csv_citations
    for line in csv_citations.values():
        assert all(s["url"] in line for s in rows)
        assert main["url"] not in line  # the departments' page supplied no district figure
    # the province column of a district table (issue 15): Hà Nội for every row
    col = t("rankings.col_province", lang)
    table = at.dataframe[0].value
    assert "province" in table.columns and set(table["province"]) == {"Hà Nội" if lang == "vi" else "Ha Noi"}, col


@pytest.mark.parametrize(
    "unit, index, year, cited, not_cited",
    [
        ("p01", "par", "2019", NEWS_GOV, JAPANESE),
        ("m-sbv", "par", "2019", JAPANESE, NEWS_GOV),  # a ministry's figure came from the Japanese site
        ("d002", "par_hanoi", "2022", "quochoitv.vn", "tinbong247news.net"),  # not the departments' page
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unit_page_citation_and_its_csv_name_the_figures_source(
    lang, unit, index, year, cited, not_cited, csv_citations
):
    at = run_page("pages/unit.py", unit=unit, index=index, year=year, lang=lang)
    friendly_only(at)
    # as the reader sees it: no Markdown escapes, no WORD JOINER (md_escape's guard against autolinks)
    shown = [_seen(c.value) for c in at.caption if c.value.startswith(t("common.citation", lang))]
    assert shown, "no citation on /unit"
    assert cited in shown[0] and not_cited not in shown[0]
    assert csv_citations, "no CSV download on /unit"
    for name, line in csv_citations.items():
        assert shown[0] == f"{t('common.citation', lang)}: {line}", name


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_par_provinces_cites_news_gov_not_the_ministries_site(lang, csv_citations):
    at = run_page("pages/compare.py", index="par", units="p01,p22", lang=lang)
    friendly_only(at)
    assert csv_citations, "no CSV download on /compare"
    for name, line in csv_citations.items():
        assert NEWS_GOV in line and JAPANESE not in line, name


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_components_cite_the_rows_sources(lang, csv_citations):
    """PAPI 2022 provinces (its components exist): the citation lists the province rows' sources, and every CSV of
    the page carries the same line as the page's embed caption."""
    at = run_page("pages/components.py", index="papi", year="2022", group="provinces", lang=lang)
    friendly_only(at)
    ed = q.edition("papi", 2022)["edition_id"]
    urls = [s["url"] for s in q.view_sources(ed, "provinces")]
    assert csv_citations, "no CSV download on /components"
    for name, line in csv_citations.items():
        assert all(u in line for u in urls if u), name
    embed = run_page("pages/components.py", index="papi", year="2022", group="provinces", lang=lang, embed="true")
    friendly_only(embed)
    caption = [_seen(c.value) for c in embed.caption if c.value.startswith(t("common.citation", lang))]
    assert caption, "no citation in the embed"
    # the same line as the downloads, up to the view's own link (the embed's link carries embed=true)
    assert {_without_link(caption[0].split(": ", 1)[1])} == {_without_link(v) for v in csv_citations.values()}


def _without_link(citation: str) -> str:
    return re.split(r"\. (?:Bảng theo dõi cchc-dashboard|cchc-dashboard view): ", citation)[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_par_2019_cites_the_sources_of_what_it_shows(lang):
    """The map of PAR 2019 draws the provinces (news.gov.vn) and, in its strip and table, the 6 ministries (the
    Japanese site): its citation names both, the provinces' page first, and nothing else."""
    view = vm.build_map_view("par", 2019, "total", "provinces", "single", (), lang, "http://localhost")
    urls = [s["url"] for s in view.source]
    assert NEWS_GOV in urls[0]
    ministries = t("group.ministries", lang)
    group_col = [c for c in view.table.columns if view.table[c].astype(str).eq(ministries).any()]
    assert group_col, "the map's table shows no ministry"
    assert len(urls) == 2 and JAPANESE in urls[1]
    line = view.citation(lang, 2019, "http://localhost/map")  # what pages/map.py puts in its downloads
    assert line == fmt.citation_text(lang, view.download_label, 2019, view.source, "http://localhost/map")
    assert line.index(NEWS_GOV) < line.index(JAPANESE) and "2019" in line


# ---------------------------------------------------------------- printed tiers in the reader's language (issue 14)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tiers_in_the_readers_language_on_rankings_download_and_map(lang):
    """PCI 2021 prints tiers in Vietnamese ('Tốt'); results.tier_vi/tier_en hold both languages: an English page
    shows the PCI report's English tier ('Mid-high'), a Vietnamese page the Vietnamese one, never the other."""
    from cchc_data.db import fetch_df
    from cchc_data.views import rankings as vr

    ed = q.edition("pci", 2021)["edition_id"]
    rows = fetch_df("SELECT unit_id, tier_vi, tier_en FROM results WHERE edition_id = ? AND tier IS NOT NULL", [ed])
    assert len(rows) and (rows.tier_vi != rows.tier_en).all()
    want = dict(zip(rows.unit_id, rows.tier_vi if lang == "vi" else rows.tier_en))
    other = set(rows.tier_en if lang == "vi" else rows.tier_vi)

    page = vr.ranking_page(ed, "provinces", "pci", 2021, lang, "http://localhost/unit?lang=" + lang)
    table = page["table"].assign(unit_id=page["ids"])
    shown = dict(zip(table.unit_id, table.tier))
    assert all(shown[u] == tier for u, tier in want.items())
    assert not other & set(table.tier)

    download = vr.download_table(ed, "provinces", "pci", 2021, "", False, lang)
    tiers = dict(zip(download.unit_id, download[t("rankings.col_tier", lang)]))
    assert all(tiers[u] == tier for u, tier in want.items())

    # the map's tooltip rows (tier_text) and its table
    values = qmap.map_values(ed)
    tooltip = vm.map_rows(values.assign(code=values.admin_code), lang)
    tips = dict(zip(tooltip.unit_id, tooltip.tier_text))
    assert all(tips[u] == tier for u, tier in want.items())
    view = vm.build_map_view("pci", 2021, "total", "provinces", "single", (), lang, "http://localhost")
    in_table = set(view.table[t("map.col.tier", lang)])
    assert set(want.values()) <= in_table and not other & in_table
