"""/unit's view: one unit's profile as a frozen `UnitView`, built once per (unit, index, year, language, share
link, data version) by `build_unit_view` and drawn by pages/unit.py; `unit_context` gives the index and year
pickers their options (the latest year with a figure first). The picker's ids, records and labels are shared
per data version (`picker`, `labels`); the one unit search is queries.units.match_units.

Every text here is formatted for display (numbers through fmt/Babel, names escaped with fmt.md_escape); charts
are Vega-Lite specs with Arrow datasets and tables are Arrow, so a new session only draws."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from .. import fmt
from .. import profile_text as pt
from .. import queries as q
from ..charts import profile as cp
from ..charts.components import arrow_spec
from ..fmt import md_escape as md
from ..fmt import unit_name
from ..i18n import t
from ..queries import profile as qp
from ..queries._cache import versioned_view
from ..queries.compare import method_changes

# Up to LARGE_PICKER units (shipped data: 835) the unit picker lists every unit beside the search box. Above
# (synthetic national data: 10,063) it lists the current unit and at most MATCH_LIMIT matches: a 10,063-option
# select sent ~560 KB of labels with every new session.
LARGE_PICKER = 1000
MATCH_LIMIT = 50
INDEX_CODES = qp.INDEX_ORDER


# ---------------------------------------------------------------- the view model


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None
    delta: str | None = None


@dataclass(frozen=True)
class Chart:
    spec: dict  # Vega-Lite, datasets as Arrow IPC bytes
    caption: str
    title: str = ""  # drawn above the chart (a Vega title is clipped when Streamlit fits the chart to its width)


@dataclass(frozen=True)
class Link:
    label: str
    params: dict  # query params of pages/unit.py


@dataclass(frozen=True)
class Section:
    """A titled part of the profile: metrics, then sentences (Markdown, names escaped), notes (captions), an
    optional warning, charts, the table behind them (Arrow) and links."""

    title: str = ""
    metrics: tuple[Metric, ...] = ()
    text: str = ""
    notes: tuple[str, ...] = ()
    warning: str | None = None
    charts: tuple[Chart, ...] = ()
    table: pa.Table | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class UnitView:
    title: str
    subtitle: str
    notice: str | None = None  # e.g. the unit has no published result
    merged: str | None = None  # "X became part of Y on …" (with links to Y)
    successor_links: tuple[Link, ...] = ()
    standing: Section | None = None
    predecessor_cards: tuple[Section, ...] = ()  # a post-merger unit without results: its predecessors' standings
    strengths: Section | None = None
    change: Section | None = None
    cross: Section | None = None
    trend: Section | None = None
    lineage: Section | None = None
    share_url: str = ""
    citation: str | None = None
    png_args: tuple | None = None  # summary_png(*png_args), made when the button is pressed
    png_name: str = ""
    history_csv: pd.DataFrame | None = None  # the unit's history as shown, for the CSV download
    csv_name: str = ""
    texts: dict = field(default_factory=dict)  # headings and labels the page draws


@dataclass(frozen=True)
class UnitContext:
    """What the index and year pickers offer for a unit: its indices (or, for a post-merger unit without results
    of its own, its predecessors'), and per index its years and the default year (the latest with a figure)."""

    indices: tuple[str, ...]
    years: dict  # index_code -> (years, default year)
    index_labels: dict


# ---------------------------------------------------------------- pickers (shared per data version)


def picker(version: str) -> tuple[tuple[str, ...], dict[str, dict]]:
    """Every unit id in picker order and its record (shared: never mutate)."""
    return q.picker_units(version)


@functools.lru_cache(maxsize=8)
def labels(lang: str, version: str) -> dict[str, str]:
    """Every option's label at once, per language and data version (shared: never mutate)."""
    _, recs = picker(version)
    return {uid: unit_label(rec, lang, recs) for uid, rec in recs.items()}


def is_large(version: str) -> bool:
    """Whether the picker lists only matches (more than LARGE_PICKER units) rather than every unit."""
    return len(picker(version)[0]) > LARGE_PICKER


def search(lang: str, query: str | None, limit: int | None = None) -> tuple[list[str], int]:
    """The one unit search (queries.units.match_units): up to `limit` (default MATCH_LIMIT) ids and the total."""
    return q.match_units(query, lang, limit=int(MATCH_LIMIT if limit is None else limit))


def unit_label(rec: dict, lang: str, recs: dict | None = None) -> str:
    """ "Name · kind · until/from date · parent" (the picker's and the header's label)."""
    parts = [unit_name(rec, lang), t(f"kind.{rec['kind']}", lang)]
    if pd.notna(rec.get("valid_from")):
        parts.append(t("unit.valid_from", lang, date=fmt.day(rec["valid_from"], lang)))
    if pd.notna(rec.get("valid_to")):
        parts.append(t("unit.valid_to", lang, date=fmt.day(rec["valid_to"], lang)))
    parent = rec.get("parent_unit_id")
    if isinstance(parent, str) and parent and rec["kind"] != "province":
        prec = (recs or {}).get(parent) or q.unit(parent)
        if prec:
            parts.append(unit_name(prec, lang))
    return " · ".join(parts)


def index_label(code: str, lang: str) -> str:
    return t(f"index.{code}", lang)


@versioned_view
def unit_context(unit_id: str) -> UnitContext:
    own = qp.unit_history(unit_id)
    preds = q.predecessors(unit_id)
    subject_ids = [unit_id] if len(own) else (preds.predecessor_unit_id.tolist() if len(preds) else [])
    indices = qp.unit_indices(subject_ids) if subject_ids else []
    hist = (
        qp.unit_history(subject_ids) if subject_ids else pd.DataFrame(columns=["index_code", "total", "rank", "year"])
    )
    years = {}
    for code in indices:
        ys = qp.years_for(code)
        have = hist[(hist.index_code == code) & (hist.total.notna() | hist["rank"].notna())]
        years[code] = (ys, int(have.year.max()) if len(have) else ys[-1])
    return UnitContext(tuple(indices), years, {c: index_label(c, "vi") for c in indices})


# ---------------------------------------------------------------- the profile


def summary_png(title, lines, gaps, contrib, delta_total, footer, lang, gap_title, change_title) -> bytes:
    """The PNG summary card (made when its download button is pressed)."""
    return cp.to_png(
        cp.summary_card(
            title, lines, gaps, contrib, delta_total, footer, lang, gap_title=gap_title, change_title=change_title
        )
    )


def _arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


def _note(s: dict | None, lang: str) -> str | None:
    """The source's note in the reader's language: note_vi in Vietnamese, the English note in English; none in
    Vietnamese when the data has no Vietnamese text yet (never English text on a Vietnamese page)."""
    if not s:
        return None
    note = s.get("note_vi") if lang == "vi" else s.get("note")
    return note if isinstance(note, str) and note.strip() else None


@versioned_view
def build_unit_view(unit_id: str, index_code: str | None, year: int | None, lang: str, url: str) -> UnitView:
    """Everything the profile draws below the pickers, for one view."""
    _, recs = picker(q.data_version())
    rec = dict(recs[unit_id])
    name = unit_name(rec, lang)
    title, subtitle = name, unit_label(rec, lang, recs)
    preds = q.predecessors(unit_id)
    succs = q.successors(unit_id)
    own = qp.unit_history(unit_id)
    has_own = len(own) > 0
    texts = {
        "sec.share": t("unit.sec.share", lang),
        "share.link": t("unit.share.link", lang),
        "share.print": t("unit.share.print", lang),
        "share.png": t("unit.share.png", lang),
        "share.csv": t("unit.share.csv", lang),
        "table_alt": t("common.table_alt", lang),
    }
    if index_code is None:
        return UnitView(
            title,
            subtitle,
            notice=t("unit.no_results", lang),
            lineage=_lineage(unit_id, rec, name, preds, succs, own, lang),
            share_url=url,
            texts=texts,
        )
    year = int(year) if year is not None else qp.years_for(index_code)[-1]  # the pickers always pass one
    pred_ids = preds.predecessor_unit_id.tolist() if len(preds) else []
    subject_ids = [unit_id] if has_own else pred_ids
    subj_hist = qp.unit_history(subject_ids)
    ilabel = index_label(index_code, lang)
    ilabels = {c: index_label(c, lang) for c in set(qp.INDEX_ORDER) | set(subj_hist.index_code)}

    merged = None
    successor_links: tuple[Link, ...] = ()
    if len(succs):
        merged = md(pt.merged_into_sentence(name, succs, lang))
        successor_links = tuple(
            Link(
                t("unit.lin.open", lang, name=unit_name(s, lang)),
                {"lang": lang, "unit": s.successor_unit_id, "index": index_code},
            )
            for _, s in succs.iterrows()
        )

    lines: list[str] = []
    standing = strengths = change = None
    cards: tuple[Section, ...] = ()
    gaps = contrib = delta_total = None
    if has_own:
        got = qp.edition_standing(unit_id, index_code, year)
        standing, lines = _standing(name, ilabel, index_code, year, got, lang)
        if got is not None and got["standing"] is not None:
            strengths, gaps, sw_line = _strengths(unit_id, name, got, lang)
            lines += sw_line
            change, contrib, delta_total, ch_line = _change(unit_id, name, index_code, ilabel, year, got, own, lang)
            lines += ch_line
    else:
        cards = _predecessor_cards(preds, index_code, ilabel, year, lang)

    cross = None
    if has_own and rec["kind"] == "province":
        cross, cross_lines = _cross(unit_id, name, year, ilabels, lang)
        lines += cross_lines
    elif has_own:
        cross = Section(t("unit.sec.cross", lang, year=year), notes=(t("unit.x.not_province", lang),))

    trend = _trend(own, name, ilabels, lang) if has_own else None
    lineage = _lineage(unit_id, rec, name, preds, succs, own, lang, ilabels)

    citation = png_args = history_csv = None
    if has_own or cards:
        ed = q.edition(index_code, year)
        # The sources of the figures shown (this unit's row, or its predecessors' rows), not the edition's main one.
        shown_ids = [unit_id] if has_own else preds.predecessor_unit_id.tolist()
        sources = (
            (q.view_sources(ed["edition_id"], unit_ids=shown_ids) or [q.edition_source(ed["edition_id"])]) if ed else []
        )
        citation = fmt.citation_text(lang, ilabel, year, sources, url)
    if has_own:
        prev = q.previous_edition(index_code, year)
        change_title = t("unit.sec.change", lang, prev=prev["year"] if prev else "–", year=year)
        png_args = (
            t("unit.png.title", lang, name=name, index=ilabel, year=year),
            list(lines),
            gaps,
            contrib,
            delta_total,
            t("unit.png.footer", lang, citation=citation),
            lang,
            t("unit.sec.sw", lang),
            change_title,
        )
        history_csv = _history_table(own, ilabels, lang)
    return UnitView(
        title,
        subtitle,
        merged=merged,
        successor_links=successor_links,
        standing=standing,
        predecessor_cards=cards,
        strengths=strengths,
        change=change,
        cross=cross,
        trend=trend,
        lineage=lineage,
        share_url=url,
        # the share link and the sources' addresses stay links: md_escape inside a URL broke it (issue 14: par%5C_hanoi)
        citation=fmt.md_with_links(f"{t('common.citation', lang)}: {citation}", [url, *(s.get("url") for s in sources)])
        if citation
        else None,
        png_args=png_args,
        png_name=f"cchc-{unit_id}-{index_code}-{year}-{lang}.png",
        history_csv=history_csv,
        csv_name=f"cchc-{unit_id}-history-{lang}.csv",
        texts={**texts, "citation_plain": citation or ""},
    )


def _rank_value(rank, n, lang: str) -> str:
    return pt.rank_label(rank, n, lang)


def _standing(name, ilabel, index_code, year, got, lang) -> tuple[Section, list[str]]:
    s = got["standing"] if got else None
    status = "no_edition" if got is None else None
    sentences = pt.standing_sentences(name, ilabel, year, s, lang, status=status)
    metrics: tuple[Metric, ...] = ()
    notes: list[str] = []
    if s is not None:
        partial_help = None if s["complete"] else t("unit.m.partial_help", lang)
        rank_help = None
        if s["rank"] is not None:
            rank_help = t("unit.m.official" if s.get("rank_official") else "unit.m.computed", lang)
        metrics = (
            Metric(t("unit.m.rank", lang), _rank_value(s["rank"], s.get("n_ranked"), lang), help=rank_help),
            Metric(t("unit.m.total", lang), pt.total_value(s["total"], s.get("total_unit"), lang)),
            Metric(t("unit.m.percentile", lang), fmt.number(s["percentile"], lang, decimals=0), help=partial_help),
            Metric(t("unit.m.median", lang), fmt.number(s["median"], lang), help=partial_help),
            Metric(
                t("unit.m.to_next", lang),
                pt.points(s["points_to_next"], lang),
                delta=(t("unit.m.to_top", lang) + ": " + fmt.number(s["points_to_top"], lang))
                if s["points_to_top"] is not None
                else None,
            ),
        )
        note = _note(s, lang)
        if note and (s["total"] is None or not s["complete"]):
            notes.append(md(t("unit.s.source_note", lang, note=note)))
    section = Section(
        t("unit.sec.standing", lang, index=ilabel, year=year),
        metrics=metrics,
        text=md(" ".join(sentences)),
        notes=tuple(notes),
    )
    return section, list(sentences)


def _strengths(unit_id, name, got, lang):
    s, group = got["standing"], got["group"]
    peers = t(f"group.{group}", lang).lower()
    title = t("unit.sec.sw", lang)
    if not s["complete"]:
        return Section(title, notes=(t("unit.sw.partial", lang),)), None, []
    gaps = qp.edition_gaps(unit_id, got["edition"]["edition_id"], group)
    strong, weak = qp.strengths_weaknesses(gaps)
    sentence = pt.strengths_sentence(name, peers, strong, weak, lang)
    notes = []
    missing = gaps[gaps.score.isna()]
    if len(missing):
        notes.append(
            md(
                t(
                    "unit.sw.missing",
                    lang,
                    name=name,
                    components=pt.join_list([pt.component_name(r, lang) for _, r in missing.iterrows()], lang),
                )
            )
        )
    charts: tuple[Chart, ...] = ()
    table = None
    if gaps.gap.notna().any():
        charts = (Chart(arrow_spec(cp.gap_chart(gaps, lang)), t("unit.sw.alt", lang)),)
        table = _arrow(_gap_table(gaps, lang))
    return Section(title, text=md(sentence), notes=tuple(notes), charts=charts, table=table), gaps, [sentence]


def _change(unit_id, name, index_code, ilabel, year, got, own, lang):
    prev = q.previous_edition(index_code, year)
    title = t("unit.sec.change", lang, prev=prev["year"] if prev else "–", year=year)
    if not prev:
        return Section(title, notes=(t("unit.ch.no_prev", lang, index=ilabel, year=year),)), None, None, []
    got_ch = qp.edition_change(unit_id, index_code, year, got["group"])
    ch = got_ch["change"] if got_ch else None
    if ch is None:
        have = set(own[(own.index_code == index_code) & (own.total.notna() | own["rank"].notna())].year.astype(int))
        missing = [y for y in (int(prev["year"]), int(year)) if y not in have]
        note = t(
            "unit.ch.no_pair",
            lang,
            name=name,
            prev=prev["year"],
            year=year,
            missing=pt.join_list([str(y) for y in missing], lang) or "–",
        )
        return Section(title, notes=(md(note),)), None, None, []
    sentences = pt.change_sentences(name, ilabel, int(prev["year"]), year, ch, lang)
    contrib, delta_total = ch["contributions"], ch["delta_total"]
    charts: tuple[Chart, ...] = ()
    table = None
    if contrib.contribution.notna().any():
        chart = cp.change_chart(contrib, delta_total if ch["additive"] else None, lang)
        charts = (Chart(arrow_spec(chart), t("unit.ch.alt", lang)),)
        table = _arrow(_change_table(contrib, lang))
    if not ch["additive"]:
        delta_total = None
    section = Section(title, text=md(" ".join(sentences)), charts=charts, table=table)
    return section, contrib, delta_total, [" ".join(sentences)]


def _cross(unit_id, name, year, ilabels, lang) -> tuple[Section, list[str]]:
    rows = qp.cross_index(unit_id, year)
    metrics = []
    for r in rows:
        label = ilabels[r["index_code"]]
        if r["status"] != "ok":
            metrics.append(Metric(label, "–", delta=t(f"unit.x.status.{r['status']}", lang)))
            continue
        if r["rank"] is not None:
            value = _rank_value(r["rank"], r.get("n_ranked"), lang)
        else:
            value = pt.total_value(r["total"], r.get("total_unit"), lang)
        if r["percentile"] is not None:
            delta = f"{t('unit.m.percentile', lang)} {pt.pct(r['percentile'], lang)}"
        elif r["rank"] is not None and r["total"] is not None:
            delta = f"{pt.total_value(r['total'], r.get('total_unit'), lang)} · {t('common.partial', lang)}"
        else:
            delta = t("common.partial", lang)
        metrics.append(Metric(label, value, delta=delta))
    sentence = pt.cross_sentence(name, year, rows, ilabels, lang)
    div = qp.divergence(rows)
    div_sentence = pt.divergence_sentence(div, ilabels, lang)
    charts: tuple[Chart, ...] = ()
    if any(r["percentile"] is not None for r in rows):
        charts = (Chart(arrow_spec(cp.cross_chart(rows, ilabels, lang)), t("unit.x.alt", lang)),)
    table = pd.DataFrame(
        {
            t("unit.col.index", lang): [ilabels[r["index_code"]] for r in rows],
            t("unit.x.col_status", lang): [t(f"unit.x.status.{r['status']}", lang) for r in rows],
            t("common.score", lang): [pt.total_value(r["total"], r.get("total_unit"), lang) for r in rows],
            t("common.rank", lang): [_rank_value(r["rank"], r.get("n_ranked"), lang) for r in rows],
            t("unit.col.percentile", lang): [
                pt.pct(r["percentile"], lang) if r["percentile"] is not None else "–" for r in rows
            ],
            t("unit.col.completeness", lang): [
                t(f"common.{r['completeness']}", lang) if r["completeness"] else "–" for r in rows
            ],
        }
    )
    section = Section(
        t("unit.sec.cross", lang, year=year),
        metrics=tuple(metrics),
        text=md(sentence),
        notes=() if div else (md(div_sentence),),
        warning=md(div_sentence) if div else None,
        charts=charts,
        table=_arrow(table),
    )
    return section, ([sentence, div_sentence] if div else [sentence])


def _breaks(hist: pd.DataFrame) -> tuple[dict, dict]:
    """Per index: the years of its editions and the years its top-level method changed (the unit's group)."""
    editions, breaks = {}, {}
    for code, g in hist.groupby("index_code"):
        editions[code] = tuple(qp.years_for(code))
        years: set[int] = set()
        for group in set(g.unit_group.dropna()):
            ch = method_changes(code, group)
            if len(ch):
                top = ch[ch.parent_component_id.fillna("") == ""]
                years |= {int(y) for y in top.year}
        breaks[code] = tuple(sorted(years))
    return editions, breaks


def _trend(hist: pd.DataFrame, name: str, ilabels: dict, lang: str) -> Section:
    editions, breaks = _breaks(hist)
    charts = []
    order = [c for c in qp.INDEX_ORDER if c in set(hist.index_code)] + sorted(
        set(hist.index_code) - set(qp.INDEX_ORDER)
    )
    for code in order:
        h = hist[hist.index_code == code]
        if h.total.notna().any():
            percent = (h.total_unit == "percent").all()
            spec = arrow_spec(cp.score_trend(h, ilabels, lang, editions[code], breaks[code], percent=bool(percent)))
            charts.append(Chart(spec, "", title=str(ilabels.get(code, code))))
    notes = [md(t("unit.t.score_alt", lang, name=name))] if charts else []
    if hist["rank"].notna().any():
        spec = arrow_spec(cp.rank_trend(hist, ilabels, lang, editions, breaks))
        charts.append(Chart(spec, md(t("unit.t.rank_alt", lang, name=name)), title=t("unit.t.rank_title", lang)))
    changed = [f"{ilabels.get(c, c)} {y}" for c in order for y in breaks.get(c, ())]
    notes.append(
        t("unit.t.breaks", lang, changes=pt.join_list(changed, lang)) if changed else t("unit.t.gaps_only", lang)
    )
    return Section(
        t("unit.sec.trend", lang),
        notes=tuple(notes),
        charts=tuple(charts),
        table=_arrow(_history_table(hist, ilabels, lang)),
    )


def _predecessor_cards(preds, index_code, ilabel, year, lang) -> tuple[Section, ...]:
    cards = []
    for _, pr in preds.iterrows():
        pname = unit_name(pr, lang)
        got = qp.edition_standing(pr.predecessor_unit_id, index_code, year)
        s = got["standing"] if got else None
        metrics: tuple[Metric, ...] = ()
        if s is not None:
            metrics = (
                Metric(
                    t("unit.m.rank", lang),
                    _rank_value(s["rank"], s.get("n_ranked"), lang),
                    delta=f"{t('unit.m.total', lang)}: {pt.total_value(s['total'], s.get('total_unit'), lang)}",
                ),
            )
        text = md(
            " ".join(pt.standing_sentences(pname, ilabel, year, s, lang, status="no_edition" if got is None else None))
        )
        link = Link(
            t("unit.lin.open", lang, name=pname),
            {"lang": lang, "unit": pr.predecessor_unit_id, "index": index_code, "year": str(year)},
        )
        cards.append(Section(md(pname), metrics=metrics, text=text, links=(link,)))
    return tuple(cards)


def _lineage(unit_id, rec, name, preds, succs, own, lang, ilabels=None) -> Section | None:
    ended = pd.notna(rec.get("valid_to")) and not len(succs)
    if not (len(preds) or len(succs) or ended):
        return None
    paras = []
    if len(succs):
        paras.append(md(pt.merged_into_sentence(name, succs, lang)))
    if ended:
        last = int(own.year.max()) if len(own) else None
        paras.append(md(pt.series_end_sentence(name, rec["valid_to"], last, lang)))
    charts: tuple[Chart, ...] = ()
    table = None
    links: tuple[Link, ...] = ()
    notes: tuple[str, ...] = ()
    if len(preds):
        paras.append(md(pt.predecessors_sentence(name, preds, len(own) > 0, lang)))
        hist = qp.unit_history(preds.predecessor_unit_id.tolist())
        labels_ = dict(ilabels or {})
        labels_.update({c: index_label(c, lang) for c in set(hist.index_code) if c not in labels_})
        if hist.total.notna().any():
            charts = (Chart(arrow_spec(cp.predecessor_trend(hist, labels_, lang)), t("unit.lin.pred_alt", lang)),)
        notes = (t("unit.sec.predecessors", lang),)
        table = _arrow(_history_table(hist, labels_, lang))
        links = tuple(
            Link(t("unit.lin.open", lang, name=unit_name(pr, lang)), {"lang": lang, "unit": pr.predecessor_unit_id})
            for _, pr in preds.iterrows()
        )
    return Section(
        t("unit.sec.lineage", lang), text="\n\n".join(paras), notes=notes, charts=charts, table=table, links=links
    )


# ---------------------------------------------------------------- tables (as shown and downloaded)


def _dec(series: pd.Series) -> pd.Series:
    """Published figures at their published precision (no float noise)."""
    return series.astype("Float64").round(fmt.published_decimals(series))


def _gap_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("unit.col.component", lang): [pt.component_name(r, lang) for _, r in gaps.iterrows()],
            t("unit.col.score", lang): _dec(gaps.score),
            t("unit.col.median", lang): gaps["median"].astype("Float64").round(4),
            t("unit.col.gap", lang): gaps.gap.astype("Float64").round(4),
            t("unit.col.rank_in_component", lang): gaps.rank_in_component.astype("Int64"),
        }
    )


def _change_table(contrib: pd.DataFrame, lang: str) -> pd.DataFrame:
    prev, cur = contrib.prev.astype("Float64"), contrib.cur.astype("Float64")
    dec = fmt.published_decimals(prev, cur)
    return pd.DataFrame(
        {
            t("unit.col.component", lang): [pt.component_name(r, lang) for _, r in contrib.iterrows()],
            t("unit.col.prev", lang): prev.round(dec),
            t("unit.col.cur", lang): cur.round(dec),
            t("unit.col.contribution", lang): contrib.contribution.astype("Float64").round(dec),
            t("unit.col.status", lang): contrib.status.map(lambda s: t(f"unit.ch.status.{s}", lang)),
        }
    )


def _history_table(hist: pd.DataFrame, ilabels: dict, lang: str) -> pd.DataFrame:
    notes = hist.note_vi if lang == "vi" else hist.note
    yes, no = t("unit.yes", lang), t("unit.no", lang)
    return pd.DataFrame(
        {
            t("unit.col.unit", lang): fmt.unit_names(hist, lang),
            t("unit.col.index", lang): hist.index_code.map(lambda c: ilabels.get(c, c)),
            t("common.year", lang): hist.year.astype(int),
            t("common.score", lang): _dec(hist.total),
            t("unit.col.score_unit", lang): hist.total_unit.map(lambda u: t(f"unit.score_unit.{u or 'points'}", lang)),
            t("common.rank", lang): hist["rank"].astype("Int64"),
            t("unit.col.rank_official", lang): hist.rank_official.map(
                lambda o: "–" if pd.isna(o) else (yes if o else no)
            ),
            "n": hist.n_scored.where(hist.completeness == "complete").astype("Int64"),
            t("unit.col.percentile", lang): hist.percentile.astype("Float64").round(1),
            t("unit.col.completeness", lang): hist.completeness.map(lambda c: t(f"common.{c}", lang)),
            t("common.note", lang): notes.map(lambda v: v if isinstance(v, str) and v.strip() else ""),
        }
    )
