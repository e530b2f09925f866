"""/data's view: the public tables (name, what each holds, rows), the data version, the schema document and the
sources and licences, in the reader's language (issue 14: no repository paths, Vietnamese first). The files
themselves are made on click by the page (queries.table_for_download / table_parquet_bytes)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import fmt
from .. import queries as q
from ..i18n import t
from ..paths import PROJECT_ROOT
from ..queries._cache import versioned_view


@dataclass(frozen=True)
class TableEntry:
    name: str  # the table's file name (a public contract), shown as code
    label: str
    rows: str


@dataclass(frozen=True)
class DataView:
    intro: str
    version: str
    tables: list[TableEntry]
    schema: str  # Markdown of data/README.md (for developers; English)
    sources: list[str]  # Markdown paragraphs, in the reader's language


@versioned_view
def build_data_view(lang: str) -> DataView:
    rows = q.table_rows()
    return DataView(
        intro=t("data.intro", lang),
        version=t("data.version", lang, version=q.data_version()),
        tables=[
            TableEntry(
                name, t(f"data.table.{name}", lang), t("data.rows", lang, n=fmt.integer(rows.get(name, 0), lang))
            )
            for name in q.PUBLIC_TABLES
        ],
        schema=(PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8"),
        # a list, not a table: a three-column table was unreadable at 390 px
        sources=[
            t(k, lang) for k in ("data.sources_intro", "data.sources_rows", "data.sources_partial", "data.sources_cite")
        ],
    )
