"""Pure Altair builders for the map page: choropleth, change map, small multiples (one chart per year and one
legend: map_panel, map_legend), and the dot strip of units that have no shape (ministries, departments, Hà Tây).

Every builder takes prepared rows (one per shape, from queries.maps.join_layer) plus the layer's TopoJSON
(or its URL: queries.maps.layer_geometry).
The rows are the chart's data; each row looks its geometry up by `code` in the TopoJSON (whose geometry
ids are GSO codes). Small multiples are one chart per year, each naming the same served URL, which the browser
fetches once. Units without a figure are drawn in a neutral grey with their own legend entry ("no data"),
never on the colour scale.
Text fields (score, rank, tier, link) are pre-formatted in the chosen language by the view (views.map.map_rows):
the builders draw, they do not format."""

from __future__ import annotations

import json
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.schemapi import debug_mode

from .. import fmt
from ..i18n import t
from ._common import legend_marks, legend_only
from .common import DIVERGING_SCHEME, MUTED, NO_DATA, SEQUENTIAL_SCHEME, finish

__all__ = [
    "choropleth",
    "change_map",
    "map_panel",
    "map_legend",
    "no_shape_strip",
    "no_shape_histogram",
    "STRIP_MAX",
    "value_domain",
    "spec_bytes",
]

GEO_FEATURE = "units"
STROKE = "#FFFFFF"
NO_DATA_STROKE = "#9A9A9A"


def _geo(topo: dict | str) -> alt.InlineData | alt.UrlData:
    """The layer's shapes: a URL the browser fetches once and caches, or the TopoJSON inlined."""
    fmt_ = alt.DataFormat(type="topojson", feature=GEO_FEATURE)
    if isinstance(topo, str):
        return alt.UrlData(url=topo, format=fmt_)
    return alt.InlineData(values=topo, format=fmt_)


def value_domain(*series) -> list[float] | None:
    """[min, max] over all values given (map and strip share one colour scale)."""
    vals = [float(v) for s in series for v in pd.to_numeric(pd.Series(s), errors="coerce").dropna()]
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    return [lo, hi] if hi > lo else [lo - 1, hi + 1]


def _sequential(domain: list | None) -> alt.Scale:
    """The values' colour scale (viridis), fixed to `domain` when there is one."""
    return alt.Scale(scheme=SEQUENTIAL_SCHEME, domain=domain) if domain else alt.Scale(scheme=SEQUENTIAL_SCHEME)


def _tooltip(lang: str, value_title: str, extra: list | None = None) -> list:
    return [
        alt.Tooltip("name:N", title=t("common.unit", lang)),
        *(extra or []),
        alt.Tooltip("value_text:N", title=value_title),
        alt.Tooltip("rank_text:N", title=t("common.rank", lang)),
        alt.Tooltip("tier_text:N", title=t("common.tier", lang)),
    ]


def _no_data_opacity(lang: str, legend: bool = True) -> alt.Opacity:
    """'No data' gets its own legend entry (a grey square) through the opacity channel, so it never shares (or
    extends) the colour scale of the values."""
    return alt.Opacity(
        "no_data:N",
        scale=alt.Scale(domain=[t("common.no_data", lang)], range=[1]),
        legend=alt.Legend(
            title=None,
            orient="bottom",
            symbolType="square",
            symbolFillColor=NO_DATA,
            symbolStrokeColor=NO_DATA_STROKE,
            symbolOpacity=1,
            symbolSize=200,
        )
        if legend
        else None,
    )


def _value_colour(scale: alt.Scale, value_title: str, legend: alt.Legend | None) -> alt.Color:
    return alt.Color("value:Q", scale=scale, title=value_title, legend=legend)


def _value_legend(
    value_title: str, legend_format: str, orient: Literal["bottom", "top"], gradient_length: int, **more
) -> alt.Legend:
    """The colour scale's legend: titled with the value, long enough to read, labels thinned where they meet."""
    return alt.Legend(
        title=value_title,
        format=legend_format,
        orient=orient,
        gradientLength=gradient_length,
        titleLimit=320,
        labelOverlap="greedy",
        **more,
    )


def _layers(
    value_title: str, lang: str, scale: alt.Scale, legend_format: str, tooltip: list, link: bool, legend: bool = True
) -> list:
    grey = (
        alt.Chart()
        .mark_geoshape(fill=NO_DATA, stroke=NO_DATA_STROKE, strokeWidth=0.4)
        .encode(shape=alt.Shape("geo:G"), opacity=_no_data_opacity(lang, legend), tooltip=tooltip)
        .transform_filter("!datum.has_data")
    )
    colour_legend = _value_legend(value_title, legend_format, "bottom", 260) if legend else None
    enc = dict(shape=alt.Shape("geo:G"), color=_value_colour(scale, value_title, colour_legend), tooltip=tooltip)
    if link:
        enc["href"] = alt.Href("href:N")
    data = (
        alt.Chart()
        .mark_geoshape(stroke=STROKE, strokeWidth=0.4, cursor="pointer" if link else "default")
        .encode(**enc)
        .transform_filter("datum.has_data")
    )
    return [grey, data]


def _base_transforms(chart, topo: dict | str):
    # Altair validates every object as it is built, walking the whole TopoJSON (seconds for 705 districts);
    # the spec is still validated once, as a whole, by to_dict().
    with debug_mode(False):
        return chart.transform_lookup(lookup="code", from_=alt.LookupData(data=_geo(topo), key="id"), as_="geo")


def _single_map(
    layers: list, rows: pd.DataFrame, topo: dict | str, height: int, description: str, lang: str
) -> alt.TopLevelMixin:
    chart = alt.layer(*layers, data=rows).properties(
        width="container", height=height, projection=alt.Projection(type="mercator")
    )
    chart = _base_transforms(chart, topo)
    if description:
        chart = chart.properties(description=description)
    return finish(chart, lang)


def choropleth(
    rows: pd.DataFrame,
    topo: dict | str,
    lang: str,
    value_title: str,
    domain: list | None = None,
    height: int = 560,
    link: bool = True,
    description: str = "",
) -> alt.TopLevelMixin:
    """One map: viridis over the values, grey 'no data' with its own legend entry, tooltips, links."""
    scale = _sequential(domain)
    layers = _layers(value_title, lang, scale, ",.2f", _tooltip(lang, value_title), link)
    return _single_map(layers, rows, topo, height, description, lang)


def change_map(
    rows: pd.DataFrame,
    topo: dict | str,
    lang: str,
    value_title: str,
    year_from: int,
    year_to: int,
    height: int = 560,
    link: bool = True,
    description: str = "",
) -> alt.TopLevelMixin:
    """Change between two years on a diverging scale centred on zero (blue: up, orange: down)."""
    vals = pd.to_numeric(rows["value"], errors="coerce").dropna()
    m = float(vals.abs().max()) if len(vals) else 1.0
    m = m if m > 0 else 1.0
    scale = alt.Scale(scheme=DIVERGING_SCHEME, domain=[-m, m], domainMid=0, reverse=True)
    extra = [alt.Tooltip("from_text:N", title=str(year_from)), alt.Tooltip("to_text:N", title=str(year_to))]
    tooltip = [
        alt.Tooltip("name:N", title=t("common.unit", lang)),
        *extra,
        alt.Tooltip("value_text:N", title=value_title),
    ]
    layers = _layers(value_title, lang, scale, "+,.1f", tooltip, link)
    return _single_map(layers, rows, topo, height, description, lang)


def map_panel(
    rows: pd.DataFrame,
    topo: dict | str,
    lang: str,
    value_title: str,
    domain: list | None,
    title: str,
    height: int = 300,
    link: bool = True,
    description: str = "",
) -> alt.TopLevelMixin:
    """One year of the small multiples as its own chart, as wide as its container (so the set stacks on a
    phone): the colour scale fixed to `domain` (one domain over all the years shown, the same in every panel),
    no legend of its own (map_legend draws the set's one legend), tooltips with the year, links to the unit."""
    scale = _sequential(domain)
    tooltip = _tooltip(lang, value_title, [alt.Tooltip("year:O", title=t("common.year", lang))])
    layers = _layers(value_title, lang, scale, ",.2f", tooltip, link, legend=False)
    chart = _single_map(layers, rows, topo, height, description, lang)
    return chart.properties(title=alt.TitleParams(title, anchor="middle", fontSize=14, fontWeight="bold"))


def map_legend(lang: str, value_title: str, domain: list | None, no_data: bool = True) -> alt.TopLevelMixin:
    """The one legend of a set of map panels: the colour scale over `domain` (as in map_panel) and, when some
    shape has no figure, the grey "no data" entry. Nothing else is drawn; it fits a phone's width."""
    nodata = t("common.no_data", lang)
    lo, hi = (domain or [0.0, 1.0])[:2]
    d = pd.DataFrame({"value": [float(lo), float(hi)], "no_data": nodata})
    scale = _sequential(domain)
    colour_legend = _value_legend(value_title, ",.2f", "top", 240, direction="horizontal")
    layers = [legend_marks(d, "square", _value_colour(scale, value_title, colour_legend))]
    if no_data:
        layers.append(
            alt.Chart(d.head(1))
            .mark_square(size=0, fill=NO_DATA, stroke=NO_DATA_STROKE)
            .encode(opacity=_no_data_opacity(lang))
        )
    chart = legend_only(alt.layer(*layers))
    return finish(chart, lang)


def no_shape_strip(
    rows: pd.DataFrame,
    lang: str,
    value_title: str,
    domain: list | None = None,
    link: bool = True,
    row_height: int = 30,
    description: str = "",
) -> alt.TopLevelMixin:
    """Units with no shape (ministries, departments, Hà Tây) as a dot strip: one row per unit, sorted by
    value, on the same value axis and colour scale as the map (so sectors and territories read together)."""
    rows = rows[rows["has_data"]].copy()
    scale = _sequential(domain)
    groups = " · ".join(dict.fromkeys(rows["group_label"])) if "group_label" in rows else None
    x_scale = alt.Scale(domain=domain, zero=False, nice=False) if domain else alt.Scale(zero=False)
    enc = dict(
        x=alt.X(
            "value:Q",
            title=value_title,
            scale=x_scale,
            axis=alt.Axis(format=",.2f", labelFlush=True, tickCount=4, titleLimit=260),
        ),
        y=alt.Y(
            "name:N",
            title=groups,
            sort=alt.EncodingSortField("value", order="descending"),
            axis=alt.Axis(labelLimit=200, titleLimit=260),
        ),
        color=alt.Color("value:Q", scale=scale, legend=None),
        tooltip=[
            alt.Tooltip("name:N", title=t("common.unit", lang)),
            alt.Tooltip("group_label:N", title=t("control.group", lang)),
            alt.Tooltip("value_text:N", title=value_title),
            alt.Tooltip("rank_text:N", title=t("common.rank", lang)),
        ],
    )
    if link:
        enc["href"] = alt.Href("href:N")
    rule = (
        alt.Chart(rows)
        .mark_rule(color=MUTED, strokeWidth=1)
        .encode(
            x=alt.X("value:Q", scale=x_scale),
            x2=alt.X2Datum(domain[0] if domain else 0),
            y=alt.Y("name:N", sort=alt.EncodingSortField("value", order="descending")),
        )
    )
    dots = alt.Chart(rows).mark_circle(size=110, opacity=1, stroke="#333333", strokeWidth=0.5).encode(**enc)
    chart = alt.layer(rule, dots).properties(width="container", height=alt.Step(row_height))
    if description:
        chart = chart.properties(description=description)
    return finish(chart, lang)


# Above this many units without a shape, one dot per unit is unreadable and heavy (10,000 communes: a 2.9 MB
# spec per rerun, docs/performance.md); the page draws their distribution (no_shape_histogram) instead.
STRIP_MAX = 150


def no_shape_histogram(
    rows: pd.DataFrame, lang: str, value_title: str, domain: list | None = None, bins: int = 40, description: str = ""
) -> alt.TopLevelMixin:
    """Many units with no shape (e.g. thousands of communes) as a histogram of their values: `bins` equal bins
    over the map's value domain, each bar coloured on the map's colour scale at its middle value. The spec
    holds `bins` rows whatever the number of units."""
    vals = pd.to_numeric(rows.loc[rows["has_data"].astype(bool), "value"], errors="coerce").dropna().to_numpy(float)
    lo, hi = (float(domain[0]), float(domain[1])) if domain else (float(vals.min()), float(vals.max()))
    if hi <= lo:
        hi = lo + 1.0
    counts, edges = np.histogram(np.clip(vals, lo, hi), bins=bins, range=(lo, hi))
    data = pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "mid": (edges[:-1] + edges[1:]) / 2, "n": counts})
    data = data[data.n > 0]
    data["range_text"] = [f"{fmt.number(a, lang)} – {fmt.number(b, lang)}" for a, b in zip(data.lo, data.hi)]
    scale = alt.Scale(scheme=SEQUENTIAL_SCHEME, domain=[lo, hi])
    x_scale = alt.Scale(domain=[lo, hi], zero=False, nice=False)
    n_title = t("map.hist_count", lang)
    chart = (
        alt.Chart(data)
        .mark_bar(stroke="#333333", strokeWidth=0.3)
        .encode(
            x=alt.X(
                "lo:Q",
                title=value_title,
                scale=x_scale,
                axis=alt.Axis(format=",.2f", labelFlush=True, tickCount=4, titleLimit=260),
            ),
            x2="hi:Q",
            y=alt.Y("n:Q", title=n_title, axis=alt.Axis(format=",d", tickMinStep=1)),
            y2=alt.Y2Datum(0),
            color=alt.Color("mid:Q", scale=scale, legend=None),
            tooltip=[alt.Tooltip("range_text:N", title=value_title), alt.Tooltip("n:Q", title=n_title, format=",d")],
        )
        .properties(width="container", height=220)
    )
    if description:
        chart = chart.properties(description=description)
    return finish(chart, lang)


def spec_bytes(chart: alt.TopLevelMixin) -> int:
    """Bytes of the Vega-Lite spec the browser receives (compact JSON, as Streamlit sends it)."""
    return len(json.dumps(chart.to_dict(), separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
