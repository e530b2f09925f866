"""Pure Altair builders for the components page: heatmap, distribution strip, self/appraised/final.

Input frames come from `cchc_data.queries.components` (columns unit_id, name_vi, name_en, total,
component_id, component_vi, component_en, position, value, value_kind, ...)."""

from __future__ import annotations

import functools
import json
from typing import Literal

import altair as alt
import pandas as pd
import pyarrow as pa

from ..i18n import t
from .common import BASE, HIGHLIGHT, MUTED, NO_DATA, SEQUENTIAL_SCHEME, finish, number_format

__all__ = [
    "labelled",
    "value_title",
    "heatmap",
    "distribution",
    "distribution_binned",
    "self_appraised_chart",
    "svg_bytes",
    "unit_order",
    "component_order",
    "arrow_spec",
]

VERTICAL_TICK = "M-0.12,-1L0.12,-1L0.12,1L-0.12,1Z"  # a thin filled bar: the median


def labelled(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Adds `unit` and `component` display columns in the chosen language."""
    d = df.copy()
    if "name_vi" in d:
        d["unit"] = d.name_vi if lang == "vi" else d.name_en.fillna(d.name_vi)
    if "component_vi" in d:
        d["component"] = d.component_vi if lang == "vi" else d.component_en.fillna(d.component_vi)
    return d


def value_title(kind: str, lang: str) -> str:
    return t("components.value_pct" if kind == "pct" else "components.value_raw", lang)


def _kind(df: pd.DataFrame) -> str:
    kinds = set(df.value_kind.dropna()) if "value_kind" in df else set()
    return "pct" if kinds == {"pct"} else "raw"


def unit_order(d: pd.DataFrame) -> list[str]:
    """Units by total, best first (no total last), then by name."""
    units = d.drop_duplicates("unit_id")[["unit", "total"]]
    units = units.assign(_missing=units.total.isna()).sort_values(
        ["_missing", "total", "unit"], ascending=[True, False, True]
    )
    return units.unit.tolist()


def component_order(d: pd.DataFrame) -> list[str]:
    return d.drop_duplicates("component_id").sort_values("position").component.tolist()


def heatmap(df: pd.DataFrame, lang: str, highlight: str | None = None) -> alt.TopLevelMixin:
    """Units (rows, by total) × components (columns); colour = % of max or raw score; highlighted row outlined."""
    d = labelled(df, lang)
    kind = _kind(d)
    rows, cols = unit_order(d), component_order(d)
    d = d[["unit_id", "unit", "component", "value", "total"]]  # only what is drawn: the spec stays small
    # Every row and column is labelled (issue 14: Vega hid every other overlapping label): column names run
    # upwards, one per column whatever the width (a phone's ~25 px columns hold one 11 px line), cut at
    # labelLimit with the full name in the tooltip; one 17 px step per unit row.
    base = alt.Chart(d).encode(
        x=alt.X(
            "component:N",
            sort=cols,
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=-90,
                labelAlign="left",
                labelBaseline="middle",
                labelLimit=200,
                labelOverlap=False,
                labelFontSize=11,
                labelPadding=4,
            ),
        ),
        y=alt.Y("unit:N", sort=rows, title=None, axis=alt.Axis(labelLimit=130, labelOverlap=False, labelFontSize=11)),
    )
    tooltip = [
        alt.Tooltip("unit:N", title=t("common.unit", lang)),
        alt.Tooltip("component:N", title=t("components.component", lang)),
        alt.Tooltip("value:Q", title=value_title(kind, lang), format=number_format(2)),
        alt.Tooltip("total:Q", title=t("metric.total", lang), format=number_format(2)),
    ]
    empty = base.mark_rect(color=NO_DATA).encode(tooltip=tooltip)
    cells = (
        base.transform_filter("isValid(datum.value)")
        .mark_rect()
        .encode(
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme=SEQUENTIAL_SCHEME),
                title=value_title(kind, lang),
                legend=alt.Legend(orient="bottom", format=number_format(1)),
            ),
            tooltip=tooltip,
        )
    )
    layers = [empty, cells]
    if highlight and highlight in set(d.unit_id):
        layers.append(
            base.transform_filter(alt.datum.unit_id == highlight).mark_rect(
                fill=None, stroke=HIGHLIGHT, strokeWidth=2.5
            )
        )
    chart = alt.layer(*layers).properties(width="container", height=alt.Step(17))
    return finish(chart, lang)


def _role_scale(lang: str, with_selected: bool) -> tuple[list, list, list, list]:
    domain = [t("components.role_unit", lang), t("components.role_median", lang), t("components.role_best", lang)]
    colour = [MUTED, "#000000", BASE]
    shape = ["circle", VERTICAL_TICK, "diamond"]
    size = [40, 300, 110]
    if with_selected:
        domain.append(t("components.role_selected", lang))
        colour.append(HIGHLIGHT)
        shape.append("circle")
        size.append(150)
    return domain, colour, shape, size


def _role_encoding(
    paint: Literal["color", "fill"], roles: tuple[list, list, list, list], x_title: str, lang: str
) -> dict:
    """The channels by role (unit, median, best, selected) of a distribution's points: `paint` ("color" or
    "fill"), shape and size from `roles` (as _role_scale returns them) under one legend, the drawing order and
    the tooltip."""
    domain, colour, shape, size = roles
    legend_title = t("components.legend", lang)
    paint_channel = alt.Color if paint == "color" else alt.Fill
    return {
        paint: paint_channel(
            "role:N",
            scale=alt.Scale(domain=domain, range=colour),
            title=legend_title,
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=220),  # wraps to fit a phone
        ),
        "shape": alt.Shape("role:N", scale=alt.Scale(domain=domain, range=shape), title=legend_title),
        "size": alt.Size("role:N", scale=alt.Scale(domain=domain, range=size), legend=None),
        "order": alt.Order("order:Q"),
        "tooltip": [
            alt.Tooltip("component:N", title=t("components.component", lang)),
            alt.Tooltip("role:N", title=legend_title),
            alt.Tooltip("who:N", title=t("common.unit", lang)),
            alt.Tooltip("value:Q", title=x_title, format=number_format(2)),
        ],
    }


def distribution(df: pd.DataFrame, summary: pd.DataFrame, lang: str, highlight: str | None = None) -> alt.TopLevelMixin:
    """One strip per component: every unit, the median, the best value, and the selected unit."""
    d = labelled(df.dropna(subset=["value"]), lang)
    kind = _kind(df)
    s = labelled(summary, lang)
    role_unit, role_median, role_best, role_sel = (
        t("components.role_unit", lang),
        t("components.role_median", lang),
        t("components.role_best", lang),
        t("components.role_selected", lang),
    )
    best_col = "best_vi" if lang == "vi" else "best_en"
    pts = pd.concat(
        [
            pd.DataFrame({"component": d.component, "value": d.value, "who": d.unit, "role": role_unit, "order": 0}),
            pd.DataFrame({"component": s.component, "value": s["median"], "who": "", "role": role_median, "order": 1}),
            pd.DataFrame(
                {"component": s.component, "value": s.best, "who": s[best_col], "role": role_best, "order": 2}
            ),
        ],
        ignore_index=True,
    )
    selected = highlight is not None and highlight in set(d.unit_id)
    if selected:
        mine = d[d.unit_id == highlight]
        pts = pd.concat(
            [
                pts,
                pd.DataFrame(
                    {"component": mine.component, "value": mine.value, "who": mine.unit, "role": role_sel, "order": 3}
                ),
            ],
            ignore_index=True,
        )
    chart = (
        alt.Chart(pts)
        .mark_point(filled=True, opacity=0.9, strokeWidth=2)
        .encode(
            x=alt.X(
                "value:Q",
                title=value_title(kind, lang),
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format=number_format(1)),
            ),
            y=alt.Y("component:N", sort=component_order(labelled(df, lang)), title=None, axis=alt.Axis(labelLimit=170)),
            **_role_encoding("color", _role_scale(lang, selected), value_title(kind, lang), lang),
        )
        .properties(width="container", height=alt.Step(34))
    )
    return finish(chart, lang)


def distribution_binned(
    bins: pd.DataFrame, summary: pd.DataFrame, lang: str, mine: pd.DataFrame | None = None
) -> alt.TopLevelMixin:
    """The distribution for a large group (`queries.component_scores.value_bins`): per component a strip of
    bins shaded by how many units fall in each, with the median, the best value and the selected unit on top.
    The spec holds at most components x bins cells, whatever the number of units."""
    kind = _kind(bins if len(bins) else summary)
    b = labelled(bins, lang)
    s = labelled(summary, lang)
    role_median, role_best, role_sel = (
        t("components.role_median", lang),
        t("components.role_best", lang),
        t("components.role_selected", lang),
    )
    best_col = "best_vi" if lang == "vi" else "best_en"
    pts = [
        pd.DataFrame({"component": s.component, "value": s["median"], "who": "", "role": role_median, "order": 1}),
        pd.DataFrame({"component": s.component, "value": s.best, "who": s[best_col], "role": role_best, "order": 2}),
    ]
    selected = mine is not None and len(mine.dropna(subset=["value"])) > 0
    if mine is not None and selected:
        m = labelled(mine.dropna(subset=["value"]), lang)
        pts.append(
            pd.DataFrame({"component": m.component, "value": m.value, "who": m.unit, "role": role_sel, "order": 3})
        )
    pts = pd.concat(pts, ignore_index=True)
    domain, colour, shape, size = _role_scale(lang, selected)
    roles = (domain[1:], colour[1:], shape[1:], size[1:])  # no dot per unit here
    order = component_order(s) if len(s) else component_order(b)
    y = alt.Y("component:N", sort=order, title=None, axis=alt.Axis(labelLimit=170))
    x_title = value_title(kind, lang)
    cells = (
        alt.Chart(b[["component", "bin_lo", "bin_hi", "n"]])
        .mark_rect(height={"band": 0.7})
        .encode(
            x=alt.X("bin_lo:Q", title=x_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=number_format(1))),
            x2="bin_hi:Q",
            y=y,
            color=alt.Color(
                "n:Q",
                scale=alt.Scale(scheme="greys"),
                title=t("components.bin_count", lang),
                legend=alt.Legend(orient="bottom", format=number_format(0)),
            ),
            tooltip=[
                alt.Tooltip("component:N", title=t("components.component", lang)),
                alt.Tooltip("bin_lo:Q", title=t("components.bin_from", lang), format=number_format(2)),
                alt.Tooltip("bin_hi:Q", title=t("components.bin_to", lang), format=number_format(2)),
                alt.Tooltip("n:Q", title=t("components.bin_count", lang), format=number_format(0)),
            ],
        )
    )
    marks = (
        alt.Chart(pts)
        .mark_point(filled=True, opacity=0.95, strokeWidth=0.75)
        .encode(
            x=alt.X("value:Q"),
            y=y,
            stroke=alt.value("#FFFFFF"),
            **_role_encoding("fill", roles, x_title, lang),
        )
    )
    chart = (
        alt.layer(cells, marks).resolve_scale(color="independent").properties(width="container", height=alt.Step(34))
    )
    return finish(chart, lang)


def self_appraised_chart(df: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Per component and unit: self-assessed, appraised and final score side by side, joined by a line."""
    d = labelled(df, lang)
    names = {
        "score_self": t("components.self", lang),
        "score_appraised": t("components.appraised", lang),
        "score": t("components.final", lang),
    }
    long = d.melt(id_vars=["unit", "component"], value_vars=list(names), var_name="kind", value_name="points").dropna(
        subset=["points"]
    )
    long["kind"] = long.kind.map(names)
    domain = list(names.values())
    rows = unit_order(d)
    base = alt.Chart(long).encode(y=alt.Y("unit:N", sort=rows, title=None, axis=alt.Axis(labelLimit=160)))
    span = base.mark_rule(color=MUTED, strokeWidth=2).encode(x=alt.X("min(points):Q"), x2="max(points):Q")
    dots = base.mark_point(filled=True, size=90).encode(
        x=alt.X(
            "points:Q",
            title=t("common.points", lang),
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format=number_format(1)),
        ),
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=domain, range=["#E69F00", "#0072B2", "#000000"]),
            title=None,
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=220),  # wraps to fit a phone
        ),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=domain, range=["circle", "square", "diamond"]), title=None),
        tooltip=[
            alt.Tooltip("unit:N", title=t("common.unit", lang)),
            alt.Tooltip("component:N", title=t("components.component", lang)),
            alt.Tooltip("kind:N", title=t("components.score_kind", lang)),
            alt.Tooltip("points:Q", title=t("common.points", lang), format=number_format(2)),
        ],
    )
    layered = alt.layer(span, dots, data=long).properties(width=320, height=max(80, 18 * len(rows)))
    order = d.drop_duplicates("component").sort_values("position").component.tolist()
    chart = layered.facet(
        facet=alt.Facet(
            "component:N", sort=order, title=None, header=alt.Header(labelLimit=300, labelFontWeight="bold")
        ),
        columns=2,
    )
    return finish(chart, lang)


def arrow_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with each named dataset as Arrow IPC bytes (the form Streamlit sends), text
    columns dictionary-encoded: a heatmap repeats each unit and component name once per cell, which made the
    /components page ~315 KB for 63 provinces. Nothing is dropped: the browser reads the same rows."""
    spec = chart.to_dict()
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    out = {}
    for name, rows in datasets.items():
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            out[name] = _arrow_bytes(pd.DataFrame.from_records(rows))
        else:
            out[name] = rows
    return {**spec, "datasets": out}


def _arrow_bytes(df: pd.DataFrame) -> bytes:
    for col in df.columns:
        if pd.api.types.is_string_dtype(df[col]) and df[col].map(lambda v: v is None or isinstance(v, str)).all():
            df[col] = df[col].astype("category")
    table = pa.Table.from_pandas(df, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@functools.lru_cache(maxsize=64)
def _svg_from_spec(spec_json: str) -> bytes:
    import vl_convert as vlc  # here, not at the top: ~19 ms of every server start (-X importtime), for a download

    return vlc.vegalite_to_svg(json.loads(spec_json)).encode("utf-8")


def svg_bytes(chart: alt.TopLevelMixin | dict, width: int = 900) -> bytes:
    """The chart as an SVG image (for download). Cached on the spec, so an unchanged chart is converted once.
    'container' widths are replaced by a fixed width, which a file needs."""
    spec = json.loads(json.dumps(chart if isinstance(chart, dict) else chart.to_dict(), default=str))
    _fix_width(spec, width)
    return _svg_from_spec(json.dumps(spec, sort_keys=True, default=str))


def _fix_width(node, width: int) -> None:
    if isinstance(node, dict):
        if node.get("width") == "container":
            node["width"] = width
        for value in node.values():
            _fix_width(value, width)
    elif isinstance(node, list):
        for value in node:
            _fix_width(value, width)
