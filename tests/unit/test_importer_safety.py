"""The importer never damages the store: fuzzed malformed inputs (hypothesis) fail with exit 2, a clear
bilingual message and a byte-identical store; SIGKILL at any moment leaves the old or the new version.

All figures here are SYNTHETIC (generated in the test); unit names are real Hà Nội departments.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_data.__main__ import main
from cchc_data.importer.numbers import NotANumber, is_gap, parse_number
from cchc_data.paths import PROJECT_ROOT

from .test_importer import store_hash

HEADER = ["STT", "Tên đơn vị", "LV1 (50)", "LV2 (50)", "Tổng điểm", "Xếp hạng"]
UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Y tế", "Sở Xây dựng"]


def base_rows() -> list[list]:
    """A valid SYNTHETIC table: components add up to the total, ranks follow the totals."""
    rows = [["BẢNG THỬ NGHIỆM – SYNTHETIC"], HEADER]
    for i, name in enumerate(UNITS):
        a, b = 45 - 3 * i, 44 - 2 * i
        rows.append([i + 1, name, f"{a},5", str(b), f"{a + b},5", i + 1])
    return rows


ARGS = [
    "--index",
    "par_hanoi",
    "--year",
    "2019",
    "--group",
    "departments",
    "--source",
    "9/QĐ-SYNTH, 1/1/2020, https://synthetic.invalid/",
]
TCVN3_NAMES = {
    "Sở Nội vụ": "Së Néi vô",
    "Sở Tài chính": "Së Tµi chÝnh",
    "Sở Tư pháp": "Së T\u00ad ph¸p",
    "Sở Y tế": "Së Y tÕ",
    "Sở Xây dựng": "Së X©y dùng",
}
DATA = range(2, 2 + len(UNITS))  # indices of the data rows in base_rows()
FIGURES = (2, 3, 4, 5)  # figure columns


def not_a_number(text: str) -> bool:
    if not text.strip() or is_gap(text):
        return False
    try:
        parse_number(text)
        return False
    except NotANumber:
        return True


printable = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
junk_text = st.text(printable, min_size=1, max_size=12).filter(not_a_number)


@st.composite
def mutation(draw):
    kind = draw(
        st.sampled_from(
            [
                "text_in_figure",
                "above_max",
                "negative",
                "unknown_unit",
                "empty_row",
                "duplicate",
                "shift",
                "no_header",
                "sum",
                "legacy",
                "no_name",
                "rank",
                "stray",
            ]
        )
    )
    r = draw(st.sampled_from(list(DATA)))
    return kind, r, draw(junk_text), draw(st.integers(1, 1000)) / 10


def apply(rows: list[list], mut) -> None:
    kind, r, text, x = mut
    if kind == "text_in_figure":
        rows[r][2 + int(x) % 4] = text
    elif kind == "above_max":
        rows[r][2] = 50 + x
    elif kind == "negative":
        rows[r][3] = -x
    elif kind == "unknown_unit":
        rows[r][1] = "ZZ Không tồn tại " + text
    elif kind == "empty_row":
        rows.insert(min(r, DATA[-1]), [])
    elif kind == "duplicate":
        rows.insert(r + 1, list(rows[r]))
    elif kind == "shift":
        rows[r] = [None] + rows[r]
    elif kind == "no_header":
        rows[1] = ["Cột A", "Cột B", "Cột C", "Cột D", "Cột E", "Cột F"]
    elif kind == "sum":
        rows[r][4] = f"{float(str(rows[r][4]).replace(',', '.')) + x:.2f}"
    elif kind == "legacy":
        # The unit names as typed in the TCVN3 (.VnTime) font; headers stay Unicode (a mixed workbook).
        for row in rows[2:]:
            if len(row) > 1 and row[1] in TCVN3_NAMES:
                row[1] = TCVN3_NAMES[row[1]]
    elif kind == "no_name":
        rows[r][1] = None
    elif kind == "rank":
        rows[r][5], rows[DATA[-1]][5] = rows[DATA[-1]][5], rows[r][5]
        if r == DATA[-1]:
            rows[r][5] = 1
    elif kind == "stray":
        rows[r] = rows[r] + [None, text]


def write(path: Path, rows: list[list], fmt: str) -> None:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(path)
        return
    buf = io.StringIO()
    csv.writer(buf, delimiter=";" if fmt == "csv;" else ",").writerows(rows)
    enc = {"csv": "utf-8", "csv;": "utf-8-sig"}.get(fmt, "utf-16")
    path.write_bytes(buf.getvalue().encode(enc))


_POPULATED: dict[str, Path] = {}


def _populated_template(tmp_path_factory) -> Path:
    """The store of one valid synthetic import, made once per test process by the real CLI (about 0.4 s each)."""
    if "store" not in _POPULATED:
        root = tmp_path_factory.mktemp("populated-store")
        write(root / "valid.csv", base_rows(), "csv")
        with pytest.MonkeyPatch.context() as mp:
            mp.delenv("CCHC_DATA_DIR", raising=False)
            mp.setenv("CCHC_STORE_DIR", str(root / "store"))
            assert main(["import", str(root / "valid.csv"), *ARGS]) == 0
        _POPULATED["store"] = root / "store"
    return _POPULATED["store"]


@pytest.fixture
def populated_store(tmp_path, monkeypatch, tmp_path_factory):
    """A store with one committed version (a valid synthetic import): a fresh copy, per test, of the store that
    import made (the store holds no path of its own: the same files as importing again in every test)."""
    template = _populated_template(tmp_path_factory)
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    store = tmp_path / "store"
    shutil.copytree(template, store)
    monkeypatch.setenv("CCHC_STORE_DIR", str(store))
    write(tmp_path / "valid.csv", base_rows(), "csv")
    return store


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(muts=st.lists(mutation(), min_size=1, max_size=3), fmt=st.sampled_from(["csv", "csv;", "utf16", "xlsx"]))
def test_fuzzed_malformed_tables_fail_cleanly(populated_store, tmp_path, capsys, muts, fmt):
    rows = base_rows()
    for m in muts:
        apply(rows, m)
    path = tmp_path / ("fuzz.xlsx" if fmt == "xlsx" else "fuzz.csv")
    write(path, rows, fmt)
    before = store_hash(populated_store)
    capsys.readouterr()
    rc = main(["import", str(path), *ARGS])
    err = capsys.readouterr().err
    assert rc == 2, (muts, err)
    blocks = err.split("LỖI/ERROR: ")[1:]
    assert blocks, err
    for block in blocks:
        assert block.startswith(f"tệp/file {path}") and "\n  vi: " in block and "\n  en: " in block
    assert "nothing was written to the store" in err
    assert store_hash(populated_store) == before


EXPECTED = {
    "text_in_figure": ("Not a number", "A rank must be a positive whole number"),
    "above_max": ("Score above the maximum 50",),
    "negative": ("Score below 0",),
    "unknown_unit": ("Unknown unit",),
    "empty_row": ("Empty row inside the table",),
    "duplicate": ("Duplicate unit",),
    "shift": ("The row is shifted",),
    "no_header": ("No header row found",),
    "sum": ("The components add up to",),
    "legacy": ("legacy TCVN3",),
    "no_name": ("The row has figures but no unit name",),
    "rank": ("The printed rank contradicts the totals",),
    "stray": ("A cell holds data outside the columns",),
}


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mut=mutation(), fmt=st.sampled_from(["csv", "csv;", "utf16", "xlsx"]))
def test_each_malformation_gets_its_own_message(populated_store, tmp_path, capsys, mut, fmt):
    rows = base_rows()
    apply(rows, mut)
    path = tmp_path / ("one.xlsx" if fmt == "xlsx" else "one.csv")
    write(path, rows, fmt)
    capsys.readouterr()
    assert main(["import", str(path), *ARGS]) == 2
    err = capsys.readouterr().err
    assert any(text in err for text in EXPECTED[mut[0]]), (mut, err)


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(blob=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".xls"]))
def test_random_bytes_fail_cleanly(populated_store, tmp_path, capsys, blob, suffix):
    path = tmp_path / f"blob{suffix}"
    path.write_bytes(blob)
    before = store_hash(populated_store)
    rc = main(["import", str(path), *ARGS])
    err = capsys.readouterr().err
    assert rc == 2 and "LỖI/ERROR" in err and "\n  en: " in err
    assert store_hash(populated_store) == before


# ------------------------------------------------------------------ crash safety
def _verify(store: Path) -> str | None:
    """The active version is complete: every table matches its manifest hash and reads back."""
    from cchc_data import store as store_mod

    cur = store_mod.current_version(store)
    if cur is None:
        return None
    vdir = store / "versions" / cur
    manifest = json.loads((vdir / "manifest.json").read_text())
    for name, info in manifest["tables"].items():
        assert hashlib.sha256((vdir / f"{name}.parquet").read_bytes()).hexdigest() == info["sha256"]
    tables = store_mod.read_tables(vdir)
    assert all(t.num_rows >= 0 for t in tables.values())
    return cur


def _second_table(tmp_path: Path) -> Path:
    rows = base_rows()
    del rows[-1]  # a different, valid table (one unit fewer)
    path = tmp_path / "second.csv"
    write(path, rows, "csv")
    return path


def _spawn(path: Path, store: Path, pause: str | None) -> subprocess.Popen:
    env = {**os.environ, "CCHC_STORE_DIR": str(store), "PYTHONUNBUFFERED": "1"}
    env.pop("CCHC_DATA_DIR", None)
    env.pop("CCHC_IMPORT_TEST_PAUSE", None)
    if pause:
        env["CCHC_IMPORT_TEST_PAUSE"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "cchc_data", "import", str(path), *ARGS],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_pause(proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "[test] pausing" in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"import ended before the pause: {proc.stderr.read()}")
    raise AssertionError("no pause")


def kill_import_at(path, store, stage: str, while_paused=None) -> None:
    """Run an import in a subprocess, let it pause at `stage`, (check something), then SIGKILL it."""
    proc = _spawn(path, store, f"{stage}:60")
    try:
        _wait_for_pause(proc)
        if while_paused:
            while_paused()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("stage", ["before_pointer", "before_commit"])
def test_sigkill_during_commit_leaves_old_store(populated_store, tmp_path, stage):
    from cchc_data import store as store_mod

    store = populated_store
    old = _verify(store)
    old_bytes = store_hash(store / "versions" / old)

    def written_aside():
        if stage == "before_pointer":
            # The new version is fully written aside, but CURRENT still names the old one.
            assert "0002" in store_mod.list_versions(store)

    kill_import_at(_second_table(tmp_path), store, stage, while_paused=written_aside)
    assert _verify(store) == old and store_hash(store / "versions" / old) == old_bytes
    # The store keeps working: the next import succeeds on top of the old version (lock released by the kill).
    assert main(["import", str(_second_table(tmp_path)), *ARGS]) == 0
    new = _verify(store)
    assert new != old and store_mod.read_manifest(store / "versions" / new)["parent"] == old


def test_sigkill_at_random_moments_leaves_old_or_new(populated_store, tmp_path):
    store = populated_store
    old = _verify(store)
    path = _second_table(tmp_path)
    # Time one full run, then kill runs at spread-out moments of it.
    start = time.monotonic()
    proc = _spawn(path, store, None)
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    full = time.monotonic() - start
    seen = {old, _verify(store)}
    for frac in (0.6, 0.8, 0.9, 0.97):
        before = _verify(store)
        proc = _spawn(path, store, None)
        time.sleep(full * frac)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        after = _verify(store)
        assert after == before or (after > before and after not in seen), (before, after)
        seen.add(after)
    assert main(["import", str(path), *ARGS]) == 0
    _verify(store)
