"""Turn the grid into rows of figures, collecting every problem in one pass."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..build.indices import slug
from ..textnorm import fold, nfc
from .errors import Problem
from .numbers import NotANumber, foreign_digits, is_blank, is_gap, parse_number, parse_rank_of
from .reading import Column, Grid, Layout, _text
from .units import GROUP_KIND, SCOPE_PARENT, StoreResolver

# Indices whose published total is the sum of the component scores (PAR Index: lĩnh vực points add up to
# the total; PAPI: the total is the sum of the dimension scores, as in build.indices.build_papi).
TOTAL_IS_SUM = {"par", "par_hanoi", "par_hcmc", "papi"}
# Indices published on a 0-100 scale (percent or points out of 100).
TOTAL_MAX = {"par": 100.0, "par_hanoi": 100.0, "par_hcmc": 100.0, "sipas": 100.0, "pci": 100.0}
SCOPE_SCHEME = {"national": "national", "hanoi": "hanoi"}
# PAPI: every dimension scores 1-10, the total is their sum: 6-60 with the 6 dimensions to 2017, 8-80 with 8 since 2018.
PAPI_DIMENSION = (1.0, 10.0)
PAPI_DIMENSIONS_BY_YEAR = ((2018, 8), (0, 6))
# Characters a unit name may not hold (issue 17): control characters (C0, DEL, C1: terminal escapes) and the
# bidirectional controls that reorder text on screen (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bad_text_chars(text: str) -> list[str]:
    """The control and bidi-control characters in a text, escaped (\\x1b, \\u202e)."""

    bad = [ch for ch in text if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS]
    return [ch.encode("unicode_escape").decode("ascii") for ch in dict.fromkeys(bad)]


def papi_bounds(n_components: int, year: int | None) -> tuple[float, float]:
    """(minimum, maximum) of a PAPI total: n dimensions of 1-10 each."""
    n = n_components or next(k for since, k in PAPI_DIMENSIONS_BY_YEAR if (year or 0) >= since)
    return PAPI_DIMENSION[0] * n, PAPI_DIMENSION[1] * n


_FOOTER = (
    "tong cong",
    "trung binh",
    "binh quan",
    "ghi chu",
    "nguon",
    "average",
    "mean",
    "note",
    "source",
    "chi so trung binh",
    "diem trung binh",
    "ca nuoc",
    "toan thanh pho",
)
_SECTION = re.compile(r"^(?:[IVXLC]+|[A-Z])[\.\)]?$")


@dataclass
class ComponentDef:
    component_id: str
    label: str
    column: Column
    max_score: float | None
    position: int


@dataclass
class ParsedRow:
    row: int  # file row number
    printed_name: str
    unit_id: str | None
    total: float | None
    points: float | None
    rank: int | None
    tier: str | None
    scores: dict[str, float] = field(default_factory=dict)
    new_unit: bool = False


@dataclass
class ParsedTable:
    rows: list[ParsedRow]
    components: list[ComponentDef]
    total_column: Column | None
    total_unit: str
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def tolerance(n_components: int) -> float:
    """Each printed component is rounded to 2 decimals, so the sum may be off by 0.005 per component."""
    return round(0.01 + 0.005 * n_components, 4)


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def component_defs(
    layout: Layout, existing: list[dict], methodology: list[dict], scheme: str | None, year: int
) -> list[ComponentDef]:
    by_name: dict[str, dict] = {}
    for c in existing:
        for text in (c.get("component_id"), c.get("name_vi"), c.get("name_en")):
            if text:
                by_name.setdefault(fold(text), c)
    meth: dict[str, float] = {}
    for m in methodology:
        if (
            scheme
            and m["scheme"] == scheme
            and m["max_points"] is not None
            and (m["valid_from_year"] or 0) <= year
            and (m["valid_to_year"] is None or m["valid_to_year"] >= year)
        ):
            for text in (m["component_vi"], m["component_en"]):
                if text:
                    meth[fold(text)] = m["max_points"]
    out: list[ComponentDef] = []
    used: set[str] = set()
    for pos, col in enumerate(layout.by_role("component"), start=1):
        known = by_name.get(fold(col.label))
        cid = known["component_id"] if known else (slug(col.label) or f"c{pos}")
        base, n = cid, 2
        while cid in used:
            cid, n = f"{base}_{n}", n + 1
        used.add(cid)
        max_score = col.max_score
        if max_score is None and known:
            max_score = known.get("max_score")
        if max_score is None:
            max_score = meth.get(fold(col.label))
        out.append(ComponentDef(cid, col.label, col, max_score, pos))
    return out


def parse_rows(
    grid: Grid,
    layout: Layout,
    *,
    index_code: str,
    year: int,
    group: str,
    scope: str,
    resolver: StoreResolver,
    existing_components: list[dict],
    methodology: list[dict],
    new_units: bool,
    total_not_sum: bool = False,
    progress=None,
) -> ParsedTable:
    problems: list[Problem] = list(layout.problems)
    comps = component_defs(
        layout,
        existing_components,
        methodology,
        f"{SCOPE_SCHEME[scope]}_{group}" if scope in SCOPE_SCHEME else None,
        year,
    )
    unit_col = layout.one("unit")
    assert unit_col is not None  # find_layout only returns a layout whose header has a unit column
    total_col, points_col = layout.one("total"), layout.one("points")
    if total_col is None and points_col is not None:
        total_col, points_col = points_col, None
    elif total_col is not None and points_col is not None:
        problems.append(Problem("points_for_check", column=points_col.where(), severity="warning"))
    rank_col, tier_col, stt_col = layout.one("rank"), layout.one("tier"), layout.one("stt")
    header_row = grid.row_numbers[layout.header_rows[0]]
    for col in layout.by_role("extra"):
        problems.append(Problem("extra_column", row=header_row, column=col.where(), severity="warning"))
    kind = GROUP_KIND[group]
    parent = SCOPE_PARENT.get(scope) if kind in ("district", "department", "commune") else None
    total_max = TOTAL_MAX.get(index_code)
    total_min = 0.0
    comp_min: float | None = None
    if index_code == "papi":
        total_min, total_max = papi_bounds(len(comps), year)
        comp_min = PAPI_DIMENSION[0]
        for comp in comps:
            if comp.max_score is None or comp.max_score > PAPI_DIMENSION[1]:
                comp.max_score = PAPI_DIMENSION[1]
    ranks_of: dict[int, tuple[int, int | None, object]] = {}  # file row -> (rank, out of, printed)
    headed = {c.index for c in layout.columns if c.role != "blank"}

    rows: list[ParsedRow] = []
    pending_empty: list[int] = []
    seen_units: dict[str, int] = {}
    percent_seen = False
    footer = False
    data = list(zip(grid.row_numbers[layout.data_start :], grid.rows[layout.data_start :]))
    iterator = progress(data) if progress else data

    def flag(code: str, col: Column | None, value: object = None, severity: str = "error", **params) -> None:
        """A problem on the row being read (rownum), in column col."""
        problems.append(Problem(code, row=rownum, column=_where(col), value=value, params=params, severity=severity))

    for rownum, cells in iterator:
        cells = list(cells) + [None] * (len(layout.columns) - len(cells))
        if all(is_blank(c) for c in cells):
            pending_empty.append(rownum)
            continue
        name = _text(cells[unit_col.index]) if unit_col else ""
        stt = _text(cells[stt_col.index]) if stt_col else ""
        first_text = name or stt or next((_text(c) for c in cells if not is_blank(c)), "")
        figure_cols = [c for c in layout.columns if c.role in ("total", "points", "rank", "component")]
        has_figures = any(not is_blank(cells[c.index]) for c in figure_cols)
        if fold(first_text).startswith(_FOOTER) and not (name and not fold(name).startswith(_FOOTER)):
            flag("footer_ignored", None, first_text, severity="warning")
            footer = True
            continue
        if footer and not has_figures:
            flag("footer_ignored", None, first_text, severity="warning")
            continue
        for r in pending_empty:
            problems.append(Problem("empty_row", row=r))
        pending_empty = []
        footer = False
        # Cells outside the headed columns.
        for j, c in enumerate(cells):
            if j not in headed and not is_blank(c):
                problems.append(Problem("extra_cells", row=rownum, column=grid.col_name(j), value=c))
        # Shifted rows: a number where the name should be, or a name where a number should be.
        if name and _looks_numeric(name):
            flag(
                "shifted_row",
                unit_col,
                name,
                reason_vi="cột tên đơn vị chứa một số",
                reason_en="the unit-name column holds a number",
            )
            continue
        if stt and not name and not _looks_numeric(stt) and not _SECTION.match(stt):
            flag(
                "shifted_row",
                stt_col,
                stt,
                reason_vi="cột STT chứa chữ, cột tên đơn vị trống",
                reason_en="the row-number column holds text and the unit name is empty",
            )
            continue
        if not name:
            flag("no_unit_name", unit_col)
            continue
        if not has_figures:
            section = (
                _SECTION.match(stt)
                or re.match(r"^(?:[IVXLC]+|[A-Z])[\.\)]\s", name)
                or fold(name).startswith(("khoi ", "nhom "))
            )
            flag("section_row" if section else "no_figures", unit_col, name)
            continue

        bad = bad_text_chars(name)
        if bad:
            flag("bad_name_chars", unit_col, name, chars=" ".join(bad))
            continue
        pr = ParsedRow(row=rownum, printed_name=nfc(name), unit_id=None, total=None, points=None, rank=None, tier=None)

        # Figures.
        def number(col: Column, maximum: float | None, minimum: float | None = 0.0) -> float | None:
            nonlocal percent_seen
            raw = cells[col.index]
            try:
                value, pct = parse_number(raw)
            except NotANumber:
                flag("foreign_digits" if foreign_digits(raw) else "not_number", col, raw)
                return None
            percent_seen = percent_seen or pct
            if value is not None:
                if value < 0:
                    flag("negative", col, raw)
                elif minimum and value < minimum - 1e-9:
                    flag("below_min", col, raw, min=_fmt(minimum))
                elif maximum is not None and value > maximum + 1e-9:
                    flag("above_max", col, raw, max=_fmt(maximum))
            return value

        if total_col:
            pr.total = number(total_col, total_max, total_min)
        if points_col:
            pr.points = number(points_col, total_max, total_min)
        for comp in comps:
            v = number(comp.column, comp.max_score, comp_min)
            if v is not None:
                pr.scores[comp.component_id] = v
        if rank_col:
            raw = cells[rank_col.index]
            try:
                pr.rank, of = parse_rank_of(raw)
                if pr.rank is not None:
                    ranks_of[rownum] = (pr.rank, of, raw)
            except NotANumber:
                flag("foreign_digits" if foreign_digits(raw) else "not_rank", rank_col, raw)
        if tier_col and not is_blank(cells[tier_col.index]) and not is_gap(cells[tier_col.index]):
            pr.tier = _text(cells[tier_col.index])
            bad = bad_text_chars(pr.tier)
            if bad:
                flag("bad_name_chars", tier_col, pr.tier, chars=" ".join(bad))
        # Components against the total.
        if comps and index_code in TOTAL_IS_SUM and not total_not_sum and len(pr.scores) == len(comps):
            target_col, target = (
                (points_col, pr.points) if points_col and pr.points is not None else (total_col, pr.total)
            )
            if target is not None and target_col is not None:
                s = sum(pr.scores.values())
                maxima = [c.max_score for c in comps]
                known_max = [m for m in maxima if m is not None]
                if (
                    target_col is not points_col
                    and target_col.role == "total"
                    and all(m is not None for m in maxima)
                    and abs(sum(known_max) - 100) > 1e-9
                ):
                    s = s / sum(known_max) * 100
                tol = tolerance(len(comps))
                if abs(s - target) > tol:
                    flag(
                        "sum_mismatch",
                        target_col,
                        cells[target_col.index],
                        sum=f"{s:.4g}",
                        total=_fmt(target),
                        tol=f"{tol:g}",
                    )
        # The unit.
        found = resolver.candidates(name, kind, year=year, parent=parent)
        if len(found) == 1:
            pr.unit_id = found[0]
        elif len(found) > 1:
            candidates = ", ".join(f"{resolver.units[u]['name_vi']} ({u})" for u in found)
            flag("ambiguous_unit", unit_col, name, candidates=candidates)
        elif new_units:
            pr.new_unit = True
            pr.unit_id = new_unit_id(kind, name, parent)
            flag("new_unit", unit_col, name, severity="warning", unit_id=pr.unit_id)
        else:
            closest = resolver.suggestions(name, kind, parent=parent) or resolver.suggestions(name, kind)
            flag("unknown_unit", unit_col, name, kind=kind, closest="; ".join(closest) or "–")
        if pr.unit_id:
            if pr.unit_id in seen_units:
                flag("duplicate_unit", unit_col, name, first_row=seen_units[pr.unit_id], unit_id=pr.unit_id)
            else:
                seen_units[pr.unit_id] = rownum
        rows.append(pr)

    if not rows and not any(p.severity == "error" for p in problems):
        problems.append(Problem("no_rows", row=header_row))
    problems.extend(rank_contradictions(rows, total_col))
    problems.extend(impossible_ranks(ranks_of, len(rows), rank_col))
    unit = (
        "percent"
        if (total_col is not None and (total_col.role == "total" or total_col.percent)) or percent_seen
        else "points"
    )
    return ParsedTable(rows, comps, total_col, unit, problems)


def _where(col: Column | None) -> str | None:
    return col.where() if col is not None else None


def rank_contradictions(rows: list[ParsedRow], total_col: Column | None) -> list[Problem]:
    """A better printed rank must not have a lower total; equal ranks must have equal totals (to 0.005)."""
    ranked = sorted(
        ((r.rank, r.total, r) for r in rows if r.rank is not None and r.total is not None),
        key=lambda x: (x[0], x[2].row),
    )
    out = []
    for (rank_a, total_a, a), (rank_b, total_b, b) in zip(ranked, ranked[1:]):
        bad = (rank_a < rank_b and total_b > total_a + 1e-9) or (rank_a == rank_b and abs(total_a - total_b) >= 0.005)
        if bad:
            out.append(
                Problem(
                    "rank_contradiction",
                    row=b.row,
                    column=total_col.where() if total_col else None,
                    value=_fmt(b.total),
                    params={
                        "rank": b.rank,
                        "total": _fmt(b.total),
                        "other_row": a.row,
                        "other_rank": a.rank,
                        "other_total": _fmt(a.total),
                    },
                )
            )
    return out


def impossible_ranks(
    ranks_of: dict[int, tuple[int, int | None, object]], n_units: int, rank_col: Column | None
) -> list[Problem]:
    """A rank above the number of units ranked: above the units in the table, unless it prints 'rank/out of' with
    an 'out of' of at least the table's units ('59/63' in an excerpt of 5 of 63 provinces)."""
    out = []
    for rownum, (rank, of, raw) in ranks_of.items():
        limit = of if of is not None else n_units
        if rank > limit or (of is not None and of < n_units):
            out.append(
                Problem(
                    "rank_impossible",
                    row=rownum,
                    column=rank_col.where() if rank_col else None,
                    value=raw,
                    params={"rank": rank, "units": n_units, "of": of if of is not None else "–"},
                )
            )
    return out


def _looks_numeric(text: str) -> bool:
    try:
        return parse_number(text)[0] is not None
    except NotANumber:
        return False


def new_unit_id(kind: str, name: str, parent: str | None) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40] or "unit"
    prefix = {"department": "dept", "district": "dist", "province": "prov", "ministry": "min"}.get(kind, kind)
    return f"imp-{(parent + '-') if parent else ''}{prefix}-{base}"
