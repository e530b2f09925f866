"""/'s view: the latest headline results per index (`build_overview_view`) and the unit search
(`build_search_view`, the one search of queries.units.match_units). A hit names its period when the unit was
reorganised ("Bắc Ninh (đến 30/06/2025)", "Bắc Ninh (từ 01/07/2025, gồm Bắc Giang và Bắc Ninh cũ)") and says
what merged into what, from unit_lineage. Every text is formatted and escaped here; pages/overview.py draws."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fmt
from .. import profile_text as pt
from .. import queries as q
from ..fmt import md_escape as md
from ..fmt import unit_name
from ..i18n import t
from ..queries._cache import versioned_view
from . import methodology as vmeth

INDEX_ORDER = ("par", "par_hanoi", "papi", "pci", "sipas")
SEARCH_LIMIT = 8
NAMES_SHOWN = 3  # successors named in a merge note; the rest are counted


@dataclass(frozen=True)
class Leader:
    group: str  # "Dẫn đầu tỉnh/thành phố"
    name: str  # escaped
    score: str  # escaped; "✱" when the rank was computed by us
    link_label: str
    params: dict


@dataclass(frozen=True)
class Card:
    title: str
    caption: str | None
    leaders: tuple[Leader, ...]
    empty: str | None = None
    complete: tuple[str, dict] | None = (
        None  # a partial latest edition: (label, /rankings params) of the latest complete
    )


@dataclass(frozen=True)
class OverviewView:
    tagline: str
    headline: str
    cards: tuple[Card, ...]
    computed_note: str | None
    what: str
    about: tuple[tuple[str, str], ...]
    unpublished_intro: str = ""  # indices announced without a results table as text (issue 13), and their entries
    unpublished: tuple[vmeth.UnpublishedEntry, ...] = ()


@dataclass(frozen=True)
class Hit:
    label: str  # plain text (st.page_link labels are not Markdown)
    unit_id: str  # the profile it opens
    note: str | None = None  # Markdown, names escaped: what merged into what


@dataclass(frozen=True)
class SearchView:
    hits: tuple[Hit, ...]
    none: str | None = None  # the "nothing matched" notice, the query escaped


@versioned_view
def build_overview_view(lang: str) -> OverviewView:
    latest = q.latest_editions()
    cards = []
    any_computed = False
    for code in INDEX_ORDER:
        rows = latest[latest.index_code == code]
        title = t(f"index.{code}", lang)
        if rows.empty:
            cards.append(Card(title, None, (), empty=t("notice.no_data", lang)))
            continue
        first = rows.iloc[0]
        caption = f"{t('common.year', lang)} {int(first.year)}"
        complete = None
        if first.completeness == "partial":
            eds = q.editions(code)
            this = eds[eds.year == int(first.year)]
            if not this.empty:
                n_scored, n_results = int(this.n_scored.iloc[0]), int(this.n_results.iloc[0])
                caption += " · " + t("overview.edition_partial_counts", lang, scored=n_scored, listed=n_results)
            else:
                caption += f" · {t('overview.edition_partial', lang)}"
            done = sorted(int(y) for y in eds[(eds.completeness == "complete") & (eds.year < first.year)].year)
            if done:
                complete = (
                    t("overview.latest_complete", lang, year=done[-1]),
                    {"lang": lang, "index": code, "year": str(done[-1])},
                )
        leaders = []
        unit = (q.edition(code, int(first.year)) or {}).get("total_unit")
        for _, r in rows.iterrows():
            score = pt.total_value(r.total, unit, lang) if pd.notna(r.total) else t("overview.no_score", lang)
            computed = not bool(r.rank_official) if pd.notna(r.rank_official) else True
            any_computed |= computed
            leaders.append(
                Leader(
                    t("overview.leader", lang, group=t(f"group.{r.unit_group}", lang).lower()),
                    md(unit_name(r, lang)),
                    md(score) + (" ✱" if computed else ""),
                    t("overview.open_rankings", lang),
                    {"lang": lang, "index": code, "year": str(int(r.year)), "group": r.unit_group},
                )
            )
        cards.append(Card(title, caption, tuple(leaders), complete=complete))
    return OverviewView(
        t("app.tagline", lang),
        t("overview.headline", lang),
        tuple(cards),
        t("overview.computed_note", lang) if any_computed else None,
        t("overview.what", lang),
        tuple((t(f"index.{c}", lang), t(f"overview.about.{c}", lang)) for c in ("par", "papi", "pci", "sipas")),
        *_unpublished(lang),
    )


def _unpublished(lang: str) -> tuple[str, tuple]:
    view = vmeth.build_unpublished_view(None, lang)
    return view.intro, view.entries


def period_name(rec: dict, lang: str, recs: dict, predecessors: list[str] | None = None) -> str:
    """A unit's name with its period when it has one: "Bắc Ninh (đến 30/06/2025)"; a unit formed by a merger also
    names what it was formed from: "Bắc Ninh (từ 01/07/2025, gồm Bắc Giang và Bắc Ninh cũ)"."""
    name = unit_name(rec, lang)
    if pd.notna(rec.get("valid_to")):
        return t("overview.period_until", lang, name=name, date=fmt.day(rec["valid_to"], lang))
    if pd.notna(rec.get("valid_from")):
        olds = [recs[p] for p in (predecessors or []) if p in recs]
        if olds:
            names = [_old_name(o, name, lang) for o in olds]
            return t(
                "overview.period_from_merged",
                lang,
                name=name,
                date=fmt.day(rec["valid_from"], lang),
                olds=_join(names, lang),
            )
        return t("overview.period_from", lang, name=name, date=fmt.day(rec["valid_from"], lang))
    return name


def _old_name(old: dict, new_name: str, lang: str) -> str:
    """A predecessor's name; "Bắc Ninh cũ" / "former Bac Ninh" when it has the same name as the new unit."""
    name = unit_name(old, lang)
    return t("overview.former", lang, name=name) if name == new_name else name


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" và " if lang == "vi" else " and ") + items[-1]


def _as_list(value) -> list[str]:
    if value is None or isinstance(value, float) or not hasattr(value, "__len__"):
        return []
    return [str(v) for v in value]


@versioned_view
def build_search_view(query: str, lang: str) -> SearchView:
    hits = q.search_units(query, limit=SEARCH_LIMIT, lang=lang)
    if hits.empty:
        return SearchView((), none=t("overview.search_none", lang, q=md(query[:100])))
    _, recs = q.picker_units(q.data_version())
    out = []
    for _, hit in hits.iterrows():
        rec = recs.get(hit.unit_id) or hit.to_dict()
        succs, preds = _as_list(hit.successors), _as_list(hit.predecessors)
        label = " · ".join(
            [period_name(rec, lang, recs, preds), t(f"kind.{rec['kind']}", lang)] + _parent(rec, recs, lang)
        )
        note = None
        target = hit.unit_id
        if succs:
            note = _merge_note(rec, succs, recs, lang)
            # Nothing of its own to show: open where it went, if that is one unit (a merger) or the one successor of
            # its own kind; a district split among communes opens itself (its page lists them all).
            same_kind = [s for s in succs if recs.get(s, {}).get("kind") == rec.get("kind")]
            if not hit.n_results and (len(succs) == 1 or len(same_kind) == 1):
                target = succs[0] if len(succs) == 1 else same_kind[0]
        out.append(Hit(label, target, note))
    return SearchView(tuple(out))


def _parent(rec: dict, recs: dict, lang: str) -> list[str]:
    parent = rec.get("parent_unit_id")
    if rec.get("kind") == "province" or not isinstance(parent, str) or parent not in recs:
        return []
    return [unit_name(recs[parent], lang)]


def _merge_note(rec: dict, succs: list[str], recs: dict, lang: str) -> str:
    """What merged into what, by name ("Bắc Giang và Bắc Ninh cũ hợp nhất thành Bắc Ninh mới từ ngày 01/07/2025"),
    or where a unit went ("Cầu Giấy được sắp xếp vào Phường Ngọc Hà, … và 6 đơn vị khác từ ngày 01/07/2025")."""
    news = [recs[s] for s in succs if s in recs]
    if not news:
        return md(t("overview.merged_unknown", lang, old=period_name(rec, lang, recs)))
    lineage = q.predecessors(news[0]["unit_id"])
    partners = [recs[p] for p in lineage.predecessor_unit_id.tolist() if p in recs] if len(lineage) else [rec]
    date = fmt.day(lineage.effective_on.iloc[0], lang) if len(lineage) else fmt.day(news[0].get("valid_from"), lang)
    if len(news) == 1 and len(partners) > 1:
        new_name = unit_name(news[0], lang)
        same = any(unit_name(p, lang) == new_name for p in partners)
        olds = [_old_name(p, new_name, lang) for p in partners]
        new = t("overview.new_unit", lang, name=new_name) if same else new_name
        return md(t("overview.merged", lang, olds=_join(olds, lang), new=new, date=date))
    new_names = [unit_name(n, lang) for n in news[:NAMES_SHOWN]]
    if len(news) > NAMES_SHOWN:
        new_names.append(t("overview.n_more", lang, n=fmt.integer(len(news) - NAMES_SHOWN, lang)))
    # A unit whose successors are of another kind (a district and its communes) went to each in whole or in part.
    key = "overview.moved_into_part" if any(n.get("kind") != rec.get("kind") for n in news) else "overview.moved_into"
    return md(t(key, lang, old=unit_name(rec, lang), new=_join(new_names, lang), date=date))
