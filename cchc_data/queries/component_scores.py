"""Components: the index tree of an edition, unit scores by component, distributions, method changes.

A component's level is 'dimension' (top, no parent), 'sub_dimension' or 'criterion'. `parent=""` means
the top level. Scores are shown as a percentage of the component's maximum where the publisher gave a
maximum (`components.max_score`), and as raw points otherwise; the `value_kind` column says which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..db import fetch_df
from ..textnorm import fold
from ._cache import versioned

__all__ = [
    "component_editions",
    "component_tree",
    "component_path",
    "component_scores",
    "add_values",
    "distribution_summary",
    "diff_components",
    "self_appraised",
    "TOP",
    "drop_children_of_added",
    "component_view",
    "value_bins",
    "LARGE_GROUP",
    "EDGE",
    "BINS",
    "component_choices",
    "group_size",
    "unit_choices",
    "unit_label",
    "group_units",
    "MATCH_LIMIT",
]

TOP = ""  # the parent id of top-level components


@versioned
def _component_editions() -> pd.DataFrame:
    return fetch_df("""
        SELECT e.index_code, e.year, e.edition_id, c.unit_group, count(*) AS n_components,
               count(c.max_score) AS n_with_max,
               (SELECT count(*) FROM scores s WHERE s.edition_id = e.edition_id) AS n_scores,
               (SELECT count(s.score_self) + count(s.score_appraised) FROM scores s
                 WHERE s.edition_id = e.edition_id) AS n_self_appraised
        FROM editions e JOIN components c USING (edition_id)
        GROUP BY ALL ORDER BY e.index_code, e.year, c.unit_group""")


def component_editions(index_code: str | None = None) -> pd.DataFrame:
    """Editions that have a component tree, one row per edition and unit group."""
    df = _component_editions()
    return df[df.index_code == index_code].reset_index(drop=True) if index_code else df


@versioned
def component_tree(edition_id: str, unit_group: str) -> pd.DataFrame:
    """One edition's component tree, in position order, with each component's number of children."""
    return fetch_df(
        """
        SELECT c.component_id, coalesce(c.parent_component_id, '') AS parent_component_id, c.name_vi, c.name_en,
               c.max_score, c.position, c.level,
               (SELECT count(*) FROM components k WHERE k.edition_id = c.edition_id AND k.unit_group = c.unit_group
                  AND k.parent_component_id = c.component_id) AS n_children
        FROM components c WHERE c.edition_id = $ed AND c.unit_group = $grp
        ORDER BY c.position, c.component_id""",
        {"ed": edition_id, "grp": unit_group},
    )


def component_path(tree: pd.DataFrame, component_id: str) -> list[dict]:
    """Ancestors of a component, top first, including itself (empty for the top level)."""
    by_id = {r.component_id: r._asdict() for r in tree.itertuples(index=False)}
    path, current, seen = [], component_id, set()
    while current and current in by_id and current not in seen:
        seen.add(current)
        path.append(by_id[current])
        current = by_id[current]["parent_component_id"]
    return path[::-1]


@versioned
def _scores(edition_id: str, unit_group: str, parent: str) -> pd.DataFrame:
    return fetch_df(
        """
        SELECT r.edition_id, r.unit_id, u.name_vi, u.name_en, u.admin_code, u.kind, u.parent_unit_id, r.total, r.rank,
               r.rank_official, c.component_id, c.name_vi AS component_vi, c.name_en AS component_en,
               c.position, c.level, c.max_score, s.score, s.score_self, s.score_appraised
        FROM results r
        JOIN units u USING (unit_id)
        JOIN components c ON c.edition_id = r.edition_id AND c.unit_group = r.unit_group
        LEFT JOIN scores s ON s.edition_id = r.edition_id AND s.unit_id = r.unit_id
                          AND s.component_id = c.component_id
        WHERE r.edition_id = $ed AND r.unit_group = $grp AND coalesce(c.parent_component_id, '') = $parent
        ORDER BY r.total DESC NULLS LAST, u.name_vi COLLATE vi, c.position""",
        {"ed": edition_id, "grp": unit_group, "parent": parent},
    )


def component_scores(edition_id: str, unit_group: str, parent: str = TOP) -> pd.DataFrame:
    """One row per unit and component (children of `parent`), with `value` (% of max or raw) and `value_kind`."""
    return add_values(_scores(edition_id, unit_group, parent or TOP))


# Above LARGE_GROUP units a chart of every unit is unreadable and heavy (10,000 communes x 8 dimensions was a
# 29 MB heatmap spec per rerun, docs/performance.md): the heatmap shows the EDGE best and EDGE worst units plus the
# highlighted one, and the distribution is drawn from BINS-bin counts. The full matrix stays available as a download.
LARGE_GROUP = 150
EDGE = 25
BINS = 40


def value_bins(df: pd.DataFrame, bins: int = BINS) -> pd.DataFrame:
    """Per component, how many units fall in each of `bins` equal value bins (one shared range for all
    components, so the strips line up on one axis). Empty bins are left out."""
    cols = ["component_id", "position", "component_vi", "component_en", "bin_lo", "bin_hi", "n", "value_kind"]
    d = df.dropna(subset=["value"])
    if d.empty:
        return pd.DataFrame(columns=cols)
    lo, hi = float(d.value.min()), float(d.value.max())
    if hi <= lo:
        hi = lo + 1.0
    edges = np.linspace(lo, hi, bins + 1)
    which = np.clip(np.searchsorted(edges, d.value.to_numpy(), side="right") - 1, 0, bins - 1)
    counts = d.assign(_bin=which).groupby(["component_id", "_bin"], sort=False).size().rename("n").reset_index()
    meta = d.drop_duplicates("component_id")[["component_id", "position", "component_vi", "component_en", "value_kind"]]
    out = counts.merge(meta, on="component_id")
    out["bin_lo"] = edges[out._bin.to_numpy()]
    out["bin_hi"] = edges[out._bin.to_numpy() + 1]
    return out.sort_values(["position", "bin_lo"])[cols].reset_index(drop=True)


@versioned
def _view(edition_id: str, unit_group: str, parent: str, highlight: str) -> dict:
    data = add_values(_scores(edition_id, unit_group, parent))
    units = data.drop_duplicates("unit_id")  # ordered by total (best first, no total last), then name
    n_units = len(units)
    reduced = n_units > LARGE_GROUP
    heat = data
    sa = self_appraised(data)
    bins = value_bins(data.iloc[0:0])
    if reduced:
        ranked = units[units.total.notna()].unit_id.tolist()
        keep = set(ranked[:EDGE]) | set(ranked[-EDGE:]) | ({highlight} if highlight else set())
        heat = data[data.unit_id.isin(keep)].reset_index(drop=True)
        sa = sa[sa.unit_id.isin(keep)].reset_index(drop=True)
        bins = value_bins(data)
    return {
        "n_units": n_units,
        "reduced": reduced,
        "n_scored": int(data.score.notna().sum()),
        "kind": "pct" if set(data.value_kind) == {"pct"} else "raw",
        "n_components": int(data.component_id.nunique()),
        "units": units[["unit_id", "name_vi", "name_en", "admin_code", "kind", "total", "rank"]].reset_index(drop=True),
        "heat": heat,
        "bins": bins,
        "summary": distribution_summary(data),
        "self": sa,
        "mine": data[data.unit_id == highlight].reset_index(drop=True) if highlight else data.iloc[0:0],
    }


def component_view(edition_id: str, unit_group: str, parent: str = TOP, highlight: str | None = None) -> dict:
    """Everything /components draws for one view, computed once per view (a warm rerun does no per-unit work):
    n_units, reduced (more than LARGE_GROUP units), n_scored, kind ('pct'|'raw'), n_components, units (one row per
    unit, best first), heat (the rows of the heatmap: every unit, or the EDGE best + EDGE worst + the highlighted
    one when reduced), bins (value_bins when reduced, else empty), summary (distribution_summary of all units),
    self (self_appraised of the heatmap's units), mine (the highlighted unit's rows)."""
    return _view(edition_id, unit_group, parent or TOP, highlight or "")


def component_choices(edition_id: str, unit_group: str, lang: str) -> tuple[list[str], dict[str, str]]:
    """The drill-down picker: components that have sub-components (tree order) and every component's name in
    `lang` (English falls back to Vietnamese). Cached, so a rerun does not walk the tree again."""
    return _component_choices(edition_id, unit_group, lang)


@versioned
def _component_choices(edition_id: str, unit_group: str, lang: str):
    tree = component_tree(edition_id, unit_group)
    names = dict(zip(tree.component_id.tolist(), _names(tree, lang)))
    return tree[tree.n_children > 0].component_id.tolist(), names


def _names(df: pd.DataFrame, lang: str) -> list[str]:
    if lang == "vi":
        return df.name_vi.astype(str).tolist()
    return [en if isinstance(en, str) and en else str(vi) for vi, en in zip(df.name_vi.tolist(), df.name_en.tolist())]


# The highlight picker: a select of every unit up to LARGE_GROUP units; above it a search box and a select of at
# most MATCH_LIMIT matches (a 10,001-option select cost ~30 ms of every rerun and ~240 KB of every page).
MATCH_LIMIT = 50


@versioned
def _group_units(edition_id: str, unit_group: str, lang: str) -> dict:
    """Every unit of the group with its picker label: the name in `lang`, plus the admin code (or the unit id)
    where two units of the group share a name. ids/labels/keys are in label order; keys are folded labels and
    admin codes, for an accent-insensitive search."""
    df = fetch_df(
        """
        SELECT r.unit_id, u.name_vi, u.name_en, u.admin_code FROM results r JOIN units u USING (unit_id)
        WHERE r.edition_id = $ed AND r.unit_group = $grp""",
        {"ed": edition_id, "grp": unit_group},
    )
    names, uids = _names(df, lang), df.unit_id.tolist()
    codes = [c if isinstance(c, str) else "" for c in df.admin_code.tolist()]
    folded = [fold(n) for n in names]
    seen: dict[str, int] = {}
    for f in folded:
        seen[f] = seen.get(f, 0) + 1
    labels = [f"{n} ({code or uid})" if seen[f] > 1 else n for n, f, code, uid in zip(names, folded, codes, uids)]
    order = sorted(range(len(labels)), key=lambda i: (fold(labels[i]), labels[i], uids[i]))  # Đ among the Ds
    return {
        "ids": [uids[i] for i in order],
        "labels": [labels[i] for i in order],
        "keys": [f"{folded[i]} {codes[i]}".strip() for i in order],
    }


@versioned
def group_size(edition_id: str, unit_group: str) -> int:
    """How many units the group has in this edition (the results rows)."""
    rows = fetch_df(
        "SELECT count(*) AS n FROM results WHERE edition_id = $ed AND unit_group = $grp",
        {"ed": edition_id, "grp": unit_group},
    )
    return int(rows.n.iloc[0])


def unit_choices(edition_id: str, unit_group: str, lang: str) -> tuple[list[str], dict[str, str]]:
    """Every unit of the group in label order, and their labels (for groups of up to LARGE_GROUP units)."""
    return _unit_choices(edition_id, unit_group, lang)


@versioned
def _unit_choices(edition_id: str, unit_group: str, lang: str):
    units = _group_units(edition_id, unit_group, lang)
    return units["ids"], dict(zip(units["ids"], units["labels"]))


def unit_label(edition_id: str, unit_group: str, lang: str, unit_id: str | None) -> str | None:
    """The picker label of one unit of the group, or None if it is not in the group (cached per unit, so a
    rerun of a large group does not read all its labels)."""
    if not unit_id:
        return None
    return _unit_label(edition_id, unit_group, lang, str(unit_id)[:64])


@versioned
def _unit_label(edition_id: str, unit_group: str, lang: str, unit_id: str) -> str | None:
    units = _group_units(edition_id, unit_group, lang)
    labels = dict(zip(units["ids"], units["labels"]))
    return labels.get(unit_id)


def group_units(edition_id: str, unit_group: str, lang: str) -> tuple[list[str], dict[str, str]]:
    """Every unit id of the group in label order and its picker label (any group size: the search's pool)."""
    return _unit_choices(edition_id, unit_group, lang)


def add_values(df: pd.DataFrame) -> pd.DataFrame:
    """`value` = score as % of the maximum where a maximum exists, else the raw score; `value_kind` says which."""
    df = df.copy()
    has_max = df.max_score.notna() & (df.max_score > 0)
    df["pct_of_max"] = (df.score / df.max_score * 100).where(has_max)
    # One kind per edition, so that a chart never mixes % and points on one scale.
    if "edition_id" in df and len(df):
        all_max = has_max.groupby(df.edition_id).transform("all")
    else:
        all_max = pd.Series(bool(has_max.all()) if len(df) else False, index=df.index)
    df["value"] = df.pct_of_max.where(all_max, df.score)
    df["value_kind"] = all_max.map({True: "pct", False: "raw"}).astype(object)
    return df


def distribution_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per component: n, median, best value and the unit(s) holding it (ties joined), from `component_scores`."""
    rows = []
    for (cid, pos), part in df.dropna(subset=["value"]).groupby(["component_id", "position"], sort=False):
        best = part.value.max()
        leaders = part[part.value >= best - 1e-9]
        rows.append(
            {
                "component_id": cid,
                "position": pos,
                "component_vi": part.component_vi.iloc[0],
                "component_en": part.component_en.iloc[0],
                "n": len(part),
                "median": float(part.value.median()),
                "best": float(best),
                "best_vi": ", ".join(leaders.name_vi),
                "best_en": ", ".join(leaders.name_en.fillna(leaders.name_vi)),
                "value_kind": part.value_kind.iloc[0],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "component_id",
            "position",
            "component_vi",
            "component_en",
            "n",
            "median",
            "best",
            "best_vi",
            "best_en",
            "value_kind",
        ],
    )


def diff_components(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Components added, dropped or renamed between two editions' trees (ids are stable slugs).

    Returns rows: change ('added' | 'dropped' | 'renamed'), component_id, level, parent_component_id,
    name_vi, name_en (current names; previous ones for dropped), old_name_vi, old_name_en (renamed only)."""
    cols = [
        "change",
        "component_id",
        "level",
        "parent_component_id",
        "name_vi",
        "name_en",
        "old_name_vi",
        "old_name_en",
    ]
    if current is None or previous is None or current.empty or previous.empty:
        return pd.DataFrame(columns=cols)
    cur = current.set_index("component_id")
    prev = previous.set_index("component_id")
    rows = [_change("added", cid, cur.loc[cid]) for cid in cur.index.difference(prev.index, sort=False)]
    rows += [_change("dropped", cid, prev.loc[cid]) for cid in prev.index.difference(cur.index, sort=False)]
    for cid in cur.index.intersection(prev.index, sort=False):
        a, b = cur.loc[cid], prev.loc[cid]
        if (a.name_vi, a.name_en) != (b.name_vi, b.name_en):
            rows.append(_change("renamed", cid, a, old_name_vi=b.name_vi, old_name_en=b.name_en))
    out = pd.DataFrame(rows, columns=cols + ["position"])
    level_order = {"dimension": 0, "sub_dimension": 1, "criterion": 2}
    out["_lv"] = out.level.map(level_order).fillna(9)
    out["_ch"] = out.change.map({"added": 0, "dropped": 1, "renamed": 2})
    return out.sort_values(["_lv", "_ch", "position"]).drop(columns=["_lv", "_ch", "position"]).reset_index(drop=True)


def _change(change: str, cid, r, **old_names) -> dict:
    """One row of diff_components: the component as `r` (one edition's row) names it."""
    return {
        "change": change,
        "component_id": cid,
        "level": r.level,
        "parent_component_id": r.parent_component_id,
        "name_vi": r.name_vi,
        "name_en": r.name_en,
        **old_names,
        "position": r.position,
    }


def drop_children_of_added(changes: pd.DataFrame) -> pd.DataFrame:
    """Changes without the sub-components of a component that was itself added (or dropped) in the same
    diff: those are implied by the parent's change and only repeat it."""
    if changes.empty:
        return changes
    keys = ["year"] if "year" in changes else []
    whole = changes[changes.change.isin(["added", "dropped"])]
    whole_keys = set(zip(*[whole[k] for k in keys], whole.component_id)) if keys else set(whole.component_id)
    own = (
        list(zip(*[changes[k] for k in keys], changes.parent_component_id.fillna("")))
        if keys
        else changes.parent_component_id.fillna("").tolist()
    )
    return changes[[k not in whole_keys for k in own]].reset_index(drop=True)


def self_appraised(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of `component_scores` where a self-assessed or appraised score was published, with the gap."""
    part = df[df.score_self.notna() | df.score_appraised.notna()].copy()
    part["gap_self_minus_appraised"] = part.score_self - part.score_appraised
    return part
