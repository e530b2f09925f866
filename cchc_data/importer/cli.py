"""python -m cchc_data import FILE ... | versions | rollback [VERSION]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import EXIT_PROBLEMS, ImportFailed, Problem, format_problem

PROGRESS_MIN_ROWS = 200


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import a published results table (CSV/XLSX/XLS) into the store",
        description="Import one edition and one unit group from a CSV, XLSX or XLS table. "
        "See docs/importer.md for the accepted layouts.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--index", dest="index_code", help="index code: par, par_hanoi, par_hcmc, papi, pci, sipas")
    p.add_argument("--year", type=int, help="the year the index measures (e.g. 2022)")
    p.add_argument("--group", help="unit group: provinces, ministries, departments, districts")
    p.add_argument("--scope", help="national, hanoi or hcmc (follows from --index; given only as a check)")
    p.add_argument("--source", help='"decision no., date, URL", e.g. "1752/QĐ-UBND, 29/4/2020, https://..."')
    p.add_argument("--source-title", help="title of the source (default: 'Quyết định <no.>' or the URL's site)")
    p.add_argument("--sheet", help="XLSX/XLS sheet name (default: the first sheet); for a PDF, its pages (3-5)")
    p.add_argument(
        "--complete", action="store_true", help="the table is the complete ranking of this group (default: partial)"
    )
    p.add_argument(
        "--total-not-sum",
        action="store_true",
        help="the component columns are not meant to add up to the total (skip that check)",
    )
    p.add_argument("--new-units", action="store_true", help="create units for names that match no known unit")
    p.add_argument(
        "--new-unit-confirm",
        metavar="ROW",
        type=_rows,
        action="extend",
        default=[],
        help="with --new-units: create the unit on file row ROW although its name nearly matches a known "
        "unit (repeat or comma-separate for several rows)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.set_defaults(func=run_import)

    v = sub.add_parser("versions", help="list the store's kept versions")
    v.set_defaults(func=run_versions)

    r = sub.add_parser("rollback", help="make an earlier store version current (default: the previous one)")
    r.add_argument("version", nargs="?")
    r.set_defaults(func=run_rollback)


def _rows(text: str) -> list[int]:
    try:
        return [int(x) for x in text.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"row numbers, e.g. 7 or 7,9: {text!r}") from None


def _row_options(args, meta) -> dict:
    """What the row checks need. With wrong metadata the rows are still checked (issue 15: errors in the options
    and in the rows are reported together) with the options that are valid; a check that needs a missing one is
    left out (unit names need --group, component maxima need --index, --year and --group)."""
    # imported on use: registering the subcommands (every `python -m cchc_data` run) loads no pyarrow
    from .apply import GROUPS, INDEX_SCOPE, edition_id_for

    if meta:
        return {
            "index_code": meta.index_code,
            "year": meta.year,
            "group": meta.group,
            "scope": meta.scope,
            "edition_id": meta.edition_id,
        }
    index_code = args.index_code if args.index_code in INDEX_SCOPE else None
    year = args.year if args.year is not None and 1990 <= args.year <= 2100 else None
    group = args.group if args.group in GROUPS else None
    scope = INDEX_SCOPE.get(index_code or "") or (args.scope if args.scope in SCOPES else None)
    eid = edition_id_for(index_code, year, scope) if index_code and year and scope else None
    return {"index_code": index_code, "year": year, "group": group, "scope": scope, "edition_id": eid}


SCOPES = ("national", "hanoi", "hcmc")


def _reuse_source(tables, source: dict, meta) -> dict:
    """A source whose URL the store already holds is that row (issue 15), not a second, untitled one: its id and
    fields are kept and its empty fields filled from --source.

    The row's note records whether the groups citing it were imported as complete tables (COMPLETE_MARK). When
    --complete (or its absence) disagrees with the mark, the mark follows this import if no other group cites the
    row; if another group does, this import gets a row of its own with the same title and document, so that the
    other group's completeness does not change."""
    # imported on use: registering the subcommands (every `python -m cchc_data` run) loads no pyarrow
    from .apply import COMPLETE_MARK

    url = (source.get("url") or "").strip().rstrip("/")
    if not url:
        return source
    for row in tables["sources"].to_pylist():
        if (row.get("url") or "").strip().rstrip("/") != url:
            continue
        merged = dict(row)
        for key in ("title", "publisher", "document_no", "published_on"):
            if not merged.get(key):
                merged[key] = source.get(key)
        note = merged.get("note") or ""
        if note.startswith(COMPLETE_MARK) == meta.complete:
            return merged
        shared = any(
            r["source_id"] == row["source_id"] and (r["edition_id"], r["unit_group"]) != (meta.edition_id, meta.group)
            for r in tables["results"].to_pylist()
        )
        if shared:
            return {**merged, "source_id": source["source_id"], "note": source["note"]}
        merged["note"] = (COMPLETE_MARK + " " + note) if meta.complete else note[len(COMPLETE_MARK) :].lstrip()
        return merged
    return source


def _print_problems(problems: list[Problem], label: str, stream=None) -> None:
    stream = stream or sys.stderr
    for p in sorted(problems, key=lambda p: (p.severity != "error", p.row or 0)):
        print(format_problem(p, label), file=stream)


def run_import(args) -> int:
    # The subcommands share one parser (registered on every `python -m cchc_data` start): each loads what it needs
    # (pyarrow, openpyxl, pdfplumber, rapidfuzz) when it runs, so `--help`, `versions` and `build` do not pay for it.
    from .. import store
    from .apply import check_meta, commit, merge, source_row
    from .reading import find_layout, read_grid
    from .units import GROUP_KIND, SCOPE_PARENT, NameOnlyResolver, resolver_from_tables, review_names
    from .validate import parse_rows

    label = str(args.file)
    problems: list[Problem] = []
    meta, meta_problems = check_meta(args.index_code, args.year, args.group, args.scope, args.source, args.new_units)
    meta_new_units = args.new_units
    if meta:
        meta.complete = args.complete
    problems.extend(meta_problems)
    grid = layout = None
    try:
        grid = read_grid(args.file, args.sheet)
        layout = find_layout(grid)
        if grid.sheet:
            label = f"{args.file} [{grid.sheet}]"
    except ImportFailed as exc:
        problems.extend(exc.problems)
    parsed = None
    opts = _row_options(args, meta)
    if grid and layout:
        seen_version, tables = store.read_current()  # one consistent pair (issue 17: lost update)
        resolver = resolver_from_tables(tables)
        eid = opts["edition_id"]
        existing = [
            c for c in tables["components"].to_pylist() if c["edition_id"] == eid and c["unit_group"] == opts["group"]
        ]
        progress = None
        n_rows = len(grid.rows) - layout.data_start
        if n_rows >= PROGRESS_MIN_ROWS:
            from tqdm import tqdm  # only for tables long enough to show progress

            def progress(it):
                return tqdm(it, total=n_rows, desc="rows / dòng", unit="row", file=sys.stderr, leave=True)

        group = opts["group"] or "provinces"  # no valid --group: names are only checked for duplicates
        parsed = parse_rows(
            grid,
            layout,
            index_code=opts["index_code"],
            year=opts["year"],
            group=group,
            scope=opts["scope"],
            resolver=resolver if opts["group"] else NameOnlyResolver(),
            existing_components=existing,
            methodology=tables["methodology"].to_pylist() if opts["group"] and opts["year"] else [],
            new_units=meta_new_units,
            total_not_sum=args.total_not_sum,
            progress=progress,
        )
        if opts["group"]:
            kind = GROUP_KIND[opts["group"]]
            parent = SCOPE_PARENT.get(opts["scope"]) if kind in ("district", "department", "commune") else None
            review_names(parsed, resolver, kind, parent, set(args.new_unit_confirm))
        problems.extend(parsed.problems)
    errors = [p for p in problems if p.severity == "error"]
    _print_problems(problems, label)
    if errors:
        print(
            f"\n{len(errors)} lỗi, không ghi gì vào kho dữ liệu. / {len(errors)} error(s); nothing was written to the store.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    assert meta is not None and parsed is not None  # no errors: the options were valid and the rows were read

    source = _reuse_source(tables, source_row(meta, args.source_title, args.file.name), meta)
    new_tables, diff = merge(tables, parsed, meta, source, args.file.name)
    names = {u["unit_id"]: u["name_vi"] for u in new_tables["units"].to_pylist()}
    if args.dry_run:
        print_changes(diff, names)
        print_summary(parsed, diff, meta, names, written=None)
        print("\nChạy thử (--dry-run): không ghi gì. / Dry run: nothing was written.")
        return 0
    message = f"import {args.file.name}: {meta.edition_id} {meta.group} ({len(parsed.rows)} units), source {source['source_id']}"
    try:
        version, removed = commit(new_tables, message, seen_version)
    except ImportFailed as exc:
        _print_problems(exc.problems, label)
        return EXIT_PROBLEMS
    print_summary(parsed, diff, meta, names, written=version)
    for v in removed:
        print(
            f"  đã xóa phiên bản chưa hoàn tất / deleted incomplete version {v} (một lần nhập trước bị dừng "
            f"trước khi xong, chưa từng được dùng / left by an earlier import that was stopped before it "
            f"finished; it was never made current)"
        )
    return 0


def _val(x) -> str:
    return "–" if x is None else (f"{x:g}" if isinstance(x, float) else str(x))


def print_changes(diff, names: dict[str, str], limit: int | None = None) -> None:
    def unit(u):
        return f"{names.get(u, u)} ({u})"

    lines = (
        [f"  + {unit(u)} {f} = {_val(v)}" for u, f, v in diff.added]
        + [f"  ~ {unit(u)} {f}: {_val(a)} → {_val(b)}" for u, f, a, b in diff.changed]
        + [f"  - {unit(u)} {f} = {_val(v)} (bỏ / removed)" for u, f, v in diff.removed]
    )
    print("Thay đổi so với kho hiện tại / Changes against the current store:")
    for line in lines[:limit] if limit else lines:
        print(line)
    if limit and len(lines) > limit:
        print(f"  … {len(lines) - limit} more")
    if not lines:
        print("  (không có / none)")


def print_summary(parsed, diff, meta, names: dict[str, str], written: str | None) -> None:
    n_new_units = len(diff.new_units)
    print(
        f"\nTóm tắt / Summary — {meta.edition_id}, {meta.group}"
        f" ({'kỳ mới / new edition' if diff.edition_new else 'kỳ đã có / existing edition'}, {diff.completeness})"
    )
    print(
        f"  đơn vị / units: {len(parsed.rows)} (thêm vào nhóm / added to the group {len(diff.units_added)}, "
        f"bỏ khỏi nhóm / dropped from the group {len(diff.units_removed)}, đơn vị mới tạo / newly created {n_new_units})"
    )
    print(
        f"  thành phần / components: {len(parsed.components)}"
        + (f" ({', '.join(c.label for c in parsed.components)})" if parsed.components else "")
    )
    print(
        f"  số liệu mới / new figures: {len(diff.added)}; thay đổi / changed: {len(diff.changed)}; "
        f"bỏ / removed: {len(diff.removed)}; giữ nguyên / unchanged: {diff.unchanged}"
    )
    prev = diff.previous
    if prev and prev["common"]:
        rise_u, rise = prev["largest_rise"]
        fall_u, fall = prev["largest_fall"]
        print(
            f"  so với kỳ trước / vs previous edition {prev['edition_id']}: {prev['common']} đơn vị chung / units in both; "
            f"tăng / up {prev['up']}, giảm / down {prev['down']}, trung bình / mean {prev['mean_change']:+.2f}"
            + (f"; tăng nhiều nhất / largest rise {names.get(rise_u, rise_u)} {rise:+.2f}" if rise > 0 else "")
            + (f"; giảm nhiều nhất / largest fall {names.get(fall_u, fall_u)} {fall:+.2f}" if fall < 0 else "")
        )
    elif prev:
        print(f"  so với kỳ trước / vs previous edition {prev['edition_id']}: không có đơn vị chung / no units in both")
    else:
        print("  so với kỳ trước / vs previous edition: không có / none")
    if written:
        print(f"  đã ghi phiên bản / written as version {written} (quay lại / undo: python -m cchc_data rollback)")


INCOMPLETE_NOTE = (
    "chưa hoàn tất: chưa từng được dùng (lần nhập bị dừng trước khi xong; không quay về được; lần "
    "nhập sau sẽ xóa) / incomplete: never made current (its import was stopped before it finished; "
    "cannot be rolled back to; the next import deletes it)"
)


def run_versions(args) -> int:
    from .. import store  # pyarrow: loaded when a store command runs (see run_import)

    cur = store.current_version()
    states = store.version_states()
    if not states:
        print(
            "Chưa có phiên bản nào; ứng dụng đọc dữ liệu đi kèm. / No store versions; the app reads the shipped data."
        )
        return 0
    root = Path(store.store_dir()) / "versions"
    for v, state in states.items():
        try:
            m = store.read_manifest(root / v)
        except (OSError, ValueError):
            m = {}
        if state == "incomplete":
            print(f"! {v}  {INCOMPLETE_NOTE}  [{m.get('message', '')}]")
            continue
        mark = "*" if state == "current" else " "
        print(f"{mark} {v}  parent={m.get('parent') or '-'}  {m.get('message', '')}")
    if cur is None:
        print("(không phiên bản nào đang dùng: dữ liệu đi kèm / no version active: the shipped data)")
    print(
        "(* = đang dùng / current"
        + (", ! = chưa hoàn tất / incomplete" if "incomplete" in states.values() else "")
        + ")"
    )
    return 0


def run_rollback(args) -> int:
    from .. import store  # pyarrow: loaded when a store command runs (see run_import)

    try:
        to = store.rollback(args.version)
    except ValueError as exc:
        print(
            format_problem(
                Problem("rollback_failed", value=args.version, params={"detail": str(exc)}), str(store.store_dir())
            ),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(f"Phiên bản hiện tại / current version: {to or 'dữ liệu đi kèm / shipped data'}")
    return 0
