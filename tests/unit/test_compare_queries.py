"""Compare queries: series, method-change years, like-for-like, peers and the differences table."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_data.queries import compare as qp

HN_HCM_DN = ["p01", "p79", "p48"]


def test_shipped_papi_method_change_years():
    changes = qp.method_change_years(qp.component_history("papi", "provinces"))
    assert {2016, 2018, 2019} <= set(changes.year)
    top_2018 = changes[(changes.year == 2018) & (changes.parent_component_id.fillna("") == "")]
    assert set(top_2018.component_id) == {"environmental_governance", "e_governance"}
    assert (changes.prev_year < changes.year).all()


def test_a_level_not_published_in_an_edition_is_a_gap_not_a_method_change():
    """PAPI 2020, 2021 and 2024 give the 8 dimensions but not their sub-dimensions: those are not "dropped" (and
    not "added" again in 2022: 2022's sub-dimensions are compared with 2019's, the last edition that had them)."""
    history = qp.component_history("papi", "provinces")
    by_year = history.groupby("year")["level"].agg(set)
    if "sub_dimension" in by_year.get(2019, set()) and "sub_dimension" not in by_year.get(2020, {"sub_dimension"}):
        changes = qp.method_change_years(history)
        subs = changes[changes.level == "sub_dimension"]
        assert not len(subs[subs.year.isin([2020, 2021, 2024])])
        assert set(subs[subs.year == 2022].prev_year) <= {2019} and subs[subs.year == 2022].skipped.all()
        assert not len(changes[changes.level == "criterion"][lambda d: d.year == 2022])  # first published: no diff
    tree = pd.DataFrame(
        {  # SYNTHETIC: 3 editions; the middle one publishes only the top level
            "year": [1, 1, 1, 2, 3, 3, 3],
            "component_id": ["a", "a.x", "a.y", "a", "a", "a.x", "a.z"],
            "parent_component_id": ["", "a", "a", "", "", "a", "a"],
            "name_vi": ["A", "X", "Y", "A", "A", "X", "Z"],
            "name_en": [None] * 7,
            "max_score": [None] * 7,
            "position": [1, 2, 3, 1, 1, 2, 3],
            "level": [
                "dimension",
                "sub_dimension",
                "sub_dimension",
                "dimension",
                "dimension",
                "sub_dimension",
                "sub_dimension",
            ],
        }
    )
    changes = qp.method_change_years(tree)
    assert sorted(zip(changes.year, changes.prev_year, changes.change, changes.component_id)) == [
        (3, 1, "added", "a.z"),
        (3, 1, "dropped", "a.y"),
    ]
    assert changes.skipped.all()


def test_shipped_totals_and_component_series_for_three_cities():
    totals = qp.totals_series("papi", "provinces", HN_HCM_DN)
    assert set(totals.unit_id) == set(HN_HCM_DN) and set(range(2011, 2020)) <= set(totals.year)
    assert not totals.rank_official.any()  # PAPI ranks are computed
    series = qp.component_series("papi", "provinces", HN_HCM_DN)
    per_year = series.groupby("year").component_id.nunique()
    assert per_year[2017] == 6 and per_year[2018] == 8


def test_like_for_like_2017_2019_leaves_out_the_two_new_dimensions():
    series = qp.component_series("papi", "provinces", HN_HCM_DN)
    rows, left = qp.like_for_like(series, 2017, 2019)
    assert set(left.component_id) == {"environmental_governance", "e_governance"}
    assert set(left.only_in) == {2019}
    assert rows.component_id.nunique() == 6 and set(rows.value_kind) == {"raw"}
    hn = rows[(rows.unit_id == "p01") & (rows.component_id == "transparency")].iloc[0]
    a = series[(series.year == 2017) & (series.unit_id == "p01") & (series.component_id == "transparency")]
    b = series[(series.year == 2019) & (series.unit_id == "p01") & (series.component_id == "transparency")]
    assert hn.value_a == pytest.approx(a.score.iloc[0]) and hn.value_b == pytest.approx(b.score.iloc[0])
    assert hn.change == pytest.approx(hn.value_b - hn.value_a)


def test_like_for_like_uses_percent_of_max_on_fixture(tiny_data):
    series = qp.component_series("papi", "provinces", ["p01", "p48"])
    rows, left = qp.like_for_like(series, 2018, 2019)
    assert left.component_id.tolist() == ["e_governance"]
    assert set(rows.value_kind) == {"pct"}
    r = rows[(rows.unit_id == "p01") & (rows.component_id == "participation")].iloc[0]
    # fixture scores are total / number of dimensions (rounded to 4 places); the maximum is 10
    assert r.value_a == pytest.approx(round(40.0 / 2, 4) * 10) and r.value_b == pytest.approx(round(43.0 / 3, 4) * 10)


def test_suggested_peers_are_rank_neighbours_never_the_chosen(tiny_data):
    peers = qp.suggested_peers("papi-2018", "provinces", ["p01"])
    assert "p01" not in set(peers.unit_id)
    # 2018 ranks in the fixture: p48 1, p79 2, p01 3, p02 4 -> neighbours within 2 places.
    assert set(peers.unit_id) == {"p48", "p79", "p02"}
    assert peers.iloc[0].rank_distance == 1


def test_shipped_peers_of_three_cities_are_ranked_neighbours():
    peers = qp.suggested_peers("papi-2019", "provinces", HN_HCM_DN, width=1)
    assert len(peers) and (peers.rank_distance <= 1).all()
    assert not set(peers.unit_id) & set(HN_HCM_DN)


def test_differences_table():
    df = pd.DataFrame(
        {
            "unit_id": ["a", "b", "a", "b"],
            "name_vi": ["A", "B", "A", "B"],
            "name_en": ["A", "B", "A", "B"],
            "component_id": ["x", "x", "y", "y"],
            "component_vi": ["X", "X", "Y", "Y"],
            "component_en": ["X", "X", "Y", "Y"],
            "position": [1, 1, 2, 2],
            "value": [5.0, 7.0, 3.0, None],
        }
    )
    out = qp.differences(df, ["b", "a"], "en")
    assert out.columns.tolist() == ["component_id", "component", "B", "A", "Δ A − B", "spread"]
    assert out.loc[0, "Δ A − B"] == pytest.approx(-2.0) and out.loc[0, "spread"] == pytest.approx(2.0)
    assert pd.isna(out.loc[1, "Δ A − B"])


def test_index_groups_and_years():
    assert qp.index_groups("papi") == ["provinces"]
    years = qp.index_years("papi", "provinces")
    assert years == sorted(years, reverse=True) and years[-1] == 2011 and 2019 in years
    assert "ministries" in qp.index_groups("par")
