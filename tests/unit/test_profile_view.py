"""The cached /unit view model (cchc_data/views/unit.py) and the one unit search (queries.units.match_units)."""

from __future__ import annotations

import dataclasses
import pickle

import pyarrow as pa
import pytest

from cchc_data import queries as q
from cchc_data.charts.profile import segments
from cchc_data.views import unit as vu

URL = "http://example.test/unit?unit=p01&index=papi&year=2019&lang=vi"


def _sections(view: vu.UnitView) -> list[vu.Section]:
    parts = [view.standing, view.strengths, view.change, view.cross, view.trend, view.lineage]
    return [p for p in parts if p is not None] + list(view.predecessor_cards)


def _texts(view: vu.UnitView) -> str:
    out = [view.title, view.subtitle, view.merged or "", view.notice or "", view.citation or ""]
    for s in _sections(view):
        out += [
            s.title,
            s.text,
            s.warning or "",
            *s.notes,
            *(m.value for m in s.metrics),
            *(c.caption for c in s.charts),
        ]
    return "\n".join(out)


def test_hanoi_papi_2019_view_is_frozen_ready_to_draw_and_has_a_working_png_and_csv():
    view = vu.build_unit_view("p01", "papi", 2019, "vi", URL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.title = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(view)).title == view.title  # survives st.cache_data's pickling
    body = _texts(view)
    assert "Hà Nội" in body and "41,53" in body and URL in view.texts["citation_plain"] and view.citation
    charts = [c for s in _sections(view) for c in s.charts]
    assert len(charts) >= 5 and all(isinstance(c.spec, dict) for c in charts)
    assert all(c.spec["config"]["locale"]["number"]["decimal"] == "," for c in charts)
    tables = [s.table for s in _sections(view) if s.table is not None]
    assert tables and all(isinstance(tb, pa.Table) for tb in tables)  # converted once, not per session
    png = vu.summary_png(*view.png_args)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert view.history_csv is not None and len(view.history_csv) and URL in view.texts["citation_plain"]


def test_view_follows_language_and_is_the_same_from_the_cache():
    en = vu.build_unit_view("p01", "papi", 2019, "en", URL)
    assert "41.53" in _texts(en) and "From 2018 to 2019" in _texts(en).replace("\\", "")
    assert _texts(vu.build_unit_view("p01", "papi", 2019, "en", URL)) == _texts(en)
    assert _texts(vu.build_unit_view("p01", "papi", 2019, "vi", URL)) != _texts(en)


@pytest.mark.parametrize("lang,rank,score", [("vi", "2/63", "84,64%"), ("en", "2 of 63", "84.64%")])
def test_par_rank_is_out_of_the_provinces_and_the_score_as_printed(lang, rank, score):
    view = vu.build_unit_view("p01", "par", 2019, lang, URL)
    m = {x.label: x.value for x in view.standing.metrics}
    assert m[("Hạng" if lang == "vi" else "Rank")] == rank
    assert m[("Tổng điểm" if lang == "vi" else "Total score")] == score
    assert score in view.standing.text
    cross = {x.label: x.value for x in view.cross.metrics}
    assert cross["PAPI"] == ("59/63" if lang == "vi" else "59 of 63")  # the same year on every other index
    assert rank in cross.values()


def test_source_notes_follow_the_language():
    vi = vu.build_unit_view("p01", "par", 2019, "vi", URL)
    en = vu.build_unit_view("p01", "par", 2019, "en", URL)
    assert not any("Printed as" in n for n in vi.standing.notes)  # no English note on a Vietnamese page
    assert any("Printed as" in n for n in en.standing.notes)
    for view in (vi, en):
        body = _texts(view)
        assert "None" not in body and "data/sources" not in body


def test_segments_break_at_a_missing_edition_and_at_a_method_change():
    assert segments([2011, 2012, 2013]) == [0, 0, 0]
    assert segments([2019, 2022], edition_years=[2019, 2020, 2021, 2022]) == [0, 1]  # no bridge over 2020–21
    assert segments([2016, 2017, 2018, 2019], break_years=[2018]) == [0, 0, 1, 1]


def test_trend_lines_break_at_papi_2018_method_change():
    view = vu.build_unit_view("p01", "papi", 2019, "en", URL)
    papi = next(c for c in view.trend.charts if c.title == "PAPI")
    layers = papi.spec["layer"]
    assert any(lay.get("mark", {}).get("type") == "rule" for lay in layers)  # the dashed rule at the change
    assert "2018" in " ".join(view.trend.notes)


def test_picker_labels_and_context():
    version = q.data_version()
    ids, recs = vu.picker(version)
    assert "p01" in ids and len(ids) == len(recs) == len(set(ids))
    labels = vu.labels("en", version)
    assert set(labels) == set(ids)
    assert labels["p01"].startswith("Ha Noi")
    district = next(u for u in ids if recs[u]["kind"] == "district" and recs[u].get("parent_unit_id"))
    parent = q.unit(recs[district]["parent_unit_id"])
    assert labels[district].endswith(parent["name_en"] or parent["name_vi"])
    ctx = vu.unit_context("p08-2025")  # post-merger: indices of its predecessors
    assert ctx.indices and all(code in ctx.years for code in ctx.indices)
    years, default = ctx.years[ctx.indices[0]]
    assert default in years


def test_a_department_with_data_only_in_2022_opens_on_2022():
    ctx = vu.unit_context("hn-tuphap")
    years, default = ctx.years["par_hanoi"]
    assert default == 2022 and 2019 in years
    view = vu.build_unit_view("hn-tuphap", "par_hanoi", 2022, "vi", URL)
    assert "90,42" in _texts(view)
    # the change note names the year without figures, not both
    note = " ".join(view.change.notes)
    assert "2021" in note and "cả hai kỳ" in note and "năm 2021" in note


def test_picker_search_folds_accents_and_matches_codes_aliases_and_parents():
    version = q.data_version()
    ids, recs = vu.picker(version)
    assert vu.is_large(version) == (len(ids) > vu.LARGE_PICKER)
    keys = q.units._search_keys("vi", version)
    for query in ("Hà Nội", "HA NOI", "ha noi", "Ha-Noi"):
        got, n = vu.search("vi", query)
        assert got[0] == "p01", query  # the name starting with the query comes first, provinces first
        assert n >= len(got) and all(" ha" in keys[ids.index(u)] for u in got)
    for query, first in (
        ("hcm", "p79"),
        ("tp hcm", "p79"),
        ("TP.HCM", "p79"),
        ("so tu phap", "hn-tuphap"),
        ("cau giay", "d005"),
        ("bac ninh", "p27"),
        ("thua thien hue", "p46"),
        ("da nang", "p48"),
    ):
        assert vu.search("vi", query)[0][0] == first, query
    assert vu.search("en", "01")[0][0] == "p01"  # the admin code
    assert vu.search("vi", "bo gd dt")[0] == ["m-moet"]  # an alias ("Bộ GD&ĐT")
    assert vu.search("vi", "ha tay")[0][0] == "p-hatay"  # a merged province is still found
    # every word must start a word: "ha tay" does not match "Châu Thành" (… "thanh") in Tây Ninh
    assert not any("Châu Thành" in vu.labels("vi", version)[u] for u in vu.search("vi", "ha tay")[0])
    got, n = vu.search("vi", "ha noi")
    assert any(recs[u]["kind"] == "district" for u in got) and n > 1  # by its province's name, after it
    assert vu.search("vi", "") == ([], 0) and vu.search("vi", "   ") == ([], 0)
    assert vu.search("vi", "zzzq") == ([], 0)
    cut, total = vu.search("vi", "h", limit=5)
    assert len(cut) == 5 and total > 5
    pool_hits, pool_n = q.match_units("ha noi", "vi", pool=["p01", "p79"])
    assert pool_hits == ["p01"] and pool_n == 1  # limited to a picker's own units


def _axes(spec: dict) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            enc = node.get("encoding", {})
            for ch in ("x", "y"):
                if isinstance(enc.get(ch), dict):
                    found.append(enc[ch])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def test_trend_axes_print_published_figures_and_integer_ranks():
    """A single-value score axis read "90,420000" and rank axes had ticks at 1,5 and 2,5 (issue 14)."""
    view = vu.build_unit_view("hn-tuphap", "par_hanoi", 2022, "vi", URL)
    score = [a for c in view.trend.charts for a in _axes(c.spec) if a.get("field") == "total"]
    assert score and all(a["axis"]["format"] == ",~f" for a in score)  # 90,42, never 90,420000
    hanoi = vu.build_unit_view("p01", "papi", 2019, "vi", URL)
    ranks = [a for c in hanoi.trend.charts for a in _axes(c.spec) if a.get("field") == "rank"]
    assert ranks and all(a["axis"]["format"] == "d" and a["axis"]["tickMinStep"] == 1 for a in ranks)
    years = [a for c in hanoi.trend.charts for a in _axes(c.spec) if a.get("field") == "year" and "axis" in a]
    assert years and all(a["axis"]["format"] == "d" for a in years)
