"""/methodology — per index: what it measures, its components, maximum points, method changes by year."""

import pandas as pd
import streamlit as st

from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.ui import fmt
from cchc_data.ui.labels import index_label
from cchc_data.ui.page import run_page
from cchc_data.ui.state import select_param
from cchc_data.views import methodology as vm

ABOUT = {"par": "par", "par_hanoi": "par", "papi": "papi", "pci": "pci", "sipas": "sipas"}


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
    if index_code in ABOUT:  # par_hcmc: the national PAR Index's text would misstate who publishes it
        st.markdown(t(f"overview.about.{ABOUT[index_code]}", lang))
    draw_unpublished(vm.build_unpublished_view(index_code, lang))
    if q.editions(index_code).empty:
        return  # an index with no table yet: nothing below applies

    presence = q.component_presence(index_code)
    st.subheader(t("methodology.components_by_year", lang))
    if presence.empty:
        st.info(t("methodology.no_components", lang))
    else:
        st.dataframe(presence_matrix(presence, lang), hide_index=True, width="stretch", placeholder="")
        st.caption(t("methodology.components_caption", lang))

    st.subheader(t("methodology.editions", lang))
    eds = q.editions(index_code)
    st.dataframe(
        pd.DataFrame(
            {
                t("common.year", lang): eds.year.astype(str),
                t("methodology.col_completeness", lang): [t(f"common.{c}", lang) for c in eds.completeness],
                t("methodology.col_units", lang): eds.n_results,
                t("methodology.col_scored", lang): eds.n_scored,
                t("methodology.col_note", lang): note_in(eds, "method_note", lang),
            }
        ),
        hide_index=True,
        width="stretch",
    )

    if index_code in ("par", "par_hanoi", "par_hcmc", "sipas"):
        st.subheader(t("methodology.par_decisions", lang))
        m = q.methodology()
        scheme_prefix = {"par": "national", "sipas": "national", "par_hanoi": "hanoi", "par_hcmc": "hcmc"}[index_code]
        m = m[m.scheme.str.startswith(scheme_prefix)]
        area = m.component_vi.fillna(m.component_en) if lang == "vi" else m.component_en.fillna(m.component_vi)
        st.dataframe(
            pd.DataFrame(
                {
                    t("methodology.col_scheme", lang): [t(f"methodology.scheme.{c}", lang) for c in m.scheme],
                    t("methodology.col_decision", lang): m.decision_no,
                    t("methodology.col_from", lang): m.valid_from_year.astype("Int64").astype(str).replace("<NA>", ""),
                    t("methodology.col_area", lang): area,
                    t("methodology.col_max", lang): [fmt.number(v, lang) if pd.notna(v) else "" for v in m.max_points],
                    t("methodology.col_criteria", lang): m.n_criteria,
                    t("common.source", lang): m.source_url,
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                t("common.source", lang): st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
            },
        )
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


def note_in(df: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """A reader-facing note in the page language: the `<column>_vi` text in Vietnamese (the English one only where
    the data has no Vietnamese text yet)."""
    if lang == "vi" and f"{column}_vi" in df:
        return df[f"{column}_vi"].where(df[f"{column}_vi"].notna() & (df[f"{column}_vi"] != ""), df[column])
    return df[column]


def presence_matrix(presence: pd.DataFrame, lang: str) -> pd.DataFrame:
    name_col = "name_vi" if lang == "vi" else "name_en"
    names = presence.groupby("component_id")[name_col].last()
    levels = presence.groupby("component_id")["level"].first()
    grid = presence.assign(mark="✓").pivot_table(index="component_id", columns="year", values="mark", aggfunc="first")
    grid.columns = [str(c) for c in grid.columns]
    order = sorted(grid.index, key=lambda c: (c.split(".")[0], "." in c, c))
    grid = grid.loc[order].fillna("")
    out = pd.DataFrame(
        {
            t("methodology.level", lang): [t(f"methodology.level_{levels[c]}", lang) for c in order],
            t("methodology.component", lang): [("  ↳ " if "." in c else "") + str(names[c]) for c in order],
        }
    )
    return pd.concat([out.reset_index(drop=True), grid.reset_index(drop=True)], axis=1)


run_page("nav.methodology", render)
