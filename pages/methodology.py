"""/methodology — per index: what it measures, its components, maximum points, method changes by year.

The picker, then one view (cchc_data.views.methodology), drawn top to bottom."""

import streamlit as st

from cchc_data.i18n import t
from cchc_data.ui.labels import index_label
from cchc_data.ui.page import run_page
from cchc_data.ui.state import select_param
from cchc_data.views import methodology as vm


def render(lang: str) -> None:
    st.write(t("methodology.intro", lang))
    indices = vm.methodology_index_codes()  # with data, then those with no table yet (par_hcmc; issue 13)
    index_code = select_param(
        "index",
        t("control.index", lang),
        indices,
        "par",
        format_func=lambda c: index_label(c, lang),
        widget="segmented_control",
        required=True,
    )
    view = vm.build_methodology_view(index_code, lang)
    if view.about:
        st.markdown(view.about)
    draw_unpublished(vm.build_unpublished_view(index_code, lang))
    if not view.has_editions:
        return  # an index with no table yet: nothing below applies

    st.subheader(t("methodology.components_by_year", lang))
    if view.presence is None:
        st.info(t("methodology.no_components", lang))
    else:
        st.dataframe(view.presence, hide_index=True, width="stretch", placeholder="")
        st.caption(t("methodology.components_caption", lang))

    st.subheader(t("methodology.editions", lang))
    st.dataframe(view.editions, hide_index=True, width="stretch")

    if view.decisions is not None:
        st.subheader(t("methodology.par_decisions", lang))
        link = st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
        st.dataframe(view.decisions, hide_index=True, width="stretch", column_config={view.source_column: link})
        st.caption(t("methodology.par_caption", lang))


def draw_unpublished(view: vm.UnpublishedView) -> None:
    """Indices announced without a results table as text: what is known, plainly that there is no table yet, and
    the command that imports one (issue 13)."""
    if not view.entries:
        return
    st.subheader(view.heading)
    st.caption(view.intro)
    for entry in view.entries:
        with st.container(border=True):
            st.markdown(f"**{entry.title}**")
            st.markdown("  \n".join(entry.lines))
            st.warning(entry.status, icon=":material/table_view:")
            st.caption(entry.command_note)
            if entry.command:
                st.code(entry.command, language="bash")
            st.caption(entry.source)


run_page("nav.methodology", render)
