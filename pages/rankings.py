"""/rankings — who ranks where, with change, tie bands, the gap to the next rank, and downloads."""
import pandas as pd
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts.rankings import chart_window, ranking_bars
from cchc_data.i18n import t
from cchc_data.queries.rankings import TIE_PRECISION
from cchc_data.textnorm import fold
from cchc_data.ui import fmt
from cchc_data.ui.charts import show_chart
from cchc_data.ui.controls import index_and_year
from cchc_data.ui.download import citation_text, download_buttons
from cchc_data.ui.labels import group_label, index_label, unit_name, unit_names
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import raw_param, select_param, set_param, view_params


def render(lang: str) -> None:
    c1, c2, c3 = st.columns([2, 1, 2])
    index_code, year, ed = index_and_year(lang, "par", c1, c2)
    groups = q.edition_groups(ed["edition_id"])
    with c3:
        group = select_param("group", t("control.group", lang), groups, groups[0],
                             format_func=lambda g: group_label(g, lang))

    df = q.ranking(ed["edition_id"], group, index_code, year)
    prev = q.previous_edition(index_code, year)
    if ed["completeness"] == "partial":
        st.warning(t("notice.partial", lang) + " " + t("rankings.edition_partial_badge", lang,
                   scored=int(df.total.notna().sum()), named=len(df)), icon=":material/warning:")
    changes = q.dimension_changes(ed["edition_id"], prev["edition_id"] if prev else None)
    if changes["added"] or changes["dropped"]:
        comps = pd.concat([q.components(ed["edition_id"]), q.components(prev["edition_id"])])
        names = dict(zip(comps.component_id, comps.name_vi if lang == "vi" else comps.name_en))
        st.info(t("rankings.method_changed", lang, added=", ".join(names[c] for c in changes["added"]) or "–",
                  dropped=", ".join(names[c] for c in changes["dropped"]) or "–"), icon=":material/rule:")
        df = df.assign(total_change=float("nan"))
    st.caption(t("rankings.compared_with", lang, index=index_label(index_code, lang), year=prev["year"])
               if prev else t("rankings.no_previous", lang))

    f1, f2 = st.columns([1, 1])
    with f1:
        search = st.text_input(t("rankings.search", lang), value=raw_param("q") or "", key="rankings_q", max_chars=100)
        set_param("q", search.strip() or None)
    unit_ids = df.unit_id.tolist()
    labels = {r.unit_id: unit_name(r, lang) for r in df.itertuples()}
    with f2:
        unit_token = raw_param("unit")
        resolved = q.resolve_unit(unit_token, year) if unit_token else None
        if unit_token and resolved in unit_ids and unit_token != resolved:
            set_param("unit", resolved)  # an admin code such as 01 becomes its unit id
        selected = select_param("unit", t("rankings.highlight", lang), [""] + unit_ids, "",
                                format_func=lambda u: labels.get(u, t("rankings.none", lang)))
    selected = selected or None

    shown = df
    if search.strip():
        needle = fold(search)
        shown = df[df.apply(lambda r: needle in fold(r.name_vi) or needle in fold(r.name_en or ""), axis=1)]

    table = display_table(shown, lang, index_code, year)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config(lang),
                     height=min(38 + 35 * len(table), 720), placeholder="–",
                     alt=t("rankings.table_alt", lang, index=index_label(index_code, lang), year=year))
        st.caption(t("rankings.shown", lang, n=len(shown), total=len(df)) + " "
                   + t("rankings.legend", lang, precision=fmt.number(TIE_PRECISION, lang)))
    with right:
        render_gap(df, selected, lang)
        render_chart(shown, lang, index_code, year, selected)

    st.subheader(t("rankings.download", lang))
    url = share_url("rankings", view_params(index=index_code, year=year, group=group))
    citation = citation_text(lang, f"{index_label(index_code, lang)} – {group_label(group, lang)}", year,
                             q.edition_source(ed["edition_id"]), url)
    download_buttons(download_table(shown, lang), citation,
                     f"cchc_{index_code}_{year}_{group}_{lang}", lang, key="rankings")
    st.caption(f"{t('common.share_link', lang)}: {url}")
    with st.expander(t("rankings.method_note", lang)):
        st.text(ed["method_note"] or "")


def display_table(df: pd.DataFrame, lang: str, index_code: str, year: int) -> pd.DataFrame:
    """What the table shows: formatted per language, one vectorised pass (no per-row Python calls)."""
    import numpy as np

    def numbers(values, signed=False):
        return [fmt.number(v, lang, signed=signed) for v in values.tolist()]

    has_rank = df["rank"].notna()
    rank_mark = np.where(has_rank & ~df.rank_official.fillna(False).astype(bool), "✱", "")
    rc = df.rank_change
    within = df.change_within_precision.fillna(False).astype(bool)
    arrows = np.where(rc.fillna(0) > 0, "▲", "▼")
    rank_change = np.where(rc.isna(), "–", np.where(within, "≈", np.where(rc.fillna(0) == 0, "=",
                           pd.Series(arrows, index=df.index) + rc.abs().astype("string").fillna(""))))
    score_change = np.where(df.total_change.isna(), "–", np.where(within, "≈", numbers(df.total_change, True)))
    banded = df.band_size.fillna(0).gt(1) & df.band_rank_lo.notna()
    band = np.where(banded, df.band_rank_lo.astype("string").fillna("") + "–" + df.band_rank_hi.astype("string").fillna(""), "")
    base = share_url("unit", {"lang": lang, "index": index_code, "year": str(year)})
    return pd.DataFrame({
        "rank": df["rank"].astype("Int64"),
        "rank_mark": rank_mark,
        "unit": base + "&unit=" + df.unit_id + "#" + unit_names(df, lang),
        "score": np.where(df.total.isna(), t("rankings.no_score", lang), numbers(df.total)),
        "rank_change": rank_change,
        "score_change": score_change,
        "band": band,
        "tier": df.tier.fillna(""),
        "source": df.source_url.fillna(""),
    }, index=df.index)


def download_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows shown, as plain values (numbers stay numbers) under the same column names."""
    band = [f"{int(lo)}–{int(hi)}" if pd.notna(n) and n > 1 and pd.notna(lo) else ""
            for lo, hi, n in zip(df.band_rank_lo, df.band_rank_hi, df.band_size)]
    return pd.DataFrame({
        t("rankings.col_rank", lang): df["rank"].astype("Int64"),
        t("rankings.col_rank_mark", lang): [
            "" if pd.isna(r) else (t("rankings.mark_official", lang) if o else t("rankings.mark_computed", lang))
            for r, o in zip(df["rank"], df.rank_official)],
        "unit_id": df.unit_id,
        t("rankings.col_unit", lang): unit_names(df, lang).tolist(),
        t("rankings.col_score", lang): df.total,
        t("rankings.col_rank_change", lang): df.rank_change,
        t("rankings.col_score_change", lang): df.total_change.round(4),
        t("rankings.col_band", lang): band,
        t("rankings.col_tier", lang): df.tier,
        t("rankings.col_source", lang): df.source_url,
        t("rankings.col_note", lang): df.note,
    })


def column_config(lang: str) -> dict:
    cc = st.column_config
    return {
        "rank": cc.NumberColumn(t("rankings.col_rank", lang), format="%d", width="small"),
        "rank_mark": cc.TextColumn("✱", width=40, help=t("rankings.mark_computed", lang)),
        "unit": cc.LinkColumn(t("rankings.col_unit", lang), display_text=r"#(.+)$", width="medium"),
        "score": cc.TextColumn(t("rankings.col_score", lang), width="small"),
        "rank_change": cc.TextColumn(t("rankings.col_rank_change", lang), width="small"),
        "score_change": cc.TextColumn(t("rankings.col_score_change", lang), width="small"),
        "band": cc.TextColumn(t("rankings.col_band", lang), width="small"),
        "tier": cc.TextColumn(t("rankings.col_tier", lang)),
        "source": cc.LinkColumn(t("rankings.col_source", lang), display_text=r"https?://(?:www\.)?([^/]+)"),
    }


def render_gap(df: pd.DataFrame, selected: str | None, lang: str) -> None:
    if not selected or selected not in set(df.unit_id):
        return
    row = df[df.unit_id == selected].iloc[0]
    name = unit_name(row, lang)
    with st.container(border=True):
        st.markdown(f"**{t('rankings.gap_title', lang, unit=name)}**")
        if pd.isna(row["rank"]):
            st.caption(t("rankings.gap_unknown", lang))
            return
        m1, m2 = st.columns(2)
        m1.metric(t("rankings.gap_rank", lang), fmt.integer(row["rank"], lang)
                  + ("" if row.rank_official else " ✱"))
        if row["rank"] == 1:
            m2.metric(t("rankings.gap_top", lang), "0")
            st.caption(t("rankings.gap_first", lang, unit=name))
        elif pd.notna(row.points_to_next):
            gap = row.points_to_next
            m2.metric(t("rankings.gap_points", lang, rank=fmt.integer(row["rank"] - 1, lang)),
                      fmt.number(gap, lang) if gap >= TIE_PRECISION else "< " + fmt.number(TIE_PRECISION, lang))
            leader = df[df["rank"] == 1].total
            if len(leader) and pd.notna(leader.iloc[0]) and pd.notna(row.total):
                st.caption(f"{t('rankings.gap_top', lang)}: {fmt.number(leader.iloc[0] - row.total, lang)}")
        else:
            st.caption(t("rankings.gap_unknown", lang))
        if pd.notna(row.band_size) and row.band_size > 1 and pd.notna(row.band_rank_lo):
            st.caption(t("rankings.band_note", lang, lo=fmt.integer(row.band_rank_lo, lang),
                         hi=fmt.integer(row.band_rank_hi, lang), n=fmt.integer(row.band_size, lang)))
        st.page_link("pages/unit.py", label=t("rankings.open_profile", lang, unit=name),
                     query_params={"lang": lang, "unit": selected}, icon=":material/arrow_forward:")


def render_chart(df: pd.DataFrame, lang: str, index_code: str, year: int, selected: str | None) -> None:
    if df.total.notna().sum() == 0:
        st.caption(t("notice.no_data", lang))
        return
    label_col = "name_vi" if lang == "vi" else "name_en"
    chart_args = dict(label_col=label_col, score_title=t("rankings.col_score", lang),
                      unit_title=t("rankings.col_unit", lang), rank_title=t("rankings.col_rank", lang),
                      highlight_unit=selected)
    bars = chart_window(df[["unit_id", label_col, "total", "rank"]], selected)
    sel_name = unit_name(df[df.unit_id == selected].iloc[0], lang) if selected in set(df.unit_id) else None
    alt_text = t("rankings.chart_alt", lang, index=index_label(index_code, lang), year=year,
                 n=int(df.total.notna().sum()),
                 highlight=t("rankings.chart_alt_highlight", lang, unit=sel_name) if sel_name else "")
    st.markdown(f"**{t('rankings.chart_title', lang)}**")
    show_chart(ranking_bars, bars, lang, alt=alt_text, **chart_args)
    if len(bars) < int(df.total.notna().sum()):
        st.caption(t("rankings.chart_window", lang, n=len(bars), total=int(df.total.notna().sum())))
    st.caption(alt_text + " " + t("rankings.table_is_alt", lang))



run_page("nav.rankings", render)
