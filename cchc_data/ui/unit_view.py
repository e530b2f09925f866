"""/unit's view, computed once per view and cached: the picker's ids, records and labels (shared read-only per
data version), the index/year pickers' context per unit, and the plan of every element below the pickers per
(unit, index, year, language, share link, data version). pages/unit.py draws it (ui.plan.draw)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import profile_text as pt
from .. import queries as q
from ..charts import profile as cp
from ..i18n import t
from ..queries import profile as qp
from ..textnorm import fold
from . import fmt
from .download import citation_text, to_csv_bytes
from .labels import group_label, index_label, unit_name
from .plan import Plan
from .text import md_escape

KINDS = ("province", "ministry", "department", "district", "commune", "office")
# Up to LARGE_PICKER units (shipped data: 835) the unit picker is one select of every unit. Above (synthetic
# national data: 10,063) it is a search box and a select of the current unit and at most MATCH_LIMIT matches:
# a 10,063-option select sent ~560 KB of labels with every new session and formatted every label on each run.
LARGE_PICKER = 1000
MATCH_LIMIT = 50
md = md_escape  # generated sentences contain unit names from the data


def summary_png(title, lines, gaps, contrib, delta_total, footer, lang, gap_title, change_title) -> bytes:
    """The PNG summary card (made when its download button is pressed)."""
    return cp.to_png(cp.summary_card(title, lines, gaps, contrib, delta_total, footer, lang,
                                     gap_title=gap_title, change_title=change_title))


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def picker(version: str) -> tuple[tuple[str, ...], dict[str, dict]]:
    """Every unit id in picker order and its record, once per data version (shared: never mutate)."""
    rows = {}
    for kind in KINDS:
        for rec in q.units_of_kind(kind).to_dict("records"):
            rows[rec["unit_id"]] = rec
    return tuple(rows), rows


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def labels(lang: str, version: str) -> dict[str, str]:
    """Every option's label at once (one pass per language and data version; shared: never mutate)."""
    _, recs = picker(version)
    parents: dict = {}  # one look-up per parent unit, not per child (10,000 communes at national scale)
    return {uid: unit_label(rec, lang, parents) for uid, rec in recs.items()}


def is_large(version: str) -> bool:
    """Whether the picker is a search box (more than LARGE_PICKER units) rather than one select of every unit."""
    return len(picker(version)[0]) > LARGE_PICKER


def search(lang: str, query: str | None, version: str, limit: int | None = None) -> tuple[list[str], int]:
    """The one unit search (queries.units.match_units): up to `limit` (default MATCH_LIMIT) ids and the total."""
    return q.match_units(query, lang, limit=int(MATCH_LIMIT if limit is None else limit))


def unit_label(rec: dict, lang: str, parents: dict | None = None) -> str:
    parts = [unit_name(rec, lang), t(f"kind.{rec['kind']}", lang)]
    if pd.notna(rec.get("valid_from")):
        parts.append(t("unit.valid_from", lang, date=pt.fmt_date(rec["valid_from"], lang)))
    if pd.notna(rec.get("valid_to")):
        parts.append(t("unit.valid_to", lang, date=pt.fmt_date(rec["valid_to"], lang)))
    parent = rec.get("parent_unit_id")
    if isinstance(parent, str) and parent and rec["kind"] != "province":
        if parents is None:
            prec = q.unit(parent)
        elif parent in parents:
            prec = parents[parent]
        else:
            prec = parents[parent] = q.unit(parent)
        if prec:
            parts.append(unit_name(prec, lang))
    return " · ".join(parts)


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def context(unit_id: str, version: str) -> dict:
    """What the index and year pickers need: the indices the unit (or, for a post-merger unit without results of
    its own, its predecessors) appears in, and per index its years and the default year (latest with a figure)."""
    own = qp.unit_history(unit_id)
    preds = q.predecessors(unit_id)
    subject_ids = [unit_id] if len(own) else (preds.predecessor_unit_id.tolist() if len(preds) else [])
    indices = qp.unit_indices(subject_ids) if subject_ids else []
    hist = qp.unit_history(subject_ids) if subject_ids else None
    years = {}
    for code in indices:
        ys = qp.years_for(code)
        have = hist[(hist.index_code == code) & (hist.total.notna() | hist["rank"].notna())]
        years[code] = (ys, int(have.year.max()) if len(have) else ys[-1])
    return {"indices": indices, "years": years}


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def plan(unit_id: str, index_code: str | None, year: int | None, lang: str, url: str, version: str) -> list:
    """Every element of the profile below the pickers, for one view (see Plan)."""
    p = Plan()
    _, recs = picker(version)
    rec = dict(recs[unit_id])
    name = unit_name(rec, lang)
    preds = q.predecessors(unit_id)
    succs = q.successors(unit_id)
    own = qp.unit_history(unit_id)
    has_own = len(own) > 0
    if index_code is None:
        _header(p, rec, name, lang)
        p.info(t("unit.no_results", lang))
        _lineage(p, unit_id, rec, name, preds, succs, own, lang)
        _share(p, unit_id, None, None, lang, url, None)
        return p.ops
    pred_ids = preds.predecessor_unit_id.tolist() if len(preds) else []
    subject_ids = [unit_id] if has_own else pred_ids
    subj_hist = qp.unit_history(subject_ids)
    ilabel = index_label(index_code, lang)
    labels = {c: index_label(c, lang) for c in set(qp.INDEX_ORDER) | set(subj_hist.index_code)}

    _header(p, rec, name, lang)
    if len(succs):
        p.warning(md(pt.merged_into_sentence(name, succs, lang)), icon=":material/merge:")
        for _, s in succs.iterrows():
            p.page_link("pages/unit.py", label=t("unit.lin.open", lang, name=unit_name(s, lang)),
                        icon=":material/arrow_forward:",
                        query_params={"lang": lang, "unit": s.successor_unit_id, "index": index_code})

    summary_lines: list[str] = []
    gaps = contrib = None
    delta_total = None
    if has_own:
        got = qp.edition_standing(unit_id, index_code, year)
        p.subheader(t("unit.sec.standing", lang, index=ilabel, year=year))
        summary_lines, gaps, contrib, delta_total = _standing_block(p, unit_id, name, index_code, ilabel, year, got,
                                                                    lang)
    else:
        _predecessor_standings(p, preds, index_code, ilabel, year, lang)

    if rec["kind"] == "province" and has_own:
        summary_lines += _cross_block(p, unit_id, name, year, labels, lang)
    elif has_own:
        p.subheader(t("unit.sec.cross", lang, year=year))
        p.caption(t("unit.x.not_province", lang))

    if has_own:
        p.subheader(t("unit.sec.trend", lang))
        _trend(p, own, name, labels, lang)
    _lineage(p, unit_id, rec, name, preds, succs, own, lang, labels=labels)
    _share(p, unit_id, index_code, year, lang, url, (summary_lines, gaps, contrib, delta_total, name, ilabel, own))
    return p.ops


def _header(p: Plan, rec: dict, name: str, lang: str) -> None:
    p.header(name, anchor=False)
    p.caption(unit_label(rec, lang))


def _standing_block(p: Plan, unit_id, name, index_code, ilabel, year, got, lang):
    lines: list[str] = []
    gaps = contrib = None
    delta_total = None
    s = got["standing"] if got else None
    status = "no_edition" if got is None else None
    sentences = pt.standing_sentences(name, ilabel, year, s, lang, status=status)
    lines += sentences
    if s is not None:
        cols = p.columns(5)
        n = s["n_scored"] if s["complete"] else None
        cols[0].metric(t("unit.m.rank", lang), pt.rank_label(s["rank"], n, lang),
                       help=t("unit.m.official" if s.get("rank_official") else "unit.m.computed", lang)
                       if s["rank"] is not None else None)
        cols[1].metric(t("unit.m.total", lang), fmt.number(s["total"], lang))
        partial_help = None if s["complete"] else t("unit.m.partial_help", lang)
        cols[2].metric(t("unit.m.percentile", lang), fmt.number(s["percentile"], lang, decimals=0),
                       help=partial_help)
        cols[3].metric(t("unit.m.median", lang), fmt.number(s["median"], lang), help=partial_help)
        cols[4].metric(t("unit.m.to_next", lang), pt.points(s["points_to_next"], lang),
                       delta=(t("unit.m.to_top", lang) + ": " + fmt.number(s["points_to_top"], lang))
                       if s["points_to_top"] is not None else None, delta_color="off", delta_arrow="off")
    p.markdown(md(" ".join(sentences)))
    if s is not None and s.get("note") and (s["total"] is None or not s["complete"]):
        p.caption(md(t("unit.s.source_note", lang, note=s["note"])))
    if s is None or got is None:
        return lines, gaps, contrib, delta_total
    group = got["group"]
    peers = group_label(group, lang).lower()
    left, right = p.columns(2)
    left.markdown(f"#### {t('unit.sec.sw', lang)}")
    if not s["complete"]:
        left.caption(t("unit.sw.partial", lang))
    else:
        gaps = qp.edition_gaps(unit_id, got["edition"]["edition_id"], group)
        strengths, weaknesses = qp.strengths_weaknesses(gaps)
        sentence = pt.strengths_sentence(name, peers, strengths, weaknesses, lang)
        lines.append(sentence)
        left.markdown(md(sentence))
        missing = gaps[gaps.score.isna()]
        if len(missing):
            left.caption(md(t("unit.sw.missing", lang, name=name, components=pt.join_list(
                [pt.component_name(r, lang) for _, r in missing.iterrows()], lang))))
        if gaps.gap.notna().any():
            left.chart(cp.gap_chart, gaps, lang, width="stretch")
            left.caption(t("unit.sw.alt", lang))
            left.expander(t("common.table_alt", lang)).dataframe(_gap_table(gaps, lang), hide_index=True)
    prev = q.previous_edition(index_code, year)
    right.markdown(f"#### {t('unit.sec.change', lang, prev=prev['year'] if prev else '–', year=year)}")
    if not prev:
        right.caption(t("unit.ch.no_prev", lang, index=ilabel, year=year))
    else:
        got_ch = qp.edition_change(unit_id, index_code, year, group)
        ch = got_ch["change"] if got_ch else None
        if ch is None:
            hist = qp.unit_history(unit_id)
            have = set(hist[(hist.index_code == index_code) & (hist.total.notna() | hist["rank"].notna())].year.astype(int))
            missing = [y for y in (int(prev["year"]), int(year)) if y not in have]
            right.caption(md(t("unit.ch.no_pair", lang, name=name, prev=prev["year"], year=year,
                               missing=(" và " if lang == "vi" else " and ").join(map(str, missing)) or "–")))
        else:
            sentences = pt.change_sentences(name, ilabel, int(prev["year"]), year, ch, lang)
            lines.append(" ".join(sentences))
            right.markdown(md(" ".join(sentences)))
            contrib, delta_total = ch["contributions"], ch["delta_total"]
            if contrib.contribution.notna().any():
                right.chart(cp.change_chart, contrib, delta_total if ch["additive"] else None, lang, width="stretch")
                right.caption(t("unit.ch.alt", lang))
                right.expander(t("common.table_alt", lang)).dataframe(_change_table(contrib, lang), hide_index=True)
            if not ch["additive"]:
                delta_total = None
    return lines, gaps, contrib, delta_total


def _gap_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("unit.col.component", lang): [pt.component_name(r, lang) for _, r in gaps.iterrows()],
        t("unit.col.score", lang): gaps.score.round(4),
        t("unit.col.median", lang): gaps["median"].round(4),
        t("unit.col.gap", lang): gaps.gap.round(4),
        t("unit.col.rank_in_component", lang): gaps.rank_in_component})


def _change_table(contrib: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("unit.col.component", lang): [pt.component_name(r, lang) for _, r in contrib.iterrows()],
        t("unit.col.prev", lang): contrib.prev.astype(float).round(4),
        t("unit.col.cur", lang): contrib.cur.astype(float).round(4),
        t("unit.col.contribution", lang): contrib.contribution.astype(float).round(4),
        t("unit.col.status", lang): contrib.status.map(lambda s: t(f"unit.ch.status.{s}", lang))})


def _cross_block(p: Plan, unit_id, name, year, labels, lang) -> list[str]:
    p.subheader(t("unit.sec.cross", lang, year=year))
    rows = qp.cross_index(unit_id, year)
    cols = p.columns(len(rows))
    for col, r in zip(cols, rows):
        label = labels[r["index_code"]]
        if r["status"] != "ok":
            col.metric(label, "–", delta=t(f"unit.x.status.{r['status']}", lang), delta_color="off",
                       delta_arrow="off")
            continue
        n = r["n_scored"] if r["percentile"] is not None else None
        value = pt.rank_label(r["rank"], n, lang) if r["rank"] is not None else fmt.number(r["total"], lang)
        delta = (f"{t('unit.m.percentile', lang)} {pt.pct(r['percentile'], lang)}" if r["percentile"] is not None
                 else t("common.partial", lang))
        col.metric(label, value, delta=delta, delta_color="off", delta_arrow="off")
    sentence = pt.cross_sentence(name, year, rows, labels, lang)
    div = qp.divergence(rows)
    div_sentence = pt.divergence_sentence(div, labels, lang)
    p.markdown(md(sentence))
    if div:
        p.warning(md(div_sentence), icon=":material/compare_arrows:")
    else:
        p.caption(md(div_sentence))
    if any(r["percentile"] is not None for r in rows):
        p.chart(cp.cross_chart, rows, labels, lang, width="stretch")
        p.caption(t("unit.x.alt", lang))
        p.expander(t("common.table_alt", lang)).dataframe(pd.DataFrame({
            t("unit.col.index", lang): [labels[r["index_code"]] for r in rows],
            t("unit.x.col_status", lang): [t(f"unit.x.status.{r['status']}", lang) for r in rows],
            t("common.score", lang): [r["total"] for r in rows],
            t("common.rank", lang): [r["rank"] for r in rows],
            "n": [r["n_scored"] if r["percentile"] is not None else None for r in rows],
            t("unit.col.percentile", lang): [None if r["percentile"] is None else round(r["percentile"], 1)
                                            for r in rows],
            t("unit.col.completeness", lang): [t(f"common.{r['completeness']}", lang) if r["completeness"]
                                              else "–" for r in rows]}), hide_index=True)
    return [sentence, div_sentence] if div else [sentence]


def _trend(p: Plan, hist: pd.DataFrame, name: str, labels: dict, lang: str) -> None:
    if hist.total.notna().any():
        p.chart(cp.score_trend, hist, labels, lang, width="stretch")
        p.caption(md(t("unit.t.score_alt", lang, name=name)))
    if hist["rank"].notna().any():
        p.chart(cp.rank_trend, hist, labels, lang, width="stretch")
        p.caption(md(t("unit.t.rank_alt", lang, name=name)))
    p.expander(t("common.table_alt", lang)).dataframe(_history_table(hist, labels, lang), hide_index=True)


def _history_table(hist: pd.DataFrame, labels: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("unit.col.unit", lang): hist.name_vi if lang == "vi" else hist.name_en.fillna(hist.name_vi),
        t("unit.col.index", lang): hist.index_code.map(lambda c: labels.get(c, c)),
        t("common.year", lang): hist.year,
        t("common.score", lang): hist.total,
        t("common.rank", lang): hist["rank"],
        t("unit.col.rank_official", lang): hist.rank_official,
        "n": hist.n_scored.where(hist.completeness == "complete"),
        t("unit.col.percentile", lang): hist.percentile.round(1),
        t("unit.col.completeness", lang): hist.completeness.map(lambda c: t(f"common.{c}", lang)),
        t("common.note", lang): hist.note})


def _predecessor_standings(p: Plan, preds: pd.DataFrame, index_code: str, ilabel: str, year: int,
                           lang: str) -> None:
    p.subheader(t("unit.lin.pred_standing", lang, index=ilabel, year=year))
    cols = p.columns(max(1, len(preds)))
    for col, (_, pr) in zip(cols, preds.iterrows()):
        pname = unit_name(pr, lang)
        got = qp.edition_standing(pr.predecessor_unit_id, index_code, year)
        s = got["standing"] if got else None
        box = col.container(border=True)
        box.markdown(f"**{md(pname)}**")
        if s is not None:
            n = s["n_scored"] if s["complete"] else None
            box.metric(t("unit.m.rank", lang), pt.rank_label(s["rank"], n, lang),
                       delta=(f"{t('unit.m.total', lang)}: {fmt.number(s['total'], lang)}"), delta_color="off",
                       delta_arrow="off")
        box.markdown(md(" ".join(pt.standing_sentences(pname, ilabel, year, s, lang,
                                                       status="no_edition" if got is None else None))))
        box.page_link("pages/unit.py", label=t("unit.lin.open", lang, name=pname), icon=":material/arrow_forward:",
                      query_params={"lang": lang, "unit": pr.predecessor_unit_id, "index": index_code,
                                    "year": str(year)})


def _lineage(p: Plan, unit_id, rec, name, preds, succs, own, lang, labels=None) -> None:
    ended = pd.notna(rec.get("valid_to")) and not len(succs)
    if not (len(preds) or len(succs) or ended):
        return
    p.subheader(t("unit.sec.lineage", lang))
    if len(succs):
        p.markdown(md(pt.merged_into_sentence(name, succs, lang)))
    if ended:
        last = int(own.year.max()) if len(own) else None
        p.markdown(md(pt.series_end_sentence(name, rec["valid_to"], last, lang)))
    if len(preds):
        p.markdown(md(pt.predecessors_sentence(name, preds, len(own) > 0, lang)))
        ids = preds.predecessor_unit_id.tolist()
        hist = qp.unit_history(ids)
        labels = labels or {c: index_label(c, lang) for c in set(hist.index_code)}
        labels.update({c: index_label(c, lang) for c in set(hist.index_code) if c not in labels})
        p.markdown(f"#### {t('unit.sec.predecessors', lang)}")
        if hist.total.notna().any():
            p.chart(cp.score_trend, hist, labels, lang, columns_by_unit=True, width="content")
            p.caption(t("unit.lin.pred_alt", lang))
        p.expander(t("common.table_alt", lang)).dataframe(_history_table(hist, labels, lang), hide_index=True)
        for _, pr in preds.iterrows():
            p.page_link("pages/unit.py", label=t("unit.lin.open", lang, name=unit_name(pr, lang)),
                        icon=":material/arrow_forward:", query_params={"lang": lang, "unit": pr.predecessor_unit_id})


def _share(p: Plan, unit_id, index_code, year, lang, url, summary) -> None:
    p.subheader(t("unit.sec.share", lang))
    p.caption(t("unit.share.link", lang))
    p.code(url, language=None)
    p.caption(t("unit.share.print", lang))
    if summary is None:
        return
    lines, gaps, contrib, delta_total, name, ilabel, own = summary
    ed = q.edition(index_code, year)
    source = q.edition_source(ed["edition_id"]) if ed else {}
    citation = citation_text(lang, ilabel, year, source, url)
    prev = q.previous_edition(index_code, year)
    change_title = t("unit.sec.change", lang, prev=prev["year"] if prev else "–", year=year)
    c1, c2 = p.columns(2)
    c1.lazy_download(t("unit.share.png", lang), f"{__name__}:summary_png",
                     (t("unit.png.title", lang, name=name, index=ilabel, year=year), list(lines), gaps, contrib,
                      delta_total, t("unit.png.footer", lang, citation=citation), lang, t("unit.sec.sw", lang),
                      change_title),
                     file_name=f"cchc-{unit_id}-{index_code}-{year}-{lang}.png", mime="image/png", key="unit_png",
                     icon=":material/download:", on_click="ignore")
    if len(own):
        table = _history_table(own, {c: index_label(c, lang) for c in set(own.index_code)}, lang)
        c2.download_button(t("unit.share.csv", lang), to_csv_bytes(table, citation),
                           file_name=f"cchc-{unit_id}-history.csv", mime="text/csv", key="unit_csv",
                           icon=":material/download:", on_click="ignore")
    p.caption(md(f"{t('common.citation', lang)}: {citation}"))
