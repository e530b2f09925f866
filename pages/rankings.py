"""/rankings — who ranks where, with change, tie bands, the gap to the next rank, and downloads.

Everything a view shows is prepared once per view by cached functions in cchc_data.views.rankings (the texts above
the table, the formatted table, search matches, the highlighted unit's row and chart window), so a warm rerun does no
per-row work. Groups of more than LARGE_GROUP units (the synthetic national data) show PAGE_SIZE table rows at a
time: the `page` param (default: the page with the highlighted unit) after the name filter; downloads hold every
row."""

import streamlit as st

from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.queries import rankings as qr
from cchc_data.ui.controls import index_and_year
from cchc_data.ui.download import download_buttons
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
    focus = vr.focus_view(*view, needle, selected, lang)

    table = shown["display"]
    with table_slot:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config=column_config(lang),
            column_order=shown["columns"],
            height=min(38 + 35 * table.num_rows, 720),
            placeholder="–",
            alt=t("rankings.table_alt", lang, index=index_label(index_code, lang), year=year),
        )
        st.caption(vr.count_text(shown, paged, needle, lang))
    gap_col, chart_col = st.columns([2, 3], gap="medium") if selected else (st.container(), None)
    with gap_col:
        render_gap(focus.gap, selected, lang)
    with chart_col or gap_col:
        render_chart(focus.chart, focus.empty)

    st.subheader(t("rankings.download", lang))
    url = share_url("rankings", view_params(index=index_code, year=year, group=group))
    citation = vr.citation(*view, lang, url)
    if paged:
        st.caption(vr.download_note(shown, lang))
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
    labels, note_text = vr.page_options(wanted["n_shown"], n_total, lang)
    default = wanted["position"] // qr.PAGE_SIZE + 1 if wanted["position"] is not None else 1
    with where:
        pick, note = st.columns([2, 3], vertical_alignment="bottom")
        note.caption(note_text)
        with pick:
            return select_param(
                "page", t("rankings.page", lang), list(labels), default, format_func=labels.get, parse=int
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


def render_gap(card: vr.GapCard | None, selected: str | None, lang: str) -> None:
    if not selected or card is None:
        return
    with st.container(border=True):
        st.markdown(card.title)
        if card.rank_value is not None:
            m1, m2 = st.columns(2)
            m1.metric(card.rank_label, card.rank_value, help=card.rank_help)
            if card.gap_label:
                m2.metric(card.gap_label, card.gap_value)
        for caption in card.captions:
            st.caption(caption)
        if card.rank_value is not None:
            st.page_link(
                "pages/unit.py",
                label=card.link_label,
                query_params={"lang": lang, "unit": selected},
                icon=":material/arrow_forward:",
            )


def render_chart(texts: vr.ChartTexts | None, empty: str) -> None:
    """The bar chart of the rows matching the filter (a window around the highlighted unit when there are many)."""
    if texts is None:
        st.caption(empty)
        return
    st.markdown(texts.title)
    st.vega_lite_chart(spec=texts.spec, width="stretch", alt=texts.alt)
    if texts.window:
        st.caption(texts.window)
    st.caption(texts.caption)


run_page("nav.rankings", render)
