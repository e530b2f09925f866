"""/rankings — who ranks where, with change, tie bands, the gap to the next rank, and downloads.

Everything a view shows is prepared once per view by cached functions in cchc_data.views.rankings (the texts above
the table, the formatted table, search matches, the highlighted unit's row and chart window), so a warm rerun does no
per-row work. Groups of more than LARGE_GROUP units (the synthetic national data) show PAGE_SIZE table rows at a
time: the `page` param (default: the page with the highlighted unit) after the name filter; downloads hold every
row."""

import pandas as pd
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts.rankings import ranking_bars
from cchc_data.i18n import t
from cchc_data.queries import rankings as qr
from cchc_data.queries.rankings import TIE_PRECISION
from cchc_data.ui import fmt
from cchc_data.ui.charts import show_chart
from cchc_data.ui.controls import index_and_year
from cchc_data.ui.download import citation_text, download_buttons
from cchc_data.ui.labels import index_label, unit_name
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import raw_param, select_param, set_param, view_params
from cchc_data.views import rankings as vr


def render(lang: str) -> None:
    c1, c2, c3 = st.columns([2, 1, 2])
    index_code, year, ed = index_and_year(lang, "par", c1, c2)
    edition_id = ed["edition_id"]
    groups = q.edition_groups(edition_id)
    before = st.session_state.get("param_group")
    with c3:
        group = select_param(
            "group", t("control.group", lang), groups, groups[0], format_func=lambda g: t(f"group.{g}", lang)
        )
    if before and before not in groups:  # the new year has no table of the group the reader was looking at
        st.info(
            t(
                "rankings.group_gone",
                lang,
                group=t(f"group.{before}", lang),
                index=index_label(index_code, lang),
                year=year,
                shown=t(f"group.{group}", lang),
            ),
            icon=":material/swap_horiz:",
        )
    view = (edition_id, group, index_code, year)
    header = vr.build_rankings_header(*view, lang)
    if header.partial:
        st.warning(header.partial, icon=":material/warning:")
    if header.method_change:
        st.info(header.method_change, icon=":material/rule:")
    st.caption(header.compared_with)
    change = header.method_change is not None

    f1, f2 = st.columns([1, 1])
    with f1:
        search = st.text_input(t("rankings.search", lang), value=raw_param("q") or "", key="rankings_q", max_chars=100)
        set_param("q", search.strip() or None)
    needle = q.search_needle(search)
    # The unit in the URL (an admin code such as 01 becomes its unit id) decides the default page.
    unit_token = raw_param("unit")
    resolved = q.resolve_unit(unit_token, year) if unit_token else None
    wanted = vr.ranking_focus(*view, needle, resolved)
    if wanted["row"] is not None and unit_token != resolved:
        set_param("unit", resolved)

    paged = header.n > qr.LARGE_GROUP
    table_slot = st.container()  # the table takes the page's width (its columns were cut beside the chart)
    base = share_url("unit", {"lang": lang, "index": index_code, "year": str(year)})
    page = 1
    if paged:
        page = page_control(table_slot, view, needle, lang, header.n, wanted)
    elif "page" in st.query_params:
        set_param("page", None)  # a small group is one table: no page
    shown = vr.ranking_page(*view, lang, base, needle, page, qr.PAGE_SIZE if paged else None, change)

    with f2:
        if paged:  # the picker lists this page's units (and the one highlighted), not all of them
            labels = dict(zip(shown["ids"], shown["labels"]))
            if wanted["row"] is not None:
                labels.setdefault(resolved, unit_name(wanted["row"], lang))
            extra = {"help": t("rankings.highlight_help_paged", lang)}
        else:
            labels = vr.ranking_units(*view, lang)
            extra = {}
        selected = select_param(
            "unit",
            t("rankings.highlight", lang),
            [""] + list(labels),
            "",
            format_func=lambda u: labels.get(u, t("rankings.none", lang)),
            **extra,
        )
    selected = selected or None
    focus = wanted if selected == resolved else vr.ranking_focus(*view, needle, selected)

    table = shown["table"]
    with table_slot:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config=column_config(lang),
            column_order=shown["columns"],
            height=min(38 + 35 * len(table), 720),
            placeholder="–",
            alt=t("rankings.table_alt", lang, index=index_label(index_code, lang), year=year),
        )
        if paged and shown["n_shown"]:
            count = (
                t(
                    "rankings.rows_filtered",
                    lang,
                    lo=fmt.integer(shown["first"], lang),
                    hi=fmt.integer(shown["last"], lang),
                    n=fmt.integer(shown["n_shown"], lang),
                    total=fmt.integer(shown["n_total"], lang),
                )
                if needle
                else t(
                    "rankings.rows",
                    lang,
                    lo=fmt.integer(shown["first"], lang),
                    hi=fmt.integer(shown["last"], lang),
                    n=fmt.integer(shown["n_total"], lang),
                )
            )
        else:
            count = t("rankings.shown", lang, n=shown["n_shown"], total=shown["n_total"])
        st.caption(count + " " + t("rankings.legend", lang, precision=fmt.number(TIE_PRECISION, lang)))
    gap_col, chart_col = st.columns([2, 3], gap="medium") if selected else (st.container(), None)
    with gap_col:
        render_gap(focus, selected, lang)
    with chart_col or gap_col:
        render_chart(focus, lang, index_code, year, selected)

    st.subheader(t("rankings.download", lang))
    url = share_url("rankings", view_params(index=index_code, year=year, group=group))
    citation = citation_text(
        lang, f"{index_label(index_code, lang)} – {t(f'group.{group}', lang)}", year, header.source, url
    )
    if paged:
        st.caption(t("rankings.download_all", lang, n=fmt.integer(shown["n_shown"], lang)))
    download_buttons(
        lambda: vr.download_table(*view, needle, change, lang),
        citation,
        f"cchc_{index_code}_{year}_{group}_{lang}",
        lang,
        key="rankings",
    )
    st.caption(f"{t('common.share_link', lang)}: {url}")
    with st.expander(t("rankings.method_note", lang)):
        st.text(header.method_note)


def page_control(where, view: tuple, needle: str, lang: str, n_total: int, wanted: dict) -> int:
    """The `page` picker of a paged table. Default: the page holding the highlighted unit (else the first).
    A page we wrote ourselves is dropped when the view (edition, group or name filter) changes."""
    key = (*view, needle)
    last = st.session_state.get("_rankings_view")
    st.session_state["_rankings_view"] = key
    raw = raw_param("page")
    if last is not None and last != key and raw is not None and st.session_state.get("_seen_page") == raw:
        set_param("page", None)
        st.session_state.pop("param_page", None)
    size = qr.PAGE_SIZE
    n_shown = wanted["n_shown"]
    n_pages = max(1, -(-n_shown // size))
    default = wanted["position"] // size + 1 if wanted["position"] is not None else 1

    def describe(p: int) -> str:
        return t(
            "rankings.page_option",
            lang,
            page=fmt.integer(p, lang),
            lo=fmt.integer(min((p - 1) * size + 1, n_shown), lang),
            hi=fmt.integer(min(p * size, n_shown), lang),
        )

    with where:
        pick, note = st.columns([2, 3], vertical_alignment="bottom")
        note.caption(t("rankings.paged_note", lang, total=fmt.integer(n_total, lang), size=size))
        with pick:
            return select_param(
                "page", t("rankings.page", lang), list(range(1, n_pages + 1)), default, format_func=describe, parse=int
            )


def column_config(lang: str) -> dict:
    cc = st.column_config
    return {
        "rank": cc.NumberColumn(t("rankings.col_rank", lang), format="%d", width="small"),
        "rank_mark": cc.TextColumn("✱", width=40, help=t("rankings.mark_computed", lang)),
        "unit": cc.LinkColumn(t("rankings.col_unit", lang), display_text=r"#(.+)$", width="medium"),
        "province": cc.TextColumn(t("rankings.col_province", lang)),
        "score": cc.TextColumn(t("rankings.col_score", lang), width="small"),
        "rank_change": cc.TextColumn(t("rankings.col_rank_change", lang)),
        "score_change": cc.TextColumn(t("rankings.col_score_change", lang)),
        "band": cc.TextColumn(t("rankings.col_band", lang), width="small"),
        "tier": cc.TextColumn(t("rankings.col_tier", lang)),
        "source": cc.LinkColumn(t("rankings.col_source", lang), display_text=r"https?://(?:www\.)?([^/]+)"),
    }


def render_gap(focus: dict, selected: str | None, lang: str) -> None:
    row = focus["row"]
    if not selected or row is None:
        return
    name = unit_name(row, lang)
    with st.container(border=True):
        st.markdown(f"**{t('rankings.gap_title', lang, unit=name)}**")
        if pd.isna(row["rank"]):
            st.caption(t("rankings.gap_unknown", lang))
            return
        m1, m2 = st.columns(2)
        m1.metric(
            t("rankings.gap_rank", lang),
            fmt.integer(row["rank"], lang) + ("" if row["rank_official"] else " ✱"),
            help=None if row["rank_official"] else t("rankings.mark_computed_help", lang),
        )
        if row["rank"] == 1:
            m2.metric(t("rankings.gap_top", lang), "0")
            st.caption(t("rankings.gap_first", lang, unit=name))
        elif pd.notna(row["points_to_next"]):
            gap = row["points_to_next"]
            m2.metric(
                t("rankings.gap_points", lang, rank=fmt.integer(row["rank"] - 1, lang)),
                fmt.number(gap, lang) if gap >= TIE_PRECISION else "< " + fmt.number(TIE_PRECISION, lang),
            )
            leader = focus["leader_total"]
            if leader is not None and pd.notna(row["total"]):
                st.caption(f"{t('rankings.gap_top', lang)}: {fmt.number(leader - row['total'], lang)}")
        else:
            st.caption(t("rankings.gap_unknown", lang))
        if pd.notna(row["band_size"]) and row["band_size"] > 1 and pd.notna(row["band_rank_lo"]):
            st.caption(
                t(
                    "rankings.band_note",
                    lang,
                    lo=fmt.integer(row["band_rank_lo"], lang),
                    hi=fmt.integer(row["band_rank_hi"], lang),
                    n=fmt.integer(row["band_size"], lang),
                )
            )
        st.page_link(
            "pages/unit.py",
            label=t("rankings.open_profile", lang, unit=name),
            query_params={"lang": lang, "unit": selected},
            icon=":material/arrow_forward:",
        )


def render_chart(focus: dict, lang: str, index_code: str, year: int, selected: str | None) -> None:
    """The bar chart of the rows matching the filter (a window around the highlighted unit when there are many)."""
    n_scored = focus["n_scored"]
    if n_scored == 0:
        st.caption(t("notice.no_data", lang))
        return
    label_col = "name_vi" if lang == "vi" else "name_en"
    chart_args = dict(
        label_col=label_col,
        score_title=t("rankings.col_score", lang),
        unit_title=t("rankings.col_unit", lang),
        rank_title=t("rankings.col_rank", lang),
        highlight_unit=selected,
    )
    bars = focus["bars"]  # unit_id, name_vi, name_en, total, rank: ranking_bars picks label_col
    sel_name = unit_name(focus["row"], lang) if focus["row"] is not None and focus["position"] is not None else None
    alt_text = t(
        "rankings.chart_alt",
        lang,
        index=index_label(index_code, lang),
        year=year,
        n=n_scored,
        highlight=t("rankings.chart_alt_highlight", lang, unit=sel_name) if sel_name else "",
    )
    st.markdown(f"**{t('rankings.chart_title', lang)}**")
    show_chart(ranking_bars, bars, lang, alt=alt_text, **chart_args)
    if len(bars) < n_scored:
        st.caption(t("rankings.chart_window", lang, n=len(bars), total=n_scored))
    st.caption(alt_text + " " + t("rankings.table_is_alt", lang))


run_page("nav.rankings", render)
