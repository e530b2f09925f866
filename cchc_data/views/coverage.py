"""What a partial table holds (issue 14, journey 5): for each unit group, which units the sources printed with a
score and a rank, a rank only, a score only or only a name, and how many were not published at all. One text for
/rankings and /map, in the reader's language, with names escaped and no raw codes."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..i18n import t

NAMES_MAX = 12  # names listed per kind; past it, "and N more"


def _names(df: pd.DataFrame, lang: str) -> str:
    names = [fmt.md_escape(n) for n in fmt.unit_names(df, lang).tolist()]
    if len(names) <= NAMES_MAX:
        return ", ".join(names)
    return t("coverage.more", lang, names=", ".join(names[:NAMES_MAX]), n=fmt.integer(len(names) - NAMES_MAX, lang))


def published_coverage(
    rows: pd.DataFrame, lang: str, expected: dict[str, int] | None = None, score: str = "value"
) -> str:
    """One sentence per unit group of `rows` (columns unit_group, name_vi, name_en, `score`, rank).
    `expected`: how many units a complete table of a group has (e.g. 63 provinces), where that is known."""
    expected = expected or {}
    parts = []
    groups = list(dict.fromkeys(rows.unit_group.tolist()))
    for group in groups:
        g = rows[rows.unit_group == group]
        has_score = g[score].notna()
        has_rank = g["rank"].notna() & g.get("rank_official", pd.Series(True, index=g.index)).fillna(False).astype(bool)
        kinds = [
            ("coverage.both", g[has_score & has_rank]),
            ("coverage.rank_only", g[~has_score & has_rank]),
            ("coverage.score_only", g[has_score & ~has_rank]),
            ("coverage.named_only", g[~has_score & ~has_rank]),
        ]
        bits = [t(key, lang, names=_names(part, lang)) for key, part in kinds if len(part)]
        label = t(f"group.{group}", lang)
        total = expected.get(group)
        missing = (
            t(
                "coverage.not_published_n",
                lang,
                n=fmt.integer(total - len(g), lang),
                total=fmt.integer(total, lang),
                group=label.lower(),
            )
            if total and total > len(g)
            else t("coverage.not_published_rest", lang, group=label.lower())
        )
        head = f"{label}: " if len(groups) > 1 else ""
        parts.append(t("coverage.sentence", lang, head=head, published="; ".join(bits), missing=missing))
    return " ".join(parts)
