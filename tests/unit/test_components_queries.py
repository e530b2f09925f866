"""Components queries: tree diffs (method changes), % of max vs raw, distribution summary, self/appraised.

Pure functions are tested on small frames built here; the query functions on the shipped data and on
the synthetic fixture store (tests/fixtures.py, max_score 10, labelled synthetic)."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_data.queries import compare as qp
from cchc_data.queries import component_scores as qc


def tree(rows):
    return pd.DataFrame(
        rows, columns=["component_id", "parent_component_id", "name_vi", "name_en", "position", "level"]
    )


def test_diff_components_finds_added_dropped_and_renamed():
    prev = tree(
        [
            ("a", "", "A", "A", 1, "dimension"),
            ("a.x", "a", "X", "X", 2, "sub_dimension"),
            ("a.y", "a", "Y", "Y", 3, "sub_dimension"),
        ]
    )
    cur = tree(
        [
            ("a", "", "A", "A", 1, "dimension"),
            ("a.x", "a", "X mới", "X new", 2, "sub_dimension"),
            ("b", "", "B", "B", 2, "dimension"),
            ("b.z", "b", "Z", "Z", 3, "sub_dimension"),
        ]
    )
    diff = qc.diff_components(cur, prev)
    got = {(r.change, r.component_id) for r in diff.itertuples()}
    assert got == {("added", "b"), ("added", "b.z"), ("dropped", "a.y"), ("renamed", "a.x")}
    renamed = diff[diff.change == "renamed"].iloc[0]
    assert (renamed.old_name_en, renamed.name_en) == ("X", "X new")
    assert diff.iloc[0].level == "dimension"  # dimensions first
    # The sub-component of an added component is implied by it and dropped from the notes.
    quiet = qc.drop_children_of_added(diff)
    assert set(quiet.component_id) == {"b", "a.y", "a.x"}


def test_diff_components_without_previous_is_empty():
    cur = tree([("a", "", "A", "A", 1, "dimension")])
    assert qc.diff_components(cur, None).empty
    assert qc.diff_components(cur, cur).empty


def test_add_values_uses_percent_only_where_every_component_has_a_maximum():
    df = pd.DataFrame(
        {"edition_id": ["e1", "e1", "e2", "e2"], "score": [5.0, 2.0, 5.0, 2.0], "max_score": [10.0, 4.0, 10.0, None]}
    )
    out = qc.add_values(df)
    assert out[out.edition_id == "e1"].value.tolist() == [50.0, 50.0]
    assert set(out[out.edition_id == "e1"].value_kind) == {"pct"}
    # e2 has one component without a maximum: the whole edition stays raw, never mixing % and points.
    assert out[out.edition_id == "e2"].value.tolist() == [5.0, 2.0]
    assert set(out[out.edition_id == "e2"].value_kind) == {"raw"}


def test_distribution_summary_median_best_and_ties():
    df = pd.DataFrame(
        {
            "component_id": ["c"] * 4,
            "position": [1] * 4,
            "component_vi": ["C"] * 4,
            "component_en": ["C"] * 4,
            "name_vi": ["A", "B", "C", "D"],
            "name_en": ["A", "B", "C", "D"],
            "value": [1.0, 3.0, 3.0, None],
            "value_kind": ["raw"] * 4,
        }
    )
    s = qc.distribution_summary(df).iloc[0]
    assert s.n == 3 and s["median"] == 3.0 and s.best == 3.0 and s.best_en == "B, C"


def test_shipped_papi_2018_flags_two_added_dimensions_and_subdimension_changes():
    every = qp.method_changes("papi", "provinces")
    changes = every[every.year == 2018]
    dims = changes[changes.level == "dimension"]
    assert set(dims.component_id) == {"environmental_governance", "e_governance"}
    assert set(dims.change) == {"added"}
    subs = changes[(changes.level == "sub_dimension") & (changes.change == "dropped")]
    assert "participation_at_local_levels.quality_of_elections" in set(subs.component_id)
    renamed = every[every.year == 2016]
    assert "vertical_accountability.people_s_inspection_boards" in set(
        renamed[renamed.change == "renamed"].component_id
    )
    assert every[every.year == 2011].empty


def test_shipped_papi_2019_scores_are_raw_and_complete():
    df = qc.component_scores("papi-2019", "provinces")
    assert df.unit_id.nunique() == 63 and df.component_id.nunique() == 8
    assert set(df.value_kind) == {"raw"} and df.pct_of_max.isna().all()
    assert (df.value == df.score).all()
    sub = qc.component_scores("papi-2019", "provinces", "transparency")
    assert set(sub.component_id) == {
        c for c in qc.component_tree("papi-2019", "provinces").component_id if c.startswith("transparency.")
    }
    assert qc.self_appraised(df).empty  # not published for PAPI


def test_component_path_walks_to_the_top():
    t = qc.component_tree("papi-2019", "provinces")
    path = qc.component_path(t, "transparency.poverty_lists")
    assert [p["component_id"] for p in path] == ["transparency", "transparency.poverty_lists"]


def test_fixture_max_scores_give_percent_of_max(tiny_data):
    df = qc.component_scores("papi-2019", "provinces")
    assert set(df.value_kind) == {"pct"}
    row = df[(df.unit_id == "p01") & (df.component_id == "participation")].iloc[0]
    assert row.value == pytest.approx(row.score / 10 * 100)
    # Hà Giang has no 2019 scores: its cells are gaps, not zeros.
    assert df[df.unit_id == "p02"].value.isna().all()


def test_value_bins_count_every_scored_unit_per_component():
    rng = __import__("numpy").random.default_rng(3)  # synthetic values, generated here
    n = 1_000
    df = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(n)] * 2,
            "component_id": ["a"] * n + ["b"] * n,
            "position": [1] * n + [2] * n,
            "component_vi": ["A"] * n + ["B"] * n,
            "component_en": ["A"] * n + ["B"] * n,
            "value_kind": "pct",
            "value": list(rng.uniform(0, 100, n)) + [None] * 10 + list(rng.uniform(50, 60, n - 10)),
        }
    )
    bins = qc.value_bins(df, bins=20)
    assert bins.groupby("component_id").n.sum().to_dict() == {"a": 1000, "b": 990}
    assert len(bins) <= 40 and (bins.bin_hi > bins.bin_lo).all()
    assert bins.bin_lo.min() == pytest.approx(df.value.min()) and bins.bin_hi.max() == pytest.approx(df.value.max())


def test_component_view_of_a_large_group_keeps_the_edges_and_the_highlighted_unit(tiny_data, monkeypatch):
    eds = qc.component_editions()
    row = eds.iloc[0]
    full = qc.component_scores(row.edition_id, row.unit_group)
    order = full.drop_duplicates("unit_id")
    ranked = order[order.total.notna()].unit_id.tolist()
    assert len(ranked) >= 4
    middle = ranked[len(ranked) // 2]
    monkeypatch.setattr(qc, "LARGE_GROUP", 2)
    monkeypatch.setattr(qc, "EDGE", 1)
    view = qc.component_view(row.edition_id, row.unit_group, "", middle)
    assert view["reduced"] and view["n_units"] == len(order)
    assert set(view["heat"].unit_id) == {ranked[0], ranked[-1], middle}
    assert set(view["mine"].unit_id) == {middle}
    assert view["bins"].groupby("component_id").n.sum().sum() == int(full.value.notna().sum())
    assert len(view["units"]) == len(order) and view["summary"].n.sum() == int(full.value.notna().sum())
    monkeypatch.setattr(qc, "LARGE_GROUP", 10_000)
    small = qc.component_view(row.edition_id, row.unit_group, "", None)
    assert not small["reduced"] and len(small["heat"]) == len(full) and small["bins"].empty
