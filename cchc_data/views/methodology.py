"""/methodology's view of the indices that are announced without a results table published as text (issue 13):
who publishes each, since when, how it is scored, that no table has been published as text yet, the command that
imports one when it is, and the source of each fact. The overview lists the same entries (`build_unpublished_view`
with no index). Everything comes from data/sources/reference/unpublished_indices.csv through
queries.catalog.unpublished_indices; nothing here is typed in."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from .. import fmt
from ..i18n import t
from ..queries import catalog
from ..queries._cache import versioned_view
from ._arrow import arrow_table


@dataclass(frozen=True)
class UnpublishedEntry:
    entry_id: str
    index_code: str  # "" for a district's own index (no index code in the data yet)
    shown_with: str  # the /methodology index it is shown with (the link from the overview)
    title: str  # escaped Markdown
    label: str  # the same, plain text (st.page_link labels are not Markdown)
    lines: tuple[str, ...]  # Markdown: publisher, since, scoring steps
    status: str  # plainly: no results table published as text yet (how many single figures there are, if any)
    command_note: str
    command: str  # the import command (shown as code), "" when the importer cannot take the table yet
    source: str  # Markdown citation of the facts above (escaped; the address as a link)


@dataclass(frozen=True)
class UnpublishedView:
    heading: str
    intro: str
    entries: tuple[UnpublishedEntry, ...]


def _text(row: pd.Series, column: str, lang: str) -> str:
    return str(row[f"{column}_{lang}"] or row[f"{column}_vi"])


def _label(row: pd.Series, lang: str) -> str:
    scope = _text(row, "scope", lang)
    index = t("index." + str(row["index_code"]), lang) if row["index_code"] else t("unpub.district_index", lang)
    return f"{index}: {scope}"


def _source(row: pd.Series, lang: str) -> str:
    parts = [f"“{row['source_title']}”", row["source_publisher"]]
    if row["source_date"]:
        parts.append(fmt.day(pd.Timestamp(row["source_date"]).date(), lang))
    text = ", ".join(p for p in parts if p)
    if row["source_url"]:
        return t("unpub.source", lang, source=fmt.md_with_links(f"{text}, {row['source_url']}", [row["source_url"]]))
    return t("unpub.source", lang, source=fmt.md_escape(f"{text} ({t('unpub.source_no_url', lang)})"))


def _entry(row: pd.Series, lang: str) -> UnpublishedEntry:
    since = t("unpub.since", lang, year=row["since_year"]) if row["since_year"] else t("unpub.since_unknown", lang)
    lines = (
        t("unpub.publisher", lang, publisher=fmt.md_escape(_text(row, "publisher", lang))),
        since,
        t("unpub.steps", lang, steps=fmt.md_escape(_text(row, "steps", lang))),
    )
    n = int(row["n_results"])
    if n and pd.notna(row["first_year"]):
        status = t("unpub.status_some", lang, n=n, first=int(row["first_year"]), last=int(row["last_year"]))
    else:
        status = t("unpub.status_none", lang)
    command = str(row["import_command"])
    return UnpublishedEntry(
        entry_id=str(row["entry_id"]),
        index_code=str(row["index_code"]),
        shown_with=str(row["shown_with"]),
        title=fmt.md_escape(_label(row, lang)),
        label=_label(row, lang),
        lines=lines,
        status=status,
        command_note=t("unpub.command", lang) if command else t("unpub.no_command", lang),
        command=command,
        source=_source(row, lang),
    )


@versioned_view
def build_unpublished_view(index_code: str | None, lang: str) -> UnpublishedView:
    """The entries shown with `index_code` on /methodology (its `shown_with` column: a district's own office index
    is shown with Hà Nội's internal index), or every entry (index_code None: the overview). Empty when each has a
    table in the data."""
    df = catalog.unpublished_indices()
    if index_code is not None:
        df = df[df.shown_with == index_code]
    entries = tuple(_entry(row, lang) for _, row in df.iterrows())
    return UnpublishedView(
        heading=t("unpub.heading" if index_code else "unpub.heading_all", lang),
        intro=t("unpub.intro", lang) if index_code else t("unpub.overview_intro", lang),
        entries=entries,
    )


@versioned_view
def methodology_index_codes() -> tuple[str, ...]:
    """The indices /methodology offers: those with data, then those with no table yet (e.g. par_hcmc)."""
    have = set(catalog.editions().index_code) | set(catalog.unpublished_index_codes())
    return tuple(c for c in catalog.INDEX_CODES if c in have)


# --- The index's own method: what it measures, its components by year, its editions, PAR decisions (issue 16) ---

ABOUT = {"par": "par", "par_hanoi": "par", "papi": "papi", "pci": "pci", "sipas": "sipas"}
SCHEME_PREFIX = {"par": "national", "sipas": "national", "par_hanoi": "hanoi", "par_hcmc": "hcmc"}


@dataclass(frozen=True)
class MethodologyView:
    """Everything /methodology draws for one index below the picker (tables already formatted, headers in the
    reader's language; notes in the reader's language where the data has them)."""

    about: str | None  # Markdown: what the index measures (None for par_hcmc: the national text would misstate it)
    has_editions: bool
    presence: pa.Table | None  # components by year (✓), None when the index publishes no components
    editions: pa.Table
    decisions: pa.Table | None  # PAR method decisions (PAR indices only)
    source_column: str  # the decisions table's link column


def note_in(df: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """A reader-facing note in the page language: the `<column>_vi` text in Vietnamese (the English one only where
    the data has no Vietnamese text yet)."""
    if lang == "vi" and f"{column}_vi" in df:
        return df[f"{column}_vi"].where(df[f"{column}_vi"].notna() & (df[f"{column}_vi"] != ""), df[column])
    return df[column]


def presence_matrix(presence: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = presence.groupby("component_id").last()
    labels = fmt.unit_names(names, lang)
    levels = presence.groupby("component_id")["level"].first()
    grid = presence.assign(mark="✓").pivot_table(index="component_id", columns="year", values="mark", aggfunc="first")
    grid.columns = [str(c) for c in grid.columns]
    order = sorted(grid.index, key=lambda c: (c.split(".")[0], "." in c, c))
    grid = grid.loc[order].fillna("")
    out = pd.DataFrame(
        {
            t("methodology.level", lang): [t(f"methodology.level_{levels[c]}", lang) for c in order],
            t("methodology.component", lang): [("  ↳ " if "." in c else "") + str(labels[c]) for c in order],
        }
    )
    return pd.concat([out.reset_index(drop=True), grid.reset_index(drop=True)], axis=1)


@versioned_view
def build_methodology_view(index_code: str, lang: str) -> MethodologyView:
    eds = catalog.editions(index_code)
    source_column = t("common.source", lang)
    if eds.empty:
        return MethodologyView(None, False, None, arrow_table(pd.DataFrame()), None, source_column)
    presence = catalog.component_presence(index_code)
    editions = pd.DataFrame(
        {
            t("common.year", lang): eds.year.astype(str),
            t("methodology.col_completeness", lang): [t(f"common.{c}", lang) for c in eds.completeness],
            t("methodology.col_units", lang): eds.n_results,
            t("methodology.col_scored", lang): eds.n_scored,
            t("methodology.col_note", lang): note_in(eds, "method_note", lang),
        }
    )
    decisions = None
    if index_code in SCHEME_PREFIX:
        m = catalog.methodology()
        m = m[m.scheme.str.startswith(SCHEME_PREFIX[index_code])]
        area = m.component_vi.fillna(m.component_en) if lang == "vi" else m.component_en.fillna(m.component_vi)
        decisions = pd.DataFrame(
            {
                t("methodology.col_scheme", lang): [t(f"methodology.scheme.{c}", lang) for c in m.scheme],
                t("methodology.col_decision", lang): m.decision_no,
                t("methodology.col_from", lang): m.valid_from_year.astype("Int64").astype(str).replace("<NA>", ""),
                t("methodology.col_area", lang): area,
                t("methodology.col_max", lang): [fmt.number(v, lang) if pd.notna(v) else "" for v in m.max_points],
                t("methodology.col_criteria", lang): m.n_criteria,
                source_column: m.source_url,
            }
        )
    return MethodologyView(
        about=t(f"overview.about.{ABOUT[index_code]}", lang) if index_code in ABOUT else None,
        has_editions=True,
        presence=None if presence.empty else arrow_table(presence_matrix(presence, lang)),
        editions=arrow_table(editions),
        decisions=None if decisions is None else arrow_table(decisions),
        source_column=source_column,
    )
