"""The overview's headline cards: each leader's name is a heading without a hover anchor (in a narrow card the
anchor icon wrapped onto its own line and left a blank line under the name)."""

import pytest

from cchc_data import fmt
from cchc_data import queries as q
from tests.app.helpers import friendly_only, run_page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_leader_names_are_headings_without_anchor(lang):
    at = run_page("pages/overview.py", lang=lang)
    friendly_only(at)
    names = [h for h in at.subheader if h.proto.hide_anchor]
    bodies = [h.proto.body for h in names]
    latest = q.latest_editions()
    for code in ("pci", "papi"):  # each index's latest leader, whatever the data's latest edition is
        leader = latest[latest.index_code == code].iloc[0]
        assert fmt.md_escape(fmt.unit_name(leader, lang)) in bodies, bodies
    section_headings = [h for h in at.subheader if not h.proto.hide_anchor]
    assert section_headings, "the page's own section headings keep their anchors"


@pytest.mark.parametrize(
    "lang,old,new,note",
    [
        (
            "vi",
            "Bắc Ninh (đến 30/06/2025)",
            "Bắc Ninh (từ 01/07/2025, gồm Bắc Giang và Bắc Ninh cũ)",
            "Bắc Giang và Bắc Ninh cũ hợp nhất thành Bắc Ninh mới từ ngày 01/07/2025.",
        ),
        (
            "en",
            "Bac Ninh (until 30 June 2025)",
            "Bac Ninh (from 1 July 2025, formed from Bac Giang and former Bac Ninh)",
            "Bac Giang and former Bac Ninh merged into the new Bac Ninh on 1 July 2025.",
        ),
    ],
)
def test_search_names_the_periods_of_a_merged_province_and_what_merged_into_what(lang, old, new, note):
    at = run_page("pages/overview.py", lang=lang, q="bac ninh")  # the search's share link; typing: tests/e2e
    friendly_only(at)
    links = [(el.proto.label, el.proto.query_string) for el in at.get("page_link") if "unit=" in el.proto.query_string]
    labels = [label for label, _ in links]
    assert len(labels) == len(set(labels)), labels  # no two identical rows
    assert labels[0].startswith(old) and "unit=p27" in links[0][1]  # the old province keeps its own results
    assert labels[1].startswith(new) and "unit=p24-2025" in links[1][1]
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert note in captions
    assert not any("không còn là đơn vị hành chính riêng; nay thuộc" in c for c in captions)


@pytest.mark.parametrize(
    "query,unit",
    [
        ("ha noi", "p01"),
        ("hcm", "p79"),
        ("tp hcm", "p79"),
        ("TP.HCM", "p79"),
        ("thua thien hue", "p46"),
        ("so tu phap", "hn-tuphap"),
        ("cau giay", "d005"),
    ],
)
def test_search_without_accents_leads_first_to_the_unit(query, unit):
    at = run_page("pages/overview.py", lang="vi")
    at.text_input(key="search_q").input(query).run()
    friendly_only(at)
    first = next(el for el in at.get("page_link") if "unit=" in el.proto.query_string)
    assert f"unit={unit}&" in first.proto.query_string + "&"


def test_par_leader_score_is_printed_in_percent():
    at = run_page("pages/overview.py", lang="vi")
    friendly_only(at)
    assert any(m.value.endswith("%") for m in at.markdown if m.value[:1].isdigit())


@pytest.mark.parametrize(
    "lang,counts,link",
    [
        ("vi", "10 đơn vị được nêu, 6 có điểm", "Bảng đầy đủ gần nhất: 2020"),
        ("en", "10 units listed, 6 with a score", "Latest complete table: 2020"),
    ],
)
def test_a_partial_latest_edition_says_how_complete_it_is_and_links_the_latest_complete_one(lang, counts, link):
    """PCI 2024 lists 10 provinces (VCCI's published rows), 6 with a score; PCI 2020 is the latest complete table."""
    at = run_page("pages/overview.py", lang=lang)
    friendly_only(at)
    assert any(counts in c.value for c in at.caption), [c.value for c in at.caption]
    links = [el for el in at.get("page_link") if el.proto.label == link]
    assert links, [el.proto.label for el in at.get("page_link")]
    assert links[0].proto.query_string == f"lang={lang}&index=pci&year=2020"
