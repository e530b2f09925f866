"""Query layer on the tiny synthetic fixture store."""

import pytest

from cchc_data import queries as q
from cchc_data.queries.rankings import add_tie_bands


def test_ranking_orders_by_rank_with_gaps_last_and_previous_edition(tiny_data):
    df = q.ranking("papi-2019", "provinces", "papi", 2019)
    assert df.unit_id.tolist()[:3] == ["p01", "p48", "p79"]
    assert df.unit_id.tolist()[-1] == "p02"  # no score in 2019: kept, last, rank empty
    assert df.loc[df.unit_id == "p02", "total"].isna().all()
    hanoi = df[df.unit_id == "p01"].iloc[0]
    assert hanoi.prev_rank == 3 and hanoi.rank_change == 2
    assert hanoi.total_change == pytest.approx(3.0)


def test_tie_band_and_points_to_next(tiny_data):
    df = q.ranking("papi-2019", "provinces", "papi", 2019)
    hanoi, danang = (df[df.unit_id == u].iloc[0] for u in ("p01", "p48"))
    # 43.0 vs 42.995: closer than the published precision -> one band covering ranks 1-2
    assert hanoi.tie_band == danang.tie_band
    assert (danang.band_rank_lo, danang.band_rank_hi) == (1, 2)
    assert danang.points_to_next == pytest.approx(0.005)
    hcm = df[df.unit_id == "p79"].iloc[0]
    assert hcm.points_to_next == pytest.approx(2.995)


def test_points_to_next_skips_shared_ranks():
    import pandas as pd

    df = pd.DataFrame({"rank": [1, 1, 3], "total": [50.0, 50.0, 40.0], "total_change": [0.0, 0.0, 0.0]})
    out = add_tie_bands(df)
    assert out.points_to_next.iloc[2] == pytest.approx(10.0)
    assert pd.isna(out.points_to_next.iloc[0])


def test_search_is_accent_insensitive_and_old_names_point_to_successors(tiny_data):
    hits = q.search_units("da nang")
    assert hits.unit_id.iloc[0] == "p48"
    old = q.search_units("HA TAY")
    assert old.unit_id.iloc[0] == "p-hatay"
    assert list(old.successors.iloc[0]) == ["p01"]
    assert q.search_units("'; DROP TABLE units; --").empty
    assert q.search_units("").empty


def test_resolve_unit_by_admin_code_prefers_the_unit_valid_that_year(tiny_data):
    assert q.resolve_unit("01", 2019) == "p01"
    assert q.resolve_unit("p48") == "p48"
    assert q.resolve_unit("08", 2026) == "p08-2025"
    assert q.resolve_unit("nope") is None


def test_latest_editions_and_dimension_changes(tiny_data):
    latest = q.latest_editions()
    assert latest.iloc[0].edition_id == "papi-2019" and latest.iloc[0].unit_id == "p01"
    assert q.dimension_changes("papi-2019", "papi-2018") == {"added": ["e_governance"], "dropped": []}


def test_data_version_changes_with_the_data(tiny_data):
    from cchc_data.db import data_version
    from cchc_data.store import commit_version
    from tests.fixtures import tiny_tables

    before = data_version()
    tables = tiny_tables()
    commit_version(tables, "synthetic test version")
    after = data_version()
    assert before != after


def test_ranking_chart_window_keeps_leaders_and_the_selected_units_neighbours():
    import pandas as pd

    from cchc_data.charts.rankings import chart_window

    df = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(500)],
            "name_vi": "x",
            "total": [500.0 - i for i in range(500)],
            "rank": range(1, 501),
        }
    )
    top = chart_window(df, None)
    assert top.unit_id.tolist() == [f"u{i}" for i in range(30)]
    around = chart_window(df, "u300")
    assert {"u0", "u14", "u285", "u300", "u315"} <= set(around.unit_id) and len(around) == 46
    assert len(chart_window(df.head(40), None)) == 40
