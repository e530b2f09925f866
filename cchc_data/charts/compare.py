"""Pure Altair builders for the compare page: component bars, trends of score and rank with method-change
breaks, small multiples per component, and the like-for-like two-year chart."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..i18n import t
from ._common import legend_marks, legend_only
from .common import CATEGORICAL, finish, number_format
from .components import labelled, value_title

__all__ = [
    "unit_colours",
    "component_bars",
    "trend",
    "component_trends",
    "component_parts",
    "component_panel",
    "unit_legend",
    "like_for_like_chart",
    "segments",
]


def unit_colours(d: pd.DataFrame, unit_ids: list[str]) -> alt.Scale:
    names = d.drop_duplicates("unit_id").set_index("unit_id")["unit"]
    domain = [names[u] for u in unit_ids if u in names.index]
    return alt.Scale(domain=domain, range=CATEGORICAL[: len(domain)])


def _kind(df: pd.DataFrame) -> str:
    kinds = set(df.value_kind.dropna()) if "value_kind" in df else set()
    return "pct" if kinds == {"pct"} else "raw"


def component_bars(df: pd.DataFrame, lang: str, unit_ids: list[str]) -> alt.TopLevelMixin:
    """Side-by-side bars: one group per component, one bar per unit (colour), value = % of max or raw."""
    d = labelled(df, lang)
    kind = _kind(d)
    order = d.drop_duplicates("component_id").sort_values("position").component.tolist()
    scale = unit_colours(d, unit_ids)
    chart = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("component:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
            yOffset=alt.YOffset("unit:N", sort=scale.domain),
            x=alt.X("value:Q", title=value_title(kind, lang), axis=alt.Axis(format=number_format(1))),
            color=alt.Color("unit:N", scale=scale, title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("unit:N", title=t("common.unit", lang)),
                alt.Tooltip("component:N", title=t("components.component", lang)),
                alt.Tooltip("value:Q", title=value_title(kind, lang), format=number_format(2)),
            ],
        )
        .properties(width="container", height=max(120, len(order) * (10 * len(scale.domain) + 14)))
    )
    return finish(chart, lang)


def segments(years: pd.Series, break_years) -> pd.Series:
    """A segment number per year: it grows at each method-change year, so lines do not join across breaks."""
    breaks = sorted(set(int(y) for y in break_years))
    return years.map(lambda y: sum(1 for b in breaks if int(y) >= b))


def line_segments(d: pd.DataFrame, all_years, break_years, key: str = "unit_id") -> pd.Series:
    """A line segment id per row (`key` + a number): a unit's line starts a new segment at each method-change year
    and after a year with no figure, so no line joins across a break or bridges a missing year."""
    order = {y: i for i, y in enumerate(sorted({int(y) for y in all_years}))}
    breaks = sorted({int(b) for b in break_years})
    out = pd.Series("", index=d.index, dtype=object)
    for uid, part in d.groupby(key, sort=False):
        seg, prev = 0, None
        for idx, year in part.year.astype(int).sort_values().items():
            if prev is not None and (
                order.get(year, 0) - order.get(prev, 0) > 1 or any(prev < b <= year for b in breaks)
            ):
                seg += 1
            out[idx] = f"{uid}-{seg}"
            prev = year
    return out


def _break_rules(chart: alt.Chart, x: alt.X, lang: str) -> alt.Chart:
    """Dashed rules at the method-change years of `chart`'s rows, the year and the note in the tooltip."""
    return chart.mark_rule(color="#666666", strokeDash=[4, 3]).encode(
        x=x,
        tooltip=[
            alt.Tooltip("year:O", title=t("common.year", lang)),
            alt.Tooltip("label:N", title=t("compare.note", lang)),
        ],
    )


def _value_y(kind: str, lang: str, **axis) -> alt.Y:
    """The value axis of the component lines (% of max or raw score), not from zero."""
    return alt.Y(
        "value:Q",
        title=value_title(kind, lang),
        scale=alt.Scale(zero=False),
        axis=alt.Axis(format=number_format(1), **axis),
    )


def _break_layer(break_years, lang: str, y_top=None) -> list:
    if not len(break_years):
        return []
    rules = pd.DataFrame({"year": sorted(set(int(y) for y in break_years)), "label": t("compare.method_change", lang)})
    rule = _break_rules(alt.Chart(rules), alt.X("year:O"), lang)
    text = (
        alt.Chart(rules)
        .mark_text(align="right", dx=-4, dy=2, baseline="top", color="#444444", fontSize=11)
        .encode(x=alt.X("year:O"), y=alt.value(0), text="label:N")
    )
    return [rule, text]


def trend(
    totals: pd.DataFrame, lang: str, unit_ids: list[str], measure: str = "total", break_years=()
) -> alt.TopLevelMixin:
    """Score or rank by year, one line per unit; lines break at method-change years (dashed rules) and where a
    unit has no figure for a year."""
    d = labelled(totals, lang).dropna(subset=[measure]).reset_index(drop=True)
    years = sorted(set(totals.year.astype(int)))
    d["segment"] = line_segments(d, years, break_years)
    d = d[["year", "unit_id", "unit", measure, "segment"]]  # only what is drawn: the spec stays small
    scale = unit_colours(labelled(totals, lang), unit_ids)
    if measure == "rank":
        y = alt.Y(
            "rank:Q",
            title=t("compare.rank_axis", lang),
            scale=alt.Scale(reverse=True, zero=False, nice=False),
            axis=alt.Axis(format="d", tickMinStep=1),
        )
        tip = alt.Tooltip("rank:Q", title=t("common.rank", lang), format="d")
    else:
        y = alt.Y(
            "total:Q",
            title=t("metric.total", lang),
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format=number_format(1)),
        )
        tip = alt.Tooltip("total:Q", title=t("metric.total", lang), format=number_format(2))
    x = alt.X(
        "year:O", title=t("common.year", lang), sort=years, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)
    )
    base = alt.Chart(d).encode(
        x=x, y=y, color=alt.Color("unit:N", scale=scale, title=None, legend=alt.Legend(orient="bottom"))
    )
    lines = base.mark_line(strokeWidth=2).encode(detail="segment:N")
    points = base.mark_point(filled=True, size=50).encode(
        tooltip=[
            alt.Tooltip("unit:N", title=t("common.unit", lang)),
            alt.Tooltip("year:O", title=t("common.year", lang)),
            tip,
        ]
    )
    chart = alt.layer(lines, points, *_break_layer(break_years, lang)).properties(width="container", height=260)
    return finish(chart, lang)


def component_trends(
    series: pd.DataFrame, breaks: pd.DataFrame, lang: str, unit_ids: list[str], columns: int = 3
) -> alt.TopLevelMixin:
    """Small multiples: one panel per component, one line per unit over the years. `breaks` has
    (component_id, year) where that component's make-up changed; lines break there and a dashed rule marks it."""
    d = labelled(series, lang).dropna(subset=["value"]).reset_index(drop=True)
    kind = _kind(series)
    scale = unit_colours(labelled(series, lang), unit_ids)
    by_comp = {cid: sorted(set(part.year)) for cid, part in breaks.groupby("component_id")} if len(breaks) else {}
    all_years = sorted(set(series.year.astype(int)))
    d["segment"] = ""
    for cid, part in d.groupby("component_id", sort=False):
        d.loc[part.index, "segment"] = cid + "-" + line_segments(part, all_years, by_comp.get(cid, []))
    d["row_type"] = "score"
    names = labelled(series, lang).drop_duplicates("component_id").set_index("component_id")
    rules = pd.DataFrame(
        [
            {
                "component_id": c,
                "component": names.component.get(c, c),
                "position": names.position.get(c, 0),
                "year": int(y),
                "row_type": "break",
                "label": t("compare.method_change", lang),
            }
            for c, ys in by_comp.items()
            if c in names.index
            for y in ys
        ]
    )
    data = pd.concat([d, rules], ignore_index=True) if len(rules) else d
    order = names.sort_values(["position"]).component.tolist()
    years = sorted(set(series.year.astype(int)))
    x = alt.X("year:O", title=None, sort=years, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=-90))
    lines = (
        alt.Chart()
        .transform_filter("datum.row_type == 'score'")
        .mark_line(strokeWidth=2, point=True)
        .encode(
            x=x,
            y=_value_y(kind, lang),
            color=alt.Color("unit:N", scale=scale, title=None, legend=alt.Legend(orient="bottom")),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("unit:N", title=t("common.unit", lang)),
                alt.Tooltip("component:N", title=t("components.component", lang)),
                alt.Tooltip("year:O", title=t("common.year", lang)),
                alt.Tooltip("value:Q", title=value_title(kind, lang), format=number_format(2)),
            ],
        )
    )
    layers = [lines]
    if len(rules):
        layers.append(_break_rules(alt.Chart().transform_filter("datum.row_type == 'break'"), x, lang))
    chart = (
        alt.layer(*layers, data=data)
        .properties(width=170, height=130)
        .facet(
            facet=alt.Facet("component:N", sort=order, title=None, header=alt.Header(labelLimit=200, labelFontSize=11)),
            columns=columns,
        )
        .resolve_scale(y="independent")
    )
    return finish(chart, lang)


def component_parts(series: pd.DataFrame, breaks: pd.DataFrame, lang: str, unit_ids: list[str]) -> dict:
    """The small multiples split for one chart per panel (each as wide as its column, so they stack on a phone):
    the unit names in colour order (every panel and the one legend use the same colours), the years (every
    panel's x axis), the value kind and, per component in order, its name, rows and method-change years."""
    d = labelled(series, lang)
    names = d.drop_duplicates("component_id").set_index("component_id")
    by_comp = (
        {cid: sorted(set(int(y) for y in part.year)) for cid, part in breaks.groupby("component_id")}
        if len(breaks)
        else {}
    )
    cols = ["year", "unit_id", "unit", "value"]
    panels = []
    for cid in names.sort_values(["position"]).index:
        rows = d[(d.component_id == cid) & d.value.notna()][cols].reset_index(drop=True)
        panels.append(
            {
                "component_id": cid,
                "title": str(names.component[cid]),
                "rows": rows,
                "breaks": tuple(by_comp.get(cid, ())),
            }
        )
    return {
        "units": tuple(unit_colours(d, unit_ids).domain),
        "years": tuple(sorted(set(series.year.astype(int)))),
        "kind": _kind(series),
        "panels": panels,
    }


def _wrap(text: str, width: int = 34) -> list[str] | str:
    lines = textwrap.wrap(text, width) or [text]
    return lines if len(lines) > 1 else lines[0]


def component_panel(
    rows: pd.DataFrame,
    lang: str,
    units: tuple,
    years: tuple,
    break_years: tuple,
    title: str,
    kind: str,
    height: int = 150,
) -> alt.TopLevelMixin:
    """One component's panel of the small multiples: a line per unit over the years (colours from `units`, the
    same in every panel; no legend of its own), lines broken and a dashed rule at each method-change year,
    as wide as its container."""
    d = rows.reset_index(drop=True)
    d["segment"] = line_segments(d, years, break_years)
    scale = alt.Scale(domain=list(units), range=CATEGORICAL[: len(units)])
    x = alt.X(
        "year:O",
        title=None,
        sort=list(years),
        scale=alt.Scale(domain=list(years)),
        axis=alt.Axis(labelAngle=-90, labelOverlap="greedy"),
    )
    lines = (
        alt.Chart(d)
        .mark_line(strokeWidth=2, point=True)
        .encode(
            x=x,
            y=_value_y(kind, lang, tickCount=4, titleFontWeight="normal"),
            color=alt.Color("unit:N", scale=scale, title=None, legend=None),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("unit:N", title=t("common.unit", lang)),
                alt.Tooltip("year:O", title=t("common.year", lang)),
                alt.Tooltip("value:Q", title=value_title(kind, lang), format=number_format(2)),
            ],
        )
    )
    layers = [lines]
    if break_years:
        rules = pd.DataFrame({"year": [int(y) for y in break_years], "label": t("compare.method_change", lang)})
        layers.append(_break_rules(alt.Chart(rules), x, lang))
    chart = alt.layer(*layers).properties(
        width="container",
        height=height,
        title=alt.TitleParams(
            _wrap(title), anchor="start", frame="group", offset=6, fontSize=12, fontWeight="bold", color="#333333"
        ),
    )
    return finish(chart, lang)


def unit_legend(lang: str, units: tuple) -> alt.TopLevelMixin:
    """The one legend of a set of panels: each unit's colour (as in component_panel). As many entries to a row as
    fit a phone's width (~340 px) at the longest name's length, so it is never cut off."""
    scale = alt.Scale(domain=list(units), range=CATEGORICAL[: len(units)])
    longest = max((len(str(u)) for u in units), default=1)
    columns = max(1, min(len(units), 340 // (7 * longest + 36)))
    legend = alt.Legend(
        orient="top",
        direction="horizontal",
        columns=columns,
        symbolType="stroke",
        symbolOpacity=1,
        symbolStrokeWidth=3,
        labelFontSize=12,
        labelLimit=320,
        columnPadding=16,
        rowPadding=4,
    )
    colour = alt.Color("unit:N", scale=scale, title=None, legend=legend)
    chart = legend_only(legend_marks(pd.DataFrame({"unit": list(units)}), "point", colour))
    return finish(chart, lang)


def like_for_like_chart(
    lfl: pd.DataFrame, lang: str, unit_ids: list[str], year_a: int, year_b: int
) -> alt.TopLevelMixin:
    """Per component (rows) and unit (offset, colour): year A (hollow) to year B (filled), joined by a line."""
    d = labelled(lfl, lang)
    kind = _kind(d)
    scale = unit_colours(d, unit_ids)
    order = d.drop_duplicates("component_id").sort_values("position").component.tolist()
    y = alt.Y("component:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    off = alt.YOffset("unit:N", sort=scale.domain)
    colour = alt.Color("unit:N", scale=scale, title=None, legend=alt.Legend(orient="bottom"))
    title = value_title(kind, lang)
    tooltip = [
        alt.Tooltip("unit:N", title=t("common.unit", lang)),
        alt.Tooltip("component:N", title=t("components.component", lang)),
        alt.Tooltip("value_a:Q", title=str(year_a), format=number_format(2)),
        alt.Tooltip("value_b:Q", title=str(year_b), format=number_format(2)),
        alt.Tooltip("change:Q", title=t("compare.change", lang), format="+" + number_format(2)),
    ]
    base = alt.Chart(d).encode(y=y, yOffset=off, color=colour, tooltip=tooltip)
    rule = base.mark_rule(strokeWidth=2, opacity=0.6).encode(x=alt.X("value_a:Q", title=title), x2="value_b:Q")
    a = base.mark_point(filled=False, size=70, strokeWidth=2).encode(
        x=alt.X("value_a:Q", title=title, scale=alt.Scale(zero=False), axis=alt.Axis(format=number_format(2)))
    )
    b = base.mark_point(filled=True, size=70).encode(x=alt.X("value_b:Q", title=title))
    chart = alt.layer(rule, a, b).properties(
        width="container",
        height=alt.Step(12 * len(scale.domain) + 14),
        title=alt.TitleParams(
            t("compare.lfl_chart_title", lang, a=year_a, b=year_b),
            anchor="start",
            fontSize=12,
            fontWeight="normal",
            color="#444444",
        ),
    )
    return finish(chart, lang)
