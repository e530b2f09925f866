"""Pieces shared by the chart builders of several pages (maps, compare): the one-legend charts that stand
above a set of small-multiple panels, each as wide as its container and as tall as its legend."""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd


def legend_marks(data: pd.DataFrame, mark: Literal["point", "square"], colour: alt.Color) -> alt.Chart:
    """Invisible marks of type `mark` over `data`, coloured by `colour`: only the colour's legend is seen."""
    return alt.Chart(data, mark=alt.MarkDef(type=mark, opacity=0)).encode(color=colour)


def legend_only(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A chart of legends only: as wide as its container (the legend fits a phone's width), as tall as the
    legend."""
    return chart.properties(width="container", height=1, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
