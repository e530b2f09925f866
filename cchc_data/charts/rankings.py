"""Ranking bar chart: one bar per unit, the selected unit highlighted."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .common import BASE, HIGHLIGHT, finish, number_format


def ranking_bars(
    df: pd.DataFrame,
    lang: str,
    *,
    label_col: str,
    score_title: str,
    unit_title: str,
    rank_title: str,
    highlight_unit: str | None = None,
) -> alt.TopLevelMixin:
    """df needs unit_id, `label_col`, total, rank. Units without a score are left out (they have no bar)."""
    data = df.loc[df.total.notna(), ["unit_id", label_col, "total", "rank"]].rename(columns={label_col: "label"})
    data["rank"] = data["rank"].astype("float")
    data["selected"] = data.unit_id == highlight_unit
    order = data.sort_values(["total", "label"], ascending=[False, True]).label.tolist()
    height = max(160, 18 * len(data))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("total:Q", title=score_title, axis=alt.Axis(format=number_format(0))),
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=200, labelOverlap=False)),
            color=alt.condition(alt.datum.selected, alt.value(HIGHLIGHT), alt.value(BASE)),
            tooltip=[
                alt.Tooltip("label:N", title=unit_title),
                alt.Tooltip("total:Q", title=score_title, format=number_format(2)),
                alt.Tooltip("rank:Q", title=rank_title, format="d"),
            ],
        )
        .properties(height=height, width="container")
    )
    return finish(chart, lang)


CHART_MAX_BARS = 60


def chart_window(df: pd.DataFrame, selected: str | None, half: int = 15) -> pd.DataFrame:
    """Every unit when there are few; else the leaders, and the selected unit with its neighbours."""
    scored = df[df.total.notna()].sort_values("total", ascending=False).reset_index(drop=True)
    if len(scored) <= CHART_MAX_BARS:
        return scored
    keep = set(range(2 * half))
    if selected in set(scored.unit_id):
        at = int(scored.index[scored.unit_id == selected][0])
        keep = set(range(half)) | set(range(max(0, at - half), min(len(scored), at + half + 1)))
    return scored.loc[sorted(keep)]
