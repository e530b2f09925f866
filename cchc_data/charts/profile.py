"""Charts of the unit profile: gaps to the median, contributions to a change, trends, predecessors side by side,
the cross-index percentiles, and the one-page summary card (PNG). Pure builders: frames in, alt.Chart out."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..i18n import t
from .common import BASE, CATEGORICAL, HIGHLIGHT, MUTED, finish

NAME_LIMIT = 42


def _label(df: pd.DataFrame, lang: str) -> pd.Series:
    col = "name_vi" if lang == "vi" else "name_en"
    names = df[col].where(df[col].notna() & (df[col] != ""), df.get("name_vi", df.get("component_id")))
    return names.astype(str).map(lambda s: s if len(s) <= NAME_LIMIT else s[: NAME_LIMIT - 1] + "…")


def _component_bars(df: pd.DataFrame, order: list, field: str, title: str, tooltip: list, lang: str) -> alt.Chart:
    """One bar per component (labels in `order`) along `field` (points), the component first in the tooltip."""
    return alt.Chart(df).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        x=alt.X(f"{field}:Q", title=title),
        tooltip=[alt.Tooltip("label:N", title=t("unit.col.component", lang)), *tooltip],
    )


def _with_zero_rule(bars: alt.Chart, width) -> alt.LayerChart:
    """The bars with a rule at zero, one 26 px step per component."""
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555").encode(x="x:Q")
    return (bars + rule).properties(width=width, height=alt.Step(26))


def gap_chart(gaps: pd.DataFrame, lang: str, width: int | str = "container") -> alt.TopLevelMixin:
    """Each component's gap to the peer median (points): right = above the median."""
    return finish(_gap(gaps, lang, width), lang)


def _gap(gaps: pd.DataFrame, lang: str, width) -> alt.LayerChart:
    df = gaps.dropna(subset=["gap"]).copy()
    df["label"] = _label(df, lang)
    df["side"] = df.gap.map(lambda g: "above" if g >= 0 else "below")
    df = df[["label", "score", "median", "gap", "side"]]
    order = df.sort_values("gap", ascending=False).label.tolist()
    tooltip = [
        alt.Tooltip("score:Q", title=t("unit.col.score", lang), format=",.2f"),
        alt.Tooltip("median:Q", title=t("unit.col.median", lang), format=",.2f"),
        alt.Tooltip("gap:Q", title=t("unit.col.gap", lang), format="+,.2f"),
    ]
    base = _component_bars(df, order, "gap", t("unit.col.gap", lang), tooltip, lang)
    bars = base.mark_bar().encode(
        color=alt.Color("side:N", scale=alt.Scale(domain=["above", "below"], range=[BASE, HIGHLIGHT]), legend=None)
    )
    return _with_zero_rule(bars, width)


def change_frame(contrib: pd.DataFrame, delta_total, lang: str) -> pd.DataFrame:
    df = contrib.dropna(subset=["contribution"]).copy()
    df["label"] = _label(df, lang)
    df["status_label"] = df.status.map(lambda s: t(f"unit.ch.status.{s}", lang))
    df["kind"] = "component"
    df = df[["label", "contribution", "status", "status_label", "prev", "cur", "kind"]]
    if delta_total is not None:
        df = pd.concat(
            [
                df,
                pd.DataFrame(
                    [
                        {
                            "label": t("unit.ch.total_bar", lang),
                            "contribution": float(delta_total),
                            "status": "total",
                            "status_label": "",
                            "prev": None,
                            "cur": None,
                            "kind": "total",
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    df["side"] = df.contribution.map(lambda g: "up" if g >= 0 else "down")
    return df


def change_chart(contrib: pd.DataFrame, delta_total, lang: str, width: int | str = "container") -> alt.TopLevelMixin:
    """Contribution of each component to the change in total (points), then the change in total itself."""
    return finish(_change(contrib, delta_total, lang, width), lang)


def _change(contrib: pd.DataFrame, delta_total, lang: str, width) -> alt.LayerChart:
    df = change_frame(contrib, delta_total, lang)
    comp = df[df.kind == "component"].sort_values("contribution", ascending=False).label.tolist()
    order = comp + df[df.kind == "total"].label.tolist()
    tooltip = [
        alt.Tooltip("prev:Q", title=t("unit.col.prev", lang), format=",.2f"),
        alt.Tooltip("cur:Q", title=t("unit.col.cur", lang), format=",.2f"),
        alt.Tooltip("contribution:Q", title=t("unit.col.contribution", lang), format="+,.2f"),
        alt.Tooltip("status_label:N", title=t("unit.col.status", lang)),
    ]
    base = _component_bars(df, order, "contribution", t("unit.col.contribution", lang), tooltip, lang)
    bars = base.mark_bar().encode(
        color=alt.Color("side:N", scale=alt.Scale(domain=["up", "down"], range=[BASE, HIGHLIGHT]), legend=None),
        opacity=alt.condition(alt.datum.kind == "total", alt.value(1.0), alt.value(0.8)),
        strokeDash=alt.condition(alt.datum.status == "added", alt.value([4, 2]), alt.value([1, 0])),
        stroke=alt.condition(alt.datum.kind == "total", alt.value("#000"), alt.value(None)),
    )
    return _with_zero_rule(bars, width)


def history_frame(history: pd.DataFrame, index_labels: dict[str, str], lang: str) -> pd.DataFrame:
    df = history.copy()
    df["index_label"] = df.index_code.map(lambda c: index_labels.get(c, c))
    df["unit_label"] = df["name_vi"] if lang == "vi" else df["name_en"].where(df["name_en"].notna(), df["name_vi"])
    df["rank_kind"] = df.rank_official.map(
        lambda o: t("unit.rank_kind.official" if o else "unit.rank_kind.computed", lang)
    )
    df["year"] = df.year.astype(int)
    return df[
        [
            "unit_id",
            "unit_label",
            "index_code",
            "index_label",
            "year",
            "total",
            "rank",
            "rank_kind",
            "completeness",
            "n_scored",
            "percentile",
        ]
    ]


def segments(years, edition_years=(), break_years=()) -> list[int]:
    """A line segment number per year (years ascending): a new segment starts after an edition the unit is
    missing from (no line bridges a missing year) and at a method change (lines do not join across it)."""
    editions = sorted(set(int(y) for y in edition_years))
    breaks = sorted(set(int(y) for y in break_years))
    out, seg, prev = [], 0, None
    for y in (int(v) for v in years):
        if prev is not None and (any(prev < e < y for e in editions) or any(prev < b <= y for b in breaks)):
            seg += 1
        out.append(seg)
        prev = y
    return out


def _segmented(df: pd.DataFrame, edition_years: dict, break_years: dict) -> pd.DataFrame:
    parts = []
    for (code, unit), g in df.sort_values("year").groupby(["index_code", "unit_id"], sort=False):
        g = g.copy()
        g["segment"] = [
            f"{code}-{unit}-{n}" for n in segments(g.year, edition_years.get(code, ()), break_years.get(code, ()))
        ]
        parts.append(g)
    return pd.concat(parts, ignore_index=True) if parts else df.assign(segment=pd.Series(dtype=str))


def _break_rules(break_years, lang: str) -> list:
    years = sorted(set(int(y) for y in break_years))
    if not years:
        return []
    rules = pd.DataFrame({"year": years, "label": t("unit.t.method_change", lang)})
    return [
        alt.Chart(rules)
        .mark_rule(color="#666666", strokeDash=[4, 3])
        .encode(
            x="year:Q",
            tooltip=[
                alt.Tooltip("year:O", title=t("common.year", lang)),
                alt.Tooltip("label:N", title=t("unit.t.note", lang)),
            ],
        )
    ]


def _year_axis(years: list[int], lang: str) -> alt.X:
    lo, hi = (min(years), max(years)) if years else (0, 1)
    return alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[lo - 0.3, hi + 0.3], nice=False),
        axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0, labelOverlap=True, values=years or alt.Undefined),
    )


def score_trend(
    history: pd.DataFrame,
    index_labels: dict[str, str],
    lang: str,
    edition_years=(),
    break_years=(),
    percent: bool = False,
) -> alt.TopLevelMixin:
    """One index's total score over its editions (width of the container: fits a phone). The line breaks after
    an edition the unit is missing from and at a method change (dashed rule)."""
    code = history.index_code.iloc[0] if len(history) else ""
    df = _segmented(
        history_frame(history[history.total.notna()], index_labels, lang), {code: edition_years}, {code: break_years}
    )
    years = sorted(set(int(y) for y in df.year)) if len(df) else []
    base = alt.Chart(df).encode(
        x=_year_axis(years, lang),
        y=alt.Y(
            "total:Q",
            title=t("unit.t.percent_axis" if percent else "common.score", lang),
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format=",~f", tickCount=4),
        ),
        tooltip=[
            alt.Tooltip("index_label:N", title=t("unit.col.index", lang)),
            alt.Tooltip("year:O", title=t("common.year", lang)),
            alt.Tooltip("total:Q", title=t("common.score", lang), format=",~f"),
            alt.Tooltip("rank:Q", title=t("common.rank", lang), format="d"),
            alt.Tooltip("rank_kind:N", title=t("unit.t.rank_kind", lang)),
        ],
    )
    lines = base.mark_line(color=BASE).encode(detail="segment:N")
    points = base.mark_point(filled=True, color=BASE, size=40)
    # Streamlit fits the whole chart (axes included) into `height` at container width: 190 leaves ~130 px of plot.
    chart = alt.layer(lines, points, *_break_rules(break_years, lang)).properties(width="container", height=190)
    return finish(chart, lang)


def predecessor_trend(history: pd.DataFrame, index_labels: dict[str, str], lang: str) -> alt.TopLevelMixin:
    """Total score of each predecessor unit side by side (one column per unit, one row per index; never averaged)."""
    df = history_frame(history[history.total.notna()], index_labels, lang)
    base = alt.Chart(df).encode(
        x=alt.X(
            "year:Q",
            title=t("common.year", lang),
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0),
        ),
        y=alt.Y("total:Q", title=t("common.score", lang), scale=alt.Scale(zero=False), axis=alt.Axis(format=",~f")),
        tooltip=[
            alt.Tooltip("unit_label:N", title=t("unit.col.unit", lang)),
            alt.Tooltip("index_label:N", title=t("unit.col.index", lang)),
            alt.Tooltip("year:O", title=t("common.year", lang)),
            alt.Tooltip("total:Q", title=t("common.score", lang), format=",~f"),
            alt.Tooltip("rank:Q", title=t("common.rank", lang), format="d"),
        ],
    )
    layer = base.mark_line(point=True, color=BASE).properties(width=160, height=110)
    chart = layer.facet(
        row=alt.Row("index_label:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        column=alt.Column("unit_label:N", title=None),
    ).resolve_scale(y="independent")
    return finish(chart, lang)


def rank_trend(
    history: pd.DataFrame,
    index_labels: dict[str, str],
    lang: str,
    edition_years: dict | None = None,
    break_years: dict | None = None,
) -> alt.TopLevelMixin:
    """Rank over the editions (1 at the top, integer ticks), one colour per index, legend below (fits a phone);
    hollow squares are ranks we computed. Lines break after a missing edition and at a method change."""
    df = _segmented(
        history_frame(history[history["rank"].notna()], index_labels, lang), edition_years or {}, break_years or {}
    )
    df["rank"] = df["rank"].astype(int)
    domain = sorted(df.index_label.unique().tolist())
    years = sorted(set(int(y) for y in df.year)) if len(df) else []
    top = int(df["rank"].max()) if len(df) else 1
    base = alt.Chart(df).encode(
        x=_year_axis(years, lang),
        y=alt.Y(
            "rank:Q",
            title=t("common.rank", lang),
            scale=alt.Scale(reverse=True, domain=[1, max(2, top)], nice=False),
            axis=alt.Axis(format="d", tickMinStep=1, tickCount=min(6, max(2, top))),
        ),
        color=alt.Color(
            "index_label:N",
            title=t("unit.col.index", lang),
            scale=alt.Scale(domain=domain, range=CATEGORICAL[: max(1, len(domain))]),
            legend=alt.Legend(orient="bottom", direction="horizontal", columns=2, labelLimit=150),
        ),
        tooltip=[
            alt.Tooltip("index_label:N", title=t("unit.col.index", lang)),
            alt.Tooltip("year:O", title=t("common.year", lang)),
            alt.Tooltip("rank:Q", title=t("common.rank", lang), format="d"),
            alt.Tooltip("n_scored:Q", title="n", format="d"),
            alt.Tooltip("rank_kind:N", title=t("unit.t.rank_kind", lang)),
        ],
    )
    lines = base.mark_line().encode(detail="segment:N")
    kinds = [t("unit.rank_kind.official", lang), t("unit.rank_kind.computed", lang)]
    points = base.mark_point(size=60, filled=True).encode(
        shape=alt.Shape(
            "rank_kind:N",
            scale=alt.Scale(domain=kinds, range=["circle", "square"]),
            legend=None,  # explained in the caption under the chart: a second legend ran past a phone's edge
        )
    )
    # fitted at container width with the legend below: 320 leaves ~220 px of plot (220 left ~50 px)
    return finish((lines + points).properties(width="container", height=320), lang)


def cross_chart(rows: list[dict], index_labels: dict[str, str], lang: str) -> alt.TopLevelMixin:
    """Percentile of the unit on each index in one year; indices without a percentile are listed empty."""
    df = pd.DataFrame(
        [
            {
                "index_label": index_labels.get(r["index_code"], r["index_code"]),
                "percentile": r.get("percentile"),
                "rank": r.get("rank"),
                "n": r.get("n_scored"),
            }
            for r in rows
        ]
    )
    df["percentile"] = pd.to_numeric(df.percentile, errors="coerce")
    order = df.index_label.tolist()
    y = alt.Y("index_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    quart = pd.DataFrame({"x": [25.0, 50.0, 75.0]})
    rules = alt.Chart(quart).mark_rule(color=MUTED, strokeDash=[3, 3]).encode(x="x:Q")
    dots = (
        alt.Chart(df)
        .mark_circle(size=160, color=BASE)
        .encode(
            y=y,
            x=alt.X("percentile:Q", scale=alt.Scale(domain=[0, 100]), title=t("unit.x.pct_axis", lang)),
            tooltip=[
                alt.Tooltip("index_label:N", title=t("unit.col.index", lang)),
                alt.Tooltip("percentile:Q", title=t("unit.col.percentile", lang), format=",.0f"),
                alt.Tooltip("rank:Q", title=t("common.rank", lang)),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
    )
    ticks = alt.Chart(df).mark_tick(opacity=0).encode(y=y)
    return finish((rules + ticks + dots).properties(width="container", height=40 * len(df) + 20), lang)


def _text_block(lines: list[str], width: int, size: int, bold: bool = False, wrap: int = 110) -> alt.Chart:
    wrapped = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, wrap) or [""])
    df = pd.DataFrame({"line": wrapped, "i": range(len(wrapped))})
    return (
        alt.Chart(df)
        .mark_text(
            align="left",
            baseline="top",
            fontSize=size,
            font="DejaVu Sans",
            fontWeight="bold" if bold else "normal",
            dx=0,
        )
        .encode(x=alt.value(0), y=alt.Y("i:O", axis=None), text="line:N")
        .properties(width=width, height=max(size + 6, int((size + 7) * len(wrapped))))
    )


def summary_card(
    title: str,
    lines: list[str],
    gaps: pd.DataFrame | None,
    contrib: pd.DataFrame | None,
    delta_total,
    footer: str,
    lang: str,
    width: int = 760,
    gap_title: str = "",
    change_title: str = "",
) -> alt.VConcatChart:
    """A one-page summary: title, the generated sentences, the two bar charts, and the citation."""
    parts: list[alt.Chart | alt.LayerChart] = [
        _text_block([title], width, 20, bold=True, wrap=70),
        _text_block(lines, width, 13),
    ]
    if gaps is not None and gaps.gap.notna().any():
        parts.append(_gap(gaps, lang, width - 300).properties(title=gap_title))
    if contrib is not None and contrib.contribution.notna().any():
        parts.append(_change(contrib, delta_total, lang, width - 300).properties(title=change_title))
    parts.append(_text_block([footer], width, 10, wrap=140))
    chart = alt.vconcat(*parts, spacing=14).properties(padding=24, background="white")
    return (
        finish(chart, lang)
        .configure_title(anchor="start", fontSize=14, font="DejaVu Sans")
        .configure_axis(labelFont="DejaVu Sans", titleFont="DejaVu Sans")
    )


def to_png(chart: alt.TopLevelMixin, scale: float = 1.5) -> bytes:
    # imported on the PNG button's click only: importing vl_convert costs ~26 ms (python -X importtime) that
    # every new server process would pay at start-up for a download few readers press
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_dict(), scale=scale)
