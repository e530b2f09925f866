"""/methodology's view of the indices that are announced without a results table published as text (issue 13):
who publishes each, since when, how it is scored, that no table has been published as text yet, the command that
imports one when it is, and the source of each fact. The overview lists the same entries (`build_unpublished_view`
with no index). Everything comes from data/sources/reference/unpublished_indices.csv through
queries.catalog.unpublished_indices; nothing here is typed in."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fmt
from ..i18n import t
from ..queries import catalog
from ..queries._cache import versioned


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


@versioned
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


def methodology_index_codes() -> list[str]:
    """The indices /methodology offers: those with data, then those with no table yet (e.g. par_hcmc)."""
    have = set(catalog.editions().index_code)
    return [c for c in catalog.INDEX_CODES if c in have or c in catalog.unpublished_index_codes()]
