"""/ — what the indices are, the latest headline results, and a unit search."""
import streamlit as st

from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.ui import fmt
from cchc_data.ui.labels import group_label, index_label, unit_name
from cchc_data.ui.page import run_page
from cchc_data.ui.state import raw_param, set_param
from cchc_data.ui.text import md_escape

INDEX_ORDER = ("par", "par_hanoi", "papi", "pci", "sipas")


def render(lang: str) -> None:
    st.write(t("app.tagline", lang))
    render_search(lang)
    st.subheader(t("overview.headline", lang))
    latest = q.latest_editions()
    cols = st.columns(len(INDEX_ORDER))
    for col, code in zip(cols, INDEX_ORDER):
        rows = latest[latest.index_code == code]
        with col.container(border=True):
            st.markdown(f"**{index_label(code, lang)}**")
            if rows.empty:
                st.caption(t("notice.no_data", lang))
                continue
            first = rows.iloc[0]
            st.caption(f"{t('common.year', lang)} {first.year}"
                       + (f" · {t('overview.edition_partial', lang)}" if first.completeness == "partial" else ""))
            for _, r in rows.iterrows():
                score = fmt.number(r.total, lang) if r.total == r.total else t("overview.no_score", lang)
                st.caption(t("overview.leader", lang, group=group_label(r.unit_group, lang).lower()))
                # a heading without the hover anchor: in a narrow card the anchor icon wrapped onto an empty line
                st.subheader(md_escape(unit_name(r, lang)), anchor=False)
                st.markdown(f"{md_escape(score)}" + ("" if r.rank_official else " ✱"))
                st.page_link("pages/rankings.py", label=t("overview.open_rankings", lang),
                             query_params={"lang": lang, "index": code, "year": str(r.year), "group": r.unit_group})
    st.subheader(t("overview.what", lang))
    for code in ("par", "papi", "pci", "sipas"):
        st.markdown(f"**{index_label(code, lang)}.** {t(f'overview.about.{code}', lang)}")


def render_search(lang: str) -> None:
    query = st.text_input(t("overview.search", lang), value=raw_param("q") or "",
                          placeholder=t("overview.search_placeholder", lang), key="search_q", max_chars=100)
    set_param("q", query or None)
    if not query.strip():
        return
    hits = q.search_units(query, limit=8)
    if hits.empty:
        st.warning(t("overview.search_none", lang, q=md_escape(query)))  # the typed text, never Markdown
        return
    for _, hit in hits.iterrows():
        target = hit.unit_id
        successors = [] if hit.successors is None or not hasattr(hit.successors, '__len__') else list(hit.successors)
        label = f"{unit_name(hit, lang)} · {t(f'kind.{hit.kind}', lang)}"
        if successors:
            new = q.unit(successors[0])
            st.info(t("overview.search_successor", lang, old=unit_name(hit, lang), new=unit_name(new, lang)))
            target = successors[0] if hit.n_results == 0 else target
        st.page_link("pages/unit.py", label=label, icon=":material/arrow_forward:",
                     query_params={"lang": lang, "unit": target})


run_page("app.title", render)
