"""/map's view: the choropleth of one index, year and metric on one map layer, the change between two years, or
small multiples of several years; the dot strip of units without a shape; the table alternative.

Two cached builders return frozen view models (cached once per params, language and data version):
`build_map_choices` (the pickers' options) and `build_map_view` (everything below the pickers, ready to draw).
pages/map.py only draws them.

Method changes (issue 14): a change map whose two years lie on either side of a change of the index's dimensions
(PAPI 2017 -> 2018: 6 -> 8 dimensions, totals 6-60 -> 8-80) compares totals on different scales: it is refused with
the reason and the years that can be compared, and the chosen year's map is shown instead. Across other method
changes (a component, a new PAR decision) the change map is drawn with the change stated first. Small multiples
across a method change state it first and give each method period its own colour scale and legend."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import quote_plus, urlencode

import pandas as pd

from .. import fmt
from .. import queries as q
from ..charts import maps as cmap
from ..charts.components import arrow_spec
from ..i18n import t
from ..queries import maps as qmap
from ..queries._cache import versioned_view
from ..queries.catalog import components, dimension_changes
from .coverage import published_coverage

TABLE_MAX = 500
MAX_YEARS = 6
STRIP_COLUMNS = ["name", "value", "has_data", "group_label", "unit_id", "value_text", "rank_text", "href"]
SCHEMES = {"par": "national_provinces", "sipas": "national_provinces", "par_hanoi": "hanoi_"}


@dataclass(frozen=True)
class MapChoices:
    """The pickers of one index and year: metrics (total first) and layers with their labels in `lang`, the views,
    and for each layer the years of the index drawn on the same geometry (newest first)."""

    edition_id: str
    completeness: str
    metrics: list[str]
    metric_labels: dict[str, str]
    layers: list[str]
    layer_labels: dict[str, str]
    views: list[str]
    view_labels: dict[str, str]
    same_map_years: dict[str, list[int]]


@dataclass(frozen=True)
class Notice:
    kind: str  # "warning" | "info"
    text: str  # Markdown: data strings in it are escaped


@dataclass(frozen=True)
class Strip:
    """Units with no shape on this map: a dot strip (or a histogram past STRIP_MAX units) and notes."""

    title: str
    caption: str
    spec: dict | None
    alt: str
    notes: list[str]


@dataclass(frozen=True)
class Panel:
    """One year's map of small multiples: its heading (the year), Vega-Lite spec and alt text."""

    title: str
    spec: dict
    alt: str


@dataclass(frozen=True)
class Period:
    """One method period of small multiples: its heading (empty when there is one period), legend and maps."""

    heading: str
    legend: dict
    panels: list[Panel]


@dataclass(frozen=True)
class MapView:
    kind: str  # "single" | "change" | "multiples" | "none" (no map layer: strip and table only)
    title: str
    notices: list[Notice]  # drawn before the map, in order (method change first)
    spec: dict | None  # the single or change map
    alt: str
    captions: list[str]
    periods: list[Period]  # small multiples
    columns: int  # small multiples per row
    strip: Strip | None
    table: pd.DataFrame
    table_notes: list[str]
    table_cut: bool  # the page shows the first TABLE_MAX rows; the downloads hold every row
    download_label: str  # the citation's index/metric label
    basename: str
    years: list[int] = field(default_factory=list)  # the years drawn
    source: list[dict] | None = None  # the sources of the figures shown, for the citation of the downloads
    shown_rows: int = TABLE_MAX

    def citation(self, lang: str, year: int, url: str) -> str:
        """The citation line of the downloads: the sources of the figures shown, the view's share link."""
        return fmt.citation_text(lang, self.download_label, year, self.source, url)


def _metric_names(edition_id: str, lang: str) -> dict[str, str]:
    comps = qmap.metric_options(edition_id)
    return dict(zip(comps.component_id, fmt.unit_names(comps, lang)))


def _metric_label(metric: str, edition_id: str, lang: str) -> str:
    return t("metric.total", lang) if metric == "total" else _metric_names(edition_id, lang).get(metric, metric)


def _edition(index_code: str, year: int) -> dict:
    """The edition row; the pickers only offer years that have one, so a missing one is a bug, said plainly."""
    ed = q.edition(index_code, year)
    if ed is None:
        raise LookupError(f"no {index_code} edition for {year}")
    return ed


def _same_map_years(index_code: str, year: int, choice: str) -> list[int]:
    layer = qmap.layer_for(choice, year)
    out = []
    for y in sorted(q.editions(index_code).year.tolist(), reverse=True):
        ed = q.edition(index_code, int(y))  # may be None: a year without this edition
        if ed and choice in qmap.map_layers(ed["edition_id"]) and qmap.layer_for(choice, int(y)) == layer:
            out.append(int(y))
    return out


@versioned_view
def build_map_choices(index_code: str, year: int, lang: str) -> MapChoices:
    ed = _edition(index_code, year)
    edition_id = ed["edition_id"]
    names = _metric_names(edition_id, lang)
    layers = qmap.map_layers(edition_id)
    return MapChoices(
        edition_id=edition_id,
        completeness=ed["completeness"],
        metrics=["total", *names],
        metric_labels={"total": t("metric.total", lang), **names},
        layers=layers,
        layer_labels={c: t(f"map.layer.{c}", lang) for c in layers},
        views=list(qmap.VIEWS),
        view_labels={v: t(f"map.view.{v}", lang) for v in qmap.VIEWS},
        same_map_years={c: _same_map_years(index_code, year, c) for c in layers},
    )


# --- Method changes between years ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    year: int  # the first year of the new method
    text: str  # why, in the reader's language (escaped)
    rescaled: bool  # the index's dimensions changed: totals are on different scales


def _dimension_count(edition_id: str) -> int:
    comps = components(edition_id)
    return int((comps.level == "dimension").sum())


def _decisions(index_code: str) -> dict[int, str]:
    """First year -> decision number of each PAR method decision of the index's scheme (empty for other indices)."""
    prefix = SCHEMES.get(index_code)
    if not prefix:
        return {}
    m = q.methodology()
    m = m[m.scheme.str.startswith(prefix) & m.valid_from_year.notna()]
    return {int(y): str(d) for y, d in m.drop_duplicates("valid_from_year")[["valid_from_year", "decision_no"]].values}


def method_breaks(index_code: str, years: list[int], lang: str) -> list[Break]:
    """The method changes that fall between the first and the last of `years` (after the first year, up to and
    including the last): a change of the top-level dimensions, or a new PAR method decision."""
    if len(years) < 2:
        return []
    lo, hi = min(years), max(years)
    all_years = sorted(int(y) for y in q.editions(index_code).year.tolist() if lo <= int(y) <= hi)
    out: list[Break] = []
    for before, after in zip(all_years, all_years[1:]):
        ed_b, ed_a = f"{index_code}-{before}", f"{index_code}-{after}"
        changes = dimension_changes(ed_a, ed_b)
        if changes["added"] or changes["dropped"]:
            names = _metric_names(ed_a, lang) | _metric_names(ed_b, lang)
            text = t(
                "map.break.dimensions",
                lang,
                year=after,
                n_from=_dimension_count(ed_b),
                n_to=_dimension_count(ed_a),
                added=fmt.md_escape(", ".join(names.get(c, c) for c in changes["added"]) or "–"),
                dropped=fmt.md_escape(", ".join(names.get(c, c) for c in changes["dropped"]) or "–"),
            )
            out.append(Break(after, text, True))
    for year, decision in _decisions(index_code).items():
        if lo < year <= hi:
            out.append(Break(year, t("map.break.decision", lang, year=year, decision=fmt.md_escape(decision)), False))
    return sorted(out, key=lambda b: b.year)


# --- Rows, strip and table ---


def rank_text(rank, official, lang: str) -> str:
    if pd.isna(rank):
        return "–"
    try:
        r = int(rank)
    except (TypeError, ValueError):
        return "–"
    return str(r) if (not pd.isna(official) and bool(official)) else f"{r} ({t('common.computed_rank', lang)})"


_UNIT_SLOT = "UNITSLOTX7Q"  # letters only: urlencode leaves it as is


def map_rows(
    shapes: pd.DataFrame, lang: str, href_base: str = "", href_params: dict | None = None, value_col: str = "value"
) -> pd.DataFrame:
    """Rows for the chart and its table: code, name, value, formatted texts, link to the unit page."""
    df = pd.DataFrame(
        {
            "code": shapes["code"].astype(str) if "code" in shapes else "",
            "unit_id": shapes["unit_id"].fillna("").astype(str),
            "name": fmt.unit_names(shapes, lang).tolist(),
        }
    )
    value = pd.to_numeric(shapes[value_col], errors="coerce").astype("float64")
    df["value"] = value.where(value.notna(), None)
    df["has_data"] = value.notna().to_numpy()
    df["value_text"] = [t("common.no_data", lang) if pd.isna(v) else fmt.number(v, lang) for v in value]
    ranks = shapes["rank"] if "rank" in shapes else pd.Series([None] * len(shapes))
    official = shapes["rank_official"] if "rank_official" in shapes else pd.Series([False] * len(shapes))
    df["rank_text"] = [rank_text(r, o, lang) for r, o in zip(ranks, official)]
    tiers = shapes["tier"] if "tier" in shapes else pd.Series([None] * len(shapes))
    if f"tier_{lang}" in shapes:  # the printed tier in the reader's language (results.tier_vi / tier_en)
        tiers = shapes[f"tier_{lang}"].where(shapes[f"tier_{lang}"].notna(), tiers)
    df["tier_text"] = [str(x) if isinstance(x, str) and x else "–" for x in tiers]
    if "year" in shapes:
        df["year"] = shapes["year"].to_numpy()
    params = dict(href_params or {})
    years = df["year"].tolist() if "year" in df and "year" in params else [params.get("year")] * len(df)
    # One urlencode per distinct year, then only the unit id is quoted per row (urlencode per row was 0.8 s
    # of three reruns of /map with 10,000 communes); same text as urlencode({**params, 'unit': u, 'year': y}).
    templates: dict = {}

    def parts(y) -> list[str]:
        key = str(y) if y else None
        if key not in templates:
            query = urlencode({**params, "unit": _UNIT_SLOT, **({"year": key} if key else {})})
            templates[key] = f"{href_base}/unit?{query}".split(_UNIT_SLOT)
        return templates[key]

    df["href"] = [
        (lambda pre_post: pre_post[0] + quote_plus(u) + pre_post[1])(parts(y)) if u else ""
        for u, y in zip(df["unit_id"], years)
    ]
    df["no_data"] = t("common.no_data", lang)
    return df


# --------------------------------------------------------------------------------------


def _strip_rows(off: pd.DataFrame, lang: str, href_base: str, href_params: dict) -> pd.DataFrame:
    if off.empty:
        return pd.DataFrame(columns=STRIP_COLUMNS)
    rows = map_rows(off.assign(code=off.admin_code.fillna("")), lang, href_base, href_params)
    rows["group_label"] = [t(f"group.{g}", lang) for g in off.unit_group]
    rows["unit_group"] = off.unit_group.to_numpy()
    return rows


def table_frame(
    rows: pd.DataFrame,
    off_rows: pd.DataFrame,
    lang: str,
    choice: str | None,
    change: bool = False,
    year_from: int | None = None,
    year_to: int | None = None,
) -> pd.DataFrame:
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
        cols.update(
            {
                "value_text": t("map.col.value", lang),
                "rank_text": t("map.col.rank", lang),
                "tier_text": t("map.col.tier", lang),
            }
        )
    shown = table[[c for c in cols if c in table]].reset_index(drop=True)
    for col in ("group", "tier_text"):  # few distinct values: sent once each (Arrow dictionary), not per row
        if col in shown:
            shown[col] = shown[col].astype("category")
    shown.attrs["computed_ranks"] = bool(
        not change
        and "rank_text" in table
        and table.rank_text.str.contains(t("common.computed_rank", lang), regex=False).any()
    )
    return shown.rename(columns=cols)


def _names(names, lang: str, limit: int = 30) -> str:
    """Names joined by commas (escaped); past `limit`, the first ones and how many more (the table lists them all)."""
    names = [fmt.md_escape(n) for n in names]
    if len(names) <= limit:
        return ", ".join(names)
    return t("map.names_more", lang, names=", ".join(names[:limit]), n=fmt.integer(len(names) - limit, lang))


def _strip(rows: pd.DataFrame, lang: str, metric_label: str, domain) -> Strip | None:
    if rows.empty:
        return None
    scored = rows[rows.has_data]
    spec, alt = None, ""
    if len(scored) > cmap.STRIP_MAX:  # thousands of units: their distribution, not one dot each
        alt = t("map.alt_hist", lang, n=fmt.integer(len(scored), lang))
        spec = arrow_spec(
            cmap.no_shape_histogram(scored[["value", "has_data"]].reset_index(drop=True), lang, metric_label, domain)
        )
    elif len(scored):
        alt = t("map.alt_strip", lang, n=len(scored))
        spec = arrow_spec(cmap.no_shape_strip(scored.sort_values("value").copy(), lang, metric_label, domain))
    notes = []
    missing = rows[~rows.has_data]
    if len(missing):
        notes.append(t("map.strip_nodata", lang, names=_names(missing.name, lang)))
    if (rows.unit_id == "p-hatay").any():
        notes.append(t("map.hatay_note", lang))
    lost = rows[rows.unit_group.isin(["provinces", "districts"]) & (rows.unit_id != "p-hatay")]
    if len(lost):
        notes.append(t("map.unjoined_note", lang, names=_names(lost.name, lang)))
    return Strip(t("map.strip_title", lang), t("map.strip_caption", lang), spec, alt, notes)


def _alt_single(rows: pd.DataFrame, lang: str, common: dict) -> str:
    data = rows[rows.has_data]
    if data.empty:
        return t("map.alt_empty", lang, **common)
    return t(
        "map.alt",
        lang,
        n_data=len(data),
        n_shapes=len(rows),
        lo=fmt.number(data.value.min(), lang),
        hi=fmt.number(data.value.max(), lang),
        n_missing=int((~rows.has_data).sum()),
        **common,
    )


def _coverage_notice(values: pd.DataFrame, lang: str, layer: str | None, choice: str | None) -> Notice:
    """Journey 5: which units and figures a partial edition published, and which it did not (the map's units are
    counted from its layer: 63 or 34 provinces, Hà Nội's 30 districts)."""
    expected = {}
    if layer and layer.startswith("provinces"):
        expected["provinces"] = len(qmap.layer_units(layer))
    elif choice in ("hanoi", "hcmc"):
        expected["districts"] = len(qmap.layer_units(choice))
    lead = t("map.partial_note", lang) if layer else t("notice.partial", lang)
    return Notice("warning", lead + " " + published_coverage(values, lang, expected))


def _table_notes(table: pd.DataFrame, lang: str) -> tuple[list[str], bool]:
    notes = [t("map.computed_rank_note", lang)] if table.attrs.get("computed_ranks") else []
    cut = len(table) > TABLE_MAX
    if cut:
        notes.append(t("map.table_cut", lang, n=fmt.integer(TABLE_MAX, lang), total=fmt.integer(len(table), lang)))
    return notes, cut


@dataclass(frozen=True)
class _Request:
    """What every kind of map of one request shares: the index, metric and layer choice with their labels, the
    links' base and parameters, and the downloads' label and file name."""

    index_code: str
    index_label: str
    metric: str
    metric_label: str
    choice: str | None
    lang: str
    href_base: str
    href_params: dict
    download_label: str
    basename: str

    def rows(self, shapes: pd.DataFrame, value_col: str = "value") -> pd.DataFrame:
        return map_rows(shapes, self.lang, self.href_base, self.href_params, value_col=value_col)

    def view(
        self,
        kind: str,
        title: str,
        notices: list[Notice],
        spec: dict | None,
        alt: str,
        *,
        table: pd.DataFrame,
        years: list[int],
        captions: list[str] | None = None,
        periods: list[Period] | None = None,
        columns: int = 1,
        strip: Strip | None = None,
    ) -> MapView:
        """The view of this request, with the notes of its table (computed ranks, the cut past TABLE_MAX rows)."""
        notes, cut = _table_notes(table, self.lang)
        return MapView(
            kind=kind,
            title=title,
            notices=notices,
            spec=spec,
            alt=alt,
            captions=captions or [],
            periods=periods or [],
            columns=columns,
            strip=strip,
            table=table,
            table_notes=notes,
            table_cut=cut,
            download_label=self.download_label,
            basename=self.basename,
            years=years,
        )


@versioned_view
def build_map_view(
    index_code: str,
    year: int,
    metric: str,
    choice: str | None,
    view: str,
    compare_years: tuple[int, ...],
    lang: str,
    href_base: str,
) -> MapView:
    """Everything below the pickers. `compare_years`: the other year of a change map, or the years of small
    multiples (ignored for a single map). `href_base`: the dashboard's address, for the links to unit profiles."""
    ed = _edition(index_code, year)
    edition_id = ed["edition_id"]
    metric_label = _metric_label(metric, edition_id, lang)
    index_label = t(f"index.{index_code}", lang)
    req = _Request(
        index_code=index_code,
        index_label=index_label,
        metric=metric,
        metric_label=metric_label,
        choice=choice,
        lang=lang,
        href_base=href_base,
        href_params={"lang": lang, "index": index_code, "year": str(year)},
        download_label=f"{index_label} · {metric_label}",
        basename=f"cchc_map_{index_code}_{year}_{lang}",
    )
    built = _build(req, ed, year, view, compare_years)
    # The sources of the figures mapped (the rows' own source_id, most-used first), not the edition's main source.
    ids = qmap.map_values(edition_id, metric).unit_id.tolist()
    sources = q.view_sources(edition_id, unit_ids=ids) or [q.edition_source(edition_id)]
    return replace(built, source=sources, shown_rows=TABLE_MAX)


def _build(req: _Request, ed: dict, year: int, view: str, compare_years: tuple[int, ...]) -> MapView:
    """The view of `req` for `year` (its edition `ed`): a single, change or multiples map, or no map layer."""
    index_code, index_label, metric, metric_label = req.index_code, req.index_label, req.metric, req.metric_label
    choice, lang, href_base = req.choice, req.lang, req.href_base
    edition_id = ed["edition_id"]
    notices: list[Notice] = []
    values = qmap.map_values(edition_id, metric)

    if choice is None:  # ministries / departments only: the strip and the table
        notices.append(Notice("info", t("map.no_layer", lang)))
        if ed["completeness"] == "partial":
            notices.append(_coverage_notice(values, lang, None, None))
        off_rows = _strip_rows(values, lang, href_base, req.href_params)
        strip = _strip(off_rows, lang, metric_label, cmap.value_domain(off_rows.value))
        table = table_frame(off_rows.iloc[0:0], off_rows, lang, None)
        return req.view("none", "", notices, None, "", strip=strip, table=table, years=[year])

    layer = qmap.layer_for(choice, year)
    layer_label = t(f"map.layer.{choice}", lang)
    geometry = qmap.layer_geometry(layer)
    common = dict(layer=layer_label, metric=metric_label, index=index_label, year=year)
    geometry_note = t(f"map.geometry.{layer if layer.startswith('provinces') else choice}", lang)

    if view == "change" and compare_years:
        year_from = int(compare_years[0])
        ed_from = _edition(index_code, year_from)
        breaks = method_breaks(index_code, [year_from, year], lang)
        rescaled = [b for b in breaks if b.rescaled]
        if metric != "total" and metric not in set(qmap.metric_options(ed_from["edition_id"]).component_id):
            notices.append(
                Notice(
                    "warning", t("map.change_missing_metric", lang, metric=fmt.md_escape(metric_label), year=year_from)
                )
            )
        elif rescaled and metric == "total":
            same = [
                y
                for y in _same_map_years(index_code, year, choice)
                if y != year and not [b for b in method_breaks(index_code, [y, year], lang) if b.rescaled]
            ]
            notices.append(
                Notice(
                    "warning",
                    t(
                        "map.break.refused",
                        lang,
                        index=index_label,
                        year_from=year_from,
                        year_to=year,
                        reasons="; ".join(b.text for b in rescaled),
                        years=", ".join(map(str, sorted(same))) or "–",
                    ),
                )
            )
        else:
            notices.extend(Notice("warning", t("map.break.stated", lang, reason=b.text)) for b in breaks)
            then = qmap.map_values(ed_from["edition_id"], metric)
            return _change_view(req, (year_from, year), (then, values), layer, geometry, notices, bool(breaks))
        # refused: the chosen year's map follows the reason

    if view == "multiples" and compare_years:
        return _multiples_view(req, sorted(set(int(y) for y in compare_years)), layer, geometry)

    shapes, off = qmap.join_layer(values, layer)
    rows = req.rows(shapes)
    off_rows = _strip_rows(off, lang, href_base, req.href_params)
    domain = cmap.value_domain(rows.value, off_rows.value if len(off_rows) else [])
    title = f"{index_label} {year} · {metric_label}"
    if ed["completeness"] == "partial":
        notices.append(_coverage_notice(values, lang, layer, choice))
    if not rows.has_data.any():
        notices.append(Notice("info", t("map.no_values", lang, metric=fmt.md_escape(metric_label))))
    alt = _alt_single(rows, lang, common)
    spec = arrow_spec(cmap.choropleth(rows, geometry, lang, title, domain))
    return req.view(
        "single",
        title,
        notices,
        spec,
        alt,
        captions=[alt, geometry_note],
        strip=_strip(off_rows, lang, metric_label, domain),
        table=table_frame(rows, off_rows, lang, choice),
        years=[year],
    )


def _change_view(
    req: _Request,
    years: tuple[int, int],
    values: tuple[pd.DataFrame, pd.DataFrame],
    layer: str,
    geometry,
    notices: list[Notice],
    across_break: bool,
) -> MapView:
    """The change map from `years[0]` to `years[1]`, whose map values are `values` (the same order)."""
    lang, (year_from, year) = req.lang, years
    then, _ = qmap.join_layer(values[0], layer)
    now, _ = qmap.join_layer(values[1], layer)
    merged = now.merge(then[["code", "value"]].rename(columns={"value": "value_from"}), on="code", how="left")
    merged["change"] = merged["value"] - merged["value_from"]
    rows = req.rows(merged, value_col="change")
    rows["value_text"] = [
        t("common.no_data", lang) if pd.isna(v) else fmt.number(v, lang, signed=True) for v in rows.value
    ]
    rows["from_text"] = [fmt.number(v, lang) for v in merged.value_from]
    rows["to_text"] = [fmt.number(v, lang) for v in merged["value"]]
    title = t("map.change_title", lang, year_from=year_from, year_to=year) + f" · {req.metric_label}"
    data = rows[rows.has_data]
    alt = t(
        "map.alt_change",
        lang,
        metric=req.metric_label,
        index=req.index_label,
        year_from=year_from,
        year_to=year,
        n_data=len(data),
        n_up=int((data.value > 0).sum()),
        n_down=int((data.value < 0).sum()),
    )
    if across_break:
        alt = t("map.break.alt_prefix", lang) + " " + alt
    spec = arrow_spec(cmap.change_map(rows, geometry, lang, title, year_from, year))
    table = table_frame(rows, rows.iloc[0:0], lang, req.choice, change=True, year_from=year_from, year_to=year)
    captions = [alt, t("map.change_note", lang)]
    return req.view("change", title, notices, spec, alt, captions=captions, table=table, years=[year_from, year])


def _multiples_view(req: _Request, years: list[int], layer: str, geometry) -> MapView:
    lang, index_code, choice = req.lang, req.index_code, req.choice
    eds = [_edition(index_code, y)["edition_id"] for y in years]
    series = qmap.map_series(eds, req.metric)
    parts = [qmap.join_layer(series[series.year == y], layer)[0].assign(year=y) for y in years]
    rows = req.rows(pd.concat(parts, ignore_index=True))
    breaks = method_breaks(index_code, years, lang)
    notices = [Notice("warning", t("map.break.multiples", lang, reason=b.text)) for b in breaks]
    # Each method period gets its own colour scale when the dimensions changed (totals on different scales).
    cuts = [b.year for b in breaks if b.rescaled] if req.metric == "total" else []
    periods_years: list[list[int]] = [[]]
    for y in years:
        if periods_years[-1] and any(periods_years[-1][-1] < c <= y for c in cuts):
            periods_years.append([])
        periods_years[-1].append(y)
    value_title = f"{req.index_label} · {req.metric_label}"
    periods = []
    for group in periods_years:
        part = rows[rows.year.isin(group)]
        domain = cmap.value_domain(part.value)
        heading = (
            (t("map.break.period", lang, first=group[0], last=group[-1]) if len(group) > 1 else str(group[0]))
            if len(periods_years) > 1
            else ""
        )
        panels = [
            Panel(
                str(y),
                arrow_spec(
                    cmap.map_panel(
                        part[part.year == y].reset_index(drop=True), geometry, lang, value_title, domain, str(y)
                    )
                ),
                t("map.panel_alt", lang, year=y),
            )
            for y in group
        ]
        periods.append(Period(heading, arrow_spec(cmap.map_legend(lang, value_title, domain)), panels))
    alt = t(
        "map.alt_multiples" if len(periods) == 1 else "map.alt_multiples_periods",
        lang,
        periods=len(periods),
        n=len(years),
        layer=t(f"map.layer.{choice}", lang),
        metric=req.metric_label,
        index=req.index_label,
        years=", ".join(map(str, years)),
    )
    return req.view(
        "multiples",
        value_title,
        notices,
        None,
        alt,
        captions=[alt],
        periods=periods,
        columns=max(1, min(len(years), 4 if choice == "provinces" else 3)),
        table=table_frame(rows, rows.iloc[0:0], lang, choice),
        years=years,
    )


__all__ = ["MAX_YEARS", "MapChoices", "MapView", "build_map_choices", "build_map_view", "method_breaks"]
