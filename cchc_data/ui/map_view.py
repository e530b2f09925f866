"""/map's prepared rows and data table, built once per view and shared read-only.

At national scale a map view has ~10,000 units without a shape (communes): formatting their values, ranks and
links (`cmap.map_rows`) on every run was most of a new /map session's CPU (py-spy: ~60% of 148 ms), and the
table sent every row (0.9 MB). Rows are computed once per (edition, metric, layer, language, link base) and data
version, kept as shared objects (st.cache_resource: callers copy before changing them), and the table shows at
most TABLE_MAX rows, best first, with every row in the downloads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..charts import maps as cmap
from ..db import data_version
from ..i18n import t
from ..queries import maps as qmap
from .labels import group_label

TABLE_MAX = 500
STRIP_COLUMNS = ["name", "value", "has_data", "group_label", "unit_id", "value_text", "rank_text", "href"]


def strip_rows(off: pd.DataFrame, lang: str, href_base: str, href_params: dict) -> pd.DataFrame:
    """Rows of the units that have no shape on this map (ministries, departments, communes, Hà Tây)."""
    if off.empty:
        return pd.DataFrame(columns=STRIP_COLUMNS)
    rows = cmap.map_rows(off.assign(code=off.admin_code.fillna("")), lang, href_base, href_params)
    rows["group_label"] = [group_label(g, lang) for g in off.unit_group]
    rows["unit_group"] = off.unit_group.to_numpy()
    return rows


def table_frame(rows: pd.DataFrame, off_rows: pd.DataFrame, lang: str, choice: str | None,
                change: bool = False, year_from: int | None = None, year_to: int | None = None) -> pd.DataFrame:
    """The map's data table (every row, best first) under the reader's column names."""
    table = rows.copy()
    table["group"] = t(f"map.layer.{choice}", lang) if choice else ""
    if len(off_rows):
        extra = off_rows.copy()
        extra["group"] = extra["group_label"]
        table = pd.concat([table, extra], ignore_index=True)
    table = table.sort_values(["has_data", "value", "name"], ascending=[False, False, True], na_position="last")
    cols = {"name": t("common.unit", lang), "group": t("map.col.group", lang)}
    if "year" in table and not change:
        cols["year"] = t("common.year", lang)
    if change:
        cols.update({"from_text": str(year_from), "to_text": str(year_to), "value_text": t("map.col.change", lang)})
    else:
        cols.update({"value_text": t("map.col.value", lang), "rank_text": t("map.col.rank", lang),
                     "tier_text": t("map.col.tier", lang)})
    shown = table[[c for c in cols if c in table]].reset_index(drop=True)
    for col in ("group", "tier_text"):  # few distinct values: sent once each (Arrow dictionary), not per row
        if col in shown:
            shown[col] = shown[col].astype("category")
    shown.attrs["computed_ranks"] = bool(not change and table.rank_text.str.contains(
        t("common.computed_rank", lang), regex=False).any())
    return shown.rename(columns=cols)


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _single(edition_id: str, metric: str, layer: str, choice: str, lang: str, href_base: str,
            href_items: tuple, version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    href_params = dict(href_items)
    shapes, off = qmap.join_layer(qmap.map_values(edition_id, metric), layer)
    rows = cmap.map_rows(shapes, lang, href_base, href_params)
    off_rows = strip_rows(off, lang, href_base, href_params)
    return rows, off_rows, table_frame(rows, off_rows, lang, choice)


def single_view(edition_id: str, metric: str, layer: str, choice: str, lang: str, href_base: str,
                href_params: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(rows with a shape, rows without, the data table) of one map view. Shared objects: do not modify."""
    return _single(edition_id, metric, layer, choice, lang, href_base, tuple(sorted(href_params.items())),
                   data_version())


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _off_only(edition_id: str, metric: str, lang: str, href_base: str, href_items: tuple,
              version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    off_rows = strip_rows(qmap.map_values(edition_id, metric), lang, href_base, dict(href_items))
    return off_rows, table_frame(off_rows.iloc[0:0], off_rows, lang, None)


def no_layer_view(edition_id: str, metric: str, lang: str, href_base: str,
                  href_params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows, data table) of an edition with no map layer (ministries, departments). Shared: do not modify."""
    return _off_only(edition_id, metric, lang, href_base, tuple(sorted(href_params.items())), data_version())


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _multiples(edition_ids: tuple, years: tuple, metric: str, layer: str, choice: str, lang: str, value_title: str,
               href_base: str, href_items: tuple, version: str) -> dict:
    from .charts import arrow_datasets

    series = qmap.map_series(list(edition_ids), metric)
    parts = [qmap.join_layer(series[series.year == y], layer)[0].assign(year=y) for y in years]
    rows = cmap.map_rows(pd.concat(parts, ignore_index=True), lang, href_base, dict(href_items))
    domain = cmap.value_domain(rows.value)
    topo = qmap.layer_geometry(layer)  # the served file's URL for the shipped layers: fetched once by the browser
    panels = [(int(y), arrow_datasets(cmap.map_panel(rows[rows.year == y].reset_index(drop=True), topo, lang,
                                                      value_title, domain, str(y)).to_dict()))
              for y in years]
    legend = arrow_datasets(cmap.map_legend(lang, value_title, domain)
                             .to_dict())
    return {"legend": legend, "panels": panels, "domain": domain,
            "table": table_frame(rows, rows.iloc[0:0], lang, choice)}


def multiples_view(edition_ids: list[str], years: list[int], metric: str, layer: str, choice: str, lang: str,
                   value_title: str, href_base: str, href_params: dict) -> dict:
    """The small multiples of one view, ready to draw: one legend spec (the value domain over all the years),
    one map spec per year (same domain, no legend, links to the unit), and the data table. Shared: do not modify."""
    return _multiples(tuple(edition_ids), tuple(int(y) for y in years), metric, layer, choice, lang, value_title,
                      href_base, tuple(sorted(href_params.items())), data_version())
