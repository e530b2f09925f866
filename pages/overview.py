"""/ — what the indices are, the latest headline results, and the unit search (accents optional). Everything shown
comes from cchc_data/views/overview.py; this script draws it top to bottom."""

import streamlit as st

from cchc_data.i18n import t
from cchc_data.ui.page import run_page
from cchc_data.ui.state import raw_param, set_param
from cchc_data.views import overview as vo


def render(lang: str) -> None:
    view = vo.build_overview_view(lang)
    st.write(view.tagline)
    render_search(lang)
    st.subheader(view.headline)
    # three cards a row: in five columns at 1400 px a leader's name broke inside a word ("Departmen t")
    cards = list(view.cards)
    pairs = [(col, card) for i in range(0, len(cards), 3) for col, card in zip(st.columns(3), cards[i : i + 3])]
    for col, card in pairs:
        with col.container(border=True):
            st.markdown(f"**{card.title}**")
            if card.empty:
                st.caption(card.empty)
                continue
            st.caption(card.caption)
            for leader in card.leaders:
                st.caption(leader.group)
                # a heading without the hover anchor: in a narrow card the anchor icon wrapped onto an empty line
                st.subheader(leader.name, anchor=False)
                st.markdown(leader.score)
                st.page_link("pages/rankings.py", label=leader.link_label, query_params=leader.params)
            if card.complete:  # the latest edition is partial: the latest complete table, one click away
                label, params = card.complete
                st.page_link("pages/rankings.py", label=label, icon=":material/table_view:", query_params=params)
    if view.computed_note:
        st.caption(view.computed_note)
    st.subheader(view.what)
    for label, about in view.about:
        st.markdown(f"**{label}.** {about}")
    if view.unpublished:  # announced, no results table as text yet: each opens its note on /methodology
        st.caption(view.unpublished_intro)
        for entry in view.unpublished:
            page_link("pages/methodology.py", entry.label, ":material/table_view:", lang, index=entry.shown_with)


def render_search(lang: str) -> None:
    query = st.text_input(
        t("overview.search", lang),
        value=raw_param("q") or "",
        placeholder=t("overview.search_placeholder", lang),
        key="search_q",
        max_chars=100,
    )
    set_param("q", query or None)
    if not query.strip():
        return
    found = vo.build_search_view(query.strip(), lang)
    if found.none:
        st.warning(found.none)  # the typed text escaped, never Markdown
    for hit in found.hits:
        page_link("pages/unit.py", hit.label, ":material/arrow_forward:", lang, unit=hit.unit_id)
        if hit.note:
            st.caption(hit.note)


def page_link(page: str, label: str, icon: str, lang: str, **params: str) -> None:
    """A link to `page` in the reader's language, with `params` as its query params."""
    st.page_link(page, label=label, icon=icon, query_params={"lang": lang, **params})


run_page("app.title", render)
