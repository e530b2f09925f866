"""Generated sentences of the unit profile, in Vietnamese and English, built only from numbers and names in the
data. Templates live in the i18n catalogue (strings_unit.py); these functions pick the template and format the
numbers (84,64 in vi, 84.64 in en). Pure: no Streamlit, no database."""

from __future__ import annotations

import pandas as pd

from .fmt import day, in_lang, integer, number
from .i18n import t


def component_name(row, lang: str) -> str:
    """A component's name in `lang`, else its id (a component the catalogue does not name)."""
    name = in_lang(row, "name_vi", "name_en", lang)
    if name is None:
        name = row.get("component_id") if hasattr(row, "get") else getattr(row, "component_id", None)
    return str(name)


def join_list(items: list[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    last = " và " if lang == "vi" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def fmt_date(value, lang: str) -> str:
    """05/03/2024 in vi, 5 March 2024 in en: Babel's month names, never the server's locale (%B)."""
    return day(value, lang)


def points(value, lang: str) -> str:
    """A gap in points: two decimals, or four when it is under 0.01 (so that it does not read as zero)."""
    if value is not None and 0 < abs(value) < 0.01:
        return number(value, lang, decimals=4)
    return number(value, lang)


def score(value, unit: str | None, lang: str) -> str:
    """A total as printed: "84,64%" for an index scored in percent (PAR Index, SIPAS), "41,53 điểm" otherwise."""
    if value is None:
        return "–"
    return t("unit.score.percent" if unit == "percent" else "unit.score.points", lang, value=number(value, lang))


def total_value(value, unit: str | None, lang: str) -> str:
    """A total for a metric tile or table cell: "84,64%" in percent, the bare number in points ("41,53")."""
    if value is None:
        return "–"
    return score(value, unit, lang) if unit == "percent" else number(value, lang)


def pct(value, lang: str) -> str:
    return number(value, lang, decimals=0)


def standing_sentences(
    name: str, index: str, year: int, s: dict | None, lang: str, status: str | None = None
) -> list[str]:
    """Where the unit stands. `status` 'no_edition' / 'not_listed' when there is no standing."""
    if status == "no_edition":
        return [t("unit.s.no_edition", lang, index=index, year=year)]
    if s is None:
        return [t("unit.s.not_listed", lang, name=name, index=index, year=year)]
    out = []
    total, rank = s["total"], s["rank"]
    kind = t("unit.rank_kind." + ("official" if s.get("rank_official") else "computed"), lang)
    shown = score(total, s.get("total_unit"), lang)
    n_ranked = s.get("n_ranked")
    if total is not None and rank is not None and s["complete"]:
        out.append(
            t(
                "unit.s.rank_total",
                lang,
                name=name,
                rank=rank,
                n=s["n_scored"],
                index=index,
                year=year,
                total=shown,
                rank_kind=kind,
            )
        )
    elif total is not None and rank is not None and n_ranked:
        out.append(
            t(
                "unit.s.rank_of_total_partial",
                lang,
                name=name,
                rank=rank,
                n=n_ranked,
                index=index,
                year=year,
                total=shown,
                rank_kind=kind,
            )
        )
    elif total is not None and rank is not None:
        out.append(
            t(
                "unit.s.rank_total_partial",
                lang,
                name=name,
                rank=rank,
                index=index,
                year=year,
                total=shown,
                rank_kind=kind,
            )
        )
    elif rank is not None:
        out.append(t("unit.s.rank_only", lang, name=name, rank=rank, index=index, year=year))
    elif total is not None:
        out.append(t("unit.s.total_only", lang, name=name, total=shown, index=index, year=year))
    else:
        out.append(t("unit.s.no_figure", lang, name=name, index=index, year=year))
        return out
    if s.get("percentile") is not None:
        out.append(
            t(
                "unit.s.percentile",
                lang,
                pct=pct(s["percentile"], lang),
                quartile=t(f"unit.quartile.{s['quartile']}", lang),
            )
        )
    if s.get("median") is not None and total is not None:
        gap = total - s["median"]
        if abs(gap) < 0.005:
            out.append(t("unit.s.median_equal", lang, median=number(s["median"], lang)))
        else:
            key = "unit.s.median_above" if gap > 0 else "unit.s.median_below"
            out.append(t(key, lang, median=number(s["median"], lang), gap=number(abs(gap), lang)))
    if s.get("points_to_top") is not None and s["points_to_top"] < 0.005 and (rank in (None, 1)):
        out.append(t("unit.s.is_top", lang))
    else:
        if s.get("points_to_next") is not None:
            out.append(t("unit.s.to_next", lang, gap=points(s["points_to_next"], lang)))
        if s.get("points_to_top") is not None:
            out.append(t("unit.s.to_top", lang, gap=number(s["points_to_top"], lang)))
    if s.get("band"):
        out.append(t("unit.s.band", lang, lo=s["band"][0], hi=s["band"][1]))
    elif s.get("band_size"):
        out.append(t("unit.s.shared", lang, k=s["band_size"]))
    if not s["complete"]:
        out.append(t("unit.s.partial", lang, index=index, year=year, n=s["n_listed"]))
    return out


def strengths_sentence(name: str, peers: str, strengths: pd.DataFrame, weaknesses: pd.DataFrame, lang: str) -> str:
    def items(df):
        return join_list(
            [
                t("unit.sw.item", lang, component=component_name(r, lang), gap=number(r["gap"], lang, signed=True))
                for _, r in df.iterrows()
            ],
            lang,
        )

    if len(strengths) and len(weaknesses):
        return t("unit.sw.both", lang, peers=peers, name=name, strong=items(strengths), weak=items(weaknesses))
    if len(strengths):
        return t("unit.sw.strong_only", lang, peers=peers, name=name, strong=items(strengths))
    if len(weaknesses):
        return t("unit.sw.weak_only", lang, peers=peers, name=name, weak=items(weaknesses))
    return t("unit.sw.none", lang)


def change_sentences(name: str, index: str, prev_year: int, year: int, ch: dict, lang: str, k: int = 2) -> list[str]:
    """The change in total and rank, the components behind it, how many units passed it, and the method."""
    out = []
    if ch["delta_total"] is not None:
        if abs(ch["delta_total"]) < 0.005:
            out.append(
                t(
                    "unit.ch.head_same",
                    lang,
                    prev=prev_year,
                    year=year,
                    index=index,
                    name=name,
                    cur_total=number(ch["cur_total"], lang),
                )
            )
        else:
            out.append(
                t(
                    "unit.ch.head",
                    lang,
                    prev=prev_year,
                    year=year,
                    index=index,
                    name=name,
                    dir=t("unit.ch.total_up" if ch["delta_total"] > 0 else "unit.ch.total_down", lang),
                    delta=number(abs(ch["delta_total"]), lang),
                    prev_total=number(ch["prev_total"], lang),
                    cur_total=number(ch["cur_total"], lang),
                )
            )
    else:
        out.append(t("unit.ch.no_total", lang))
    if ch["delta_rank"] is None:
        out.append(t("unit.ch.rank_unknown", lang))
    elif ch["delta_rank"] > 0:
        out.append(t("unit.ch.rank_up", lang, prev_rank=ch["prev_rank"], cur_rank=ch["cur_rank"]))
    elif ch["delta_rank"] < 0:
        out.append(t("unit.ch.rank_down", lang, prev_rank=ch["prev_rank"], cur_rank=ch["cur_rank"]))
    else:
        out.append(t("unit.ch.rank_same", lang, cur_rank=ch["cur_rank"]))
    contrib = ch["contributions"].dropna(subset=["contribution"])
    ups = contrib[contrib.contribution > 0.005].sort_values("contribution", ascending=False).head(k)
    downs = contrib[contrib.contribution < -0.005].sort_values("contribution").head(k)

    def items(df):
        return join_list(
            [
                t(
                    "unit.ch.item",
                    lang,
                    component=component_name(r, lang),
                    delta=number(r["contribution"], lang, signed=True),
                )
                for _, r in df.iterrows()
            ],
            lang,
        )

    if len(ups) and len(downs):
        out.append(t("unit.ch.drivers", lang, up=items(ups), down=items(downs)))
    elif len(ups):
        out.append(t("unit.ch.drivers_up", lang, up=items(ups)))
    elif len(downs):
        out.append(t("unit.ch.drivers_down", lang, down=items(downs)))
    if ch["passed"] is not None:
        out.append(t("unit.ch.movers", lang, n=ch["n_common"], passed=ch["passed"], fell=ch["fell_behind"]))
    elif not ch["complete"]:
        out.append(t("unit.ch.partial", lang))
    meta = ch["contributions"].set_index("component_id")
    added = [component_name(meta.loc[c], lang) for c in ch["added"] if c in meta.index]
    dropped = [component_name(meta.loc[c], lang) for c in ch["dropped"] if c in meta.index]
    if added and dropped:
        out.append(t("unit.ch.method_both", lang, added=join_list(added, lang), dropped=join_list(dropped, lang)))
    elif added:
        out.append(t("unit.ch.method_added", lang, components=join_list(added, lang)))
    elif dropped:
        out.append(t("unit.ch.method_dropped", lang, components=join_list(dropped, lang)))
    elif len(ch["contributions"]):
        out.append(t("unit.ch.method_same", lang))
    if ch["additive"] and added:
        new = ch["contributions"][ch["contributions"].status == "added"].contribution.sum()
        out.append(t("unit.ch.added_share", lang, points=number(new, lang, signed=True)))
    if ch.get("weighted") and len(contrib):
        out.append(t("unit.ch.weighted", lang))
    return out


def cross_item(row: dict, index: str, lang: str) -> str:
    status = row["status"]
    if status == "no_edition":
        return t("unit.x.item_no_edition", lang, index=index, year=row["year"])
    if status == "not_listed":
        return t("unit.x.item_not_listed", lang, index=index)
    if status == "no_figure":
        return t("unit.x.item_no_figure", lang, index=index)
    if row.get("percentile") is not None and row.get("rank") is not None:
        return t(
            "unit.x.item_ok", lang, index=index, rank=row["rank"], n=row["n_scored"], pct=pct(row["percentile"], lang)
        )
    shown = score(row.get("total"), row.get("total_unit"), lang)
    if row.get("rank") is not None and row.get("n_ranked") and row.get("total") is not None:
        return t("unit.x.item_ranked_partial", lang, index=index, rank=row["rank"], n=row["n_ranked"], total=shown)
    if row.get("rank") is not None:
        return t("unit.x.item_partial", lang, index=index, rank=row["rank"])
    return t("unit.x.item_score_partial", lang, index=index, total=shown)


def cross_sentence(name: str, year: int, rows: list[dict], labels: dict[str, str], lang: str) -> str:
    items = "; ".join(cross_item(r, labels[r["index_code"]], lang) for r in rows)
    return t("unit.x.sentence", lang, year=year, name=name, items=items)


def divergence_sentence(div: dict | None, labels: dict[str, str], lang: str) -> str:
    if not div:
        return t("unit.x.no_divergence", lang)
    tops = join_list(
        [t("unit.x.div_top", lang, index=labels[r["index_code"]], rank=r["rank"]) for r in div["top"]], lang
    )
    bottoms = join_list(
        [
            t("unit.x.div_bottom", lang, index=labels[r["index_code"]], rank=r["rank"], n=r["n_scored"])
            for r in div["bottom"]
        ],
        lang,
    )
    return t("unit.x.divergence", lang, tops=tops, bottoms=bottoms)


def legal_basis(row: pd.Series, lang: str) -> str:
    """The lineage row's legal basis: its English rendering on English pages, else the resolution's title."""
    return str(in_lang(row, "legal_basis", "legal_basis_en", lang) or "–")


def merged_into_sentence(name: str, successors: pd.DataFrame, lang: str) -> str:
    first = successors.iloc[0]
    news = join_list([component_name(r, lang) for _, r in successors.iterrows()], lang)
    return t(
        "unit.lin.merged_into",
        lang,
        name=name,
        new=news,
        date=fmt_date(first.effective_on, lang),
        basis=legal_basis(first, lang),
    )


def predecessors_sentence(name: str, predecessors: pd.DataFrame, has_own_data: bool, lang: str) -> str:
    first = predecessors.iloc[0]
    olds = join_list([component_name(r, lang) for _, r in predecessors.iterrows()], lang)
    key = "unit.lin.absorbed" if has_own_data else "unit.lin.formed_from"
    return t(key, lang, name=name, olds=olds, date=fmt_date(first.effective_on, lang), basis=legal_basis(first, lang))


def series_end_sentence(name: str, valid_to, last_year: int | None, lang: str) -> str:
    end = pd.Timestamp(valid_to) + pd.Timedelta(days=1)
    if last_year is None:
        return t("unit.t.series_end_nodata", lang, name=name, date=fmt_date(end, lang))
    return t("unit.t.series_end", lang, name=name, date=fmt_date(end, lang), last=last_year)


def rank_label(rank, n, lang: str) -> str:
    if rank is None:
        return "–"
    return t("unit.m.rank_of", lang, rank=integer(rank, lang), n=integer(n, lang)) if n else integer(rank, lang)
