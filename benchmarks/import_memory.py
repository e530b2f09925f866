"""Importer rounds of the benchmark (issue 17): peak memory of hostile and large files, and the staggered race.

    python -m benchmarks.import_memory                 # memory rounds (3 each) + 100 staggered import pairs
    python -m benchmarks.import_memory --race-tries 0  # memory only

Memory: each file is imported with `python -m cchc_data import ... --dry-run` in its own process (a fresh, empty
store: the shipped data) and its peak RSS read from the kernel (wait4 ru_maxrss); medians of --rounds runs. The
target: any file under 50 MB within 500 MB. Race: two real import processes, the second started 0-1 s after the
first, --race-tries times; every import either commits and its edition is in the final version, or refuses with
exit 2 ("the store changed while this import ran"); a lost version is one that exited 0 but is missing.
All files are SYNTHETIC (generated here, in a temporary directory); unit names are real Hà Nội departments.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Y tế", "Sở Xây dựng"]
HEADER = ["STT", "Tên đơn vị", "LV1 (50)", "LV2 (50)", "Tổng điểm", "Xếp hạng"]
SOURCE = "9/QĐ-SYNTH, 1/1/2020, https://synthetic.invalid/"
TARGET_MB = 500.0
STORE_CHANGED = "the store changed while this import ran"


def _rows() -> list[list]:
    rows = [["BẢNG THỬ NGHIỆM – SYNTHETIC"], HEADER]
    for i, name in enumerate(UNITS):
        a, b = 45 - 3 * i, 44 - 2 * i
        rows.append([i + 1, name, f"{a},5", str(b), f"{a + b},5", i + 1])
    return rows


def _xlsx(path: Path, rows: list[list], far: str | None = None) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    if far:
        wb.active[far] = "x"
    wb.save(path)


def _csv(path: Path, target_bytes: int) -> None:
    """A valid table, then SYNTHETIC rows of figures until the file has target_bytes."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerows(_rows())
        rng = random.Random(1)
        i = 0
        while fh.tell() < target_bytes:
            w.writerows(
                [
                    [
                        i + k,
                        f"Đơn vị tổng hợp {i + k}",
                        f"{rng.uniform(0, 50):.2f}",
                        f"{rng.uniform(0, 50):.2f}",
                        f"{rng.uniform(0, 100):.2f}",
                        i + k,
                    ]
                    for k in range(1000)
                ]
            )
            i += 1000


_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _big_xlsx(path: Path, target_bytes: int) -> None:
    """A large XLSX written part by part (streamed): the valid table, then SYNTHETIC rows until the compressed file
    has about target_bytes."""

    def cell(ref: str, v) -> str:
        if isinstance(v, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
        return f'<c r="{ref}"><v>{v}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            r = 0
            for row in _rows():
                r += 1
                fh.write(
                    f'<row r="{r}">{"".join(cell(f"{chr(65 + j)}{r}", v) for j, v in enumerate(row))}</row>'.encode()
                )
            rng = random.Random(2)
            while True:
                chunk = []
                for _ in range(2000):
                    r += 1
                    vals = [
                        r,
                        f"Đơn vị tổng hợp {r}",
                        round(rng.uniform(0, 50), 4),
                        round(rng.uniform(0, 50), 4),
                        round(rng.uniform(0, 100), 4),
                        r,
                    ]
                    chunk.append(
                        f'<row r="{r}">{"".join(cell(f"{chr(65 + j)}{r}", v) for j, v in enumerate(vals))}</row>'
                    )
                fh.write("".join(chunk).encode())
                if zf.fp.tell() >= target_bytes:
                    break
            fh.write(b"</sheetData></worksheet>")


def make_files(d: Path) -> dict[str, Path]:
    files = {}
    files["valid table (CSV, 0.3 KB)"] = d / "valid.csv"
    with open(files["valid table (CSV, 0.3 KB)"], "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(_rows())
    files["XLSX, one cell at XFD1048576"] = d / "far_xfd.xlsx"
    _xlsx(files["XLSX, one cell at XFD1048576"], _rows(), "XFD1048576")
    files["XLSX, one cell at H1000000"] = d / "far_h.xlsx"
    _xlsx(files["XLSX, one cell at H1000000"], _rows(), "H1000000")
    files["CSV, 49 MB"] = d / "big49.csv"
    _csv(files["CSV, 49 MB"], 49_000_000)
    files["CSV, 55 MB"] = d / "big55.csv"
    _csv(files["CSV, 55 MB"], 55_000_000)
    files["XLSX, 49 MB (streamed sheet)"] = d / "big49.xlsx"
    _big_xlsx(files["XLSX, 49 MB (streamed sheet)"], 48_500_000)
    return files


def _env(store: Path) -> dict:
    env = {**os.environ, "CCHC_STORE_DIR": str(store), "PYTHONWARNINGS": "ignore"}
    env.pop("CCHC_DATA_DIR", None)
    env.pop("CCHC_IMPORT_TEST_PAUSE", None)
    return env


def _import_args(path: Path, year: int = 2019, dry_run: bool = True, source: str = SOURCE) -> list[str]:
    return [
        sys.executable,
        "-m",
        "cchc_data",
        "import",
        str(path),
        "--index",
        "par_hanoi",
        "--year",
        str(year),
        "--group",
        "departments",
        "--source",
        source,
    ] + (["--dry-run"] if dry_run else [])


def measure_one(path: Path, store: Path) -> tuple[float, float, int, str]:
    """(peak RSS MB, seconds, exit code, first message line) of one import process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        _import_args(path), cwd=ROOT, env=_env(store), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    err = proc.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    first = next(
        (ln for ln in err.splitlines() if ln.startswith("  en: ")), err.strip().splitlines()[-1] if err.strip() else ""
    )
    return usage.ru_maxrss / 1024, seconds, proc.returncode, first.strip()[:110]


def memory_rounds(rounds: int) -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory(prefix="cchc-import-mem-") as tmp:
        d = Path(tmp)
        files = make_files(d)
        for label, path in files.items():
            runs = [measure_one(path, d / f"store-{label[:3]}") for _ in range(rounds)]
            out.append(
                {
                    "file": label,
                    "bytes": path.stat().st_size,
                    "rss_mb_median": statistics.median(r[0] for r in runs),
                    "seconds_median": statistics.median(r[1] for r in runs),
                    "exit": sorted({r[2] for r in runs}),
                    "message": runs[-1][3],
                }
            )
            print(
                f"[import-memory] {label}: {out[-1]['rss_mb_median']:.0f} MB, {out[-1]['seconds_median']:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    return out


def source_urls_in_use(store: Path) -> set[str]:
    """The source URLs of the results in the store's current version: an import is in it iff its URL is."""
    sys.path.insert(0, str(ROOT))
    from cchc_data import store as store_mod

    _v, tables = store_mod.read_current(store)
    used = set(tables["results"]["source_id"].to_pylist())
    return {s["url"] for s in tables["sources"].to_pylist() if s["source_id"] in used and s["url"]}


def _start_import(path: Path, year: int, source: str, env: dict) -> subprocess.Popen:
    """One real (committing) import in its own process; its stderr kept as text for the refusal message."""
    return subprocess.Popen(
        _import_args(path, year, False, source),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def race(tries: int, seed: int = 17) -> dict:
    """Two real imports staggered 0-1 s, `tries` times, on one store."""
    with tempfile.TemporaryDirectory(prefix="cchc-import-race-") as tmp:
        d = Path(tmp)
        path = d / "t.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(_rows())
        store = d / "store"
        env = _env(store)
        subprocess.run(_import_args(path, 2019, dry_run=False), cwd=ROOT, env=env, check=True, capture_output=True)
        rng = random.Random(seed)
        committed = refused = lost = other = 0
        t0 = time.perf_counter()
        for i in range(tries):
            # each import has its own source URL (the years repeat): an import is in the store iff its URL is
            y1, y2 = 1995 + (2 * i) % 30, 1996 + (2 * i) % 30
            u1, u2 = (f"9/QĐ-SYNTH, https://synthetic.invalid/race/{i}/{y}" for y in (y1, y2))
            a = _start_import(path, y1, u1, env)
            time.sleep(rng.uniform(0, 1))
            b = _start_import(path, y2, u2, env)
            done = {u1: (a.wait(), a.stderr.read()), u2: (b.wait(), b.stderr.read())}
            final = source_urls_in_use(store)
            for src, (code, err) in done.items():
                if code == 0:
                    committed += 1
                    lost += src.split(", ", 1)[1] not in final
                elif code == 2 and STORE_CHANGED in err:
                    refused += 1
                else:
                    other += 1
        lines = [ln.split("\t") for ln in (store / "HISTORY").read_text().splitlines() if ln.strip()]
    return {
        "tries": tries,
        "imports": 2 * tries,
        "committed": committed,
        "refused_store_changed": refused,
        "lost_versions": lost,
        "other_failures": other,
        "history_lines": len(lines),
        "seconds": time.perf_counter() - t0,
    }


def report(mem: list[dict], rc: dict | None) -> str:
    lines = [
        f"Importer memory (peak RSS of `python -m cchc_data import ... --dry-run`, medians; target: any file "
        f"< 50 MB within {TARGET_MB:.0f} MB):"
    ]
    for m in mem:
        ok = "" if m["bytes"] >= 50_000_000 else ("ok" if m["rss_mb_median"] <= TARGET_MB else "MISSED")
        lines.append(
            f"  {m['file']:<32} {m['bytes'] / 1e6:>7.2f} MB file  {m['rss_mb_median']:>6.0f} MB RSS  "
            f"{m['seconds_median']:>6.1f} s  exit {','.join(map(str, m['exit']))}  {ok}"
        )
        if m["message"]:
            lines.append(f"      {m['message']}")
    if rc:
        lines.append(
            f"Staggered imports (2 processes, 0-1 s apart, {rc['tries']} tries, {rc['seconds']:.0f} s): "
            f"{rc['committed']} committed, {rc['refused_store_changed']} refused (store changed), "
            f"{rc['other_failures']} other failures, {rc['lost_versions']} lost versions "
            f"{'ok' if rc['lost_versions'] == 0 and rc['other_failures'] == 0 else 'MISSED'}"
        )
    return "\n".join(lines)


def run(rounds: int = 3, race_tries: int = 100) -> dict:
    mem = memory_rounds(rounds) if rounds else []
    rc = race(race_tries) if race_tries else None
    return {"memory": mem, "race": rc, "text": report(mem, rc)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="runs per file (median); 0 skips the memory rounds")
    ap.add_argument("--race-tries", type=int, default=100, help="staggered import pairs; 0 skips the race")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    result = run(args.rounds, args.race_tries)
    print(result["text"])
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in result.items() if k != "text"}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
