"""The versioned store: whole-version writes, an atomic pointer, rollback.

Layout under store_dir():
    versions/<NNNN>/<table>.parquet + manifest.json   complete copies of every table
    CURRENT                                           the name of the active version
    HISTORY                                           one line per version made current
    .lock                                             writers (commit, rollback) hold it
A writer builds a version in a temporary directory, fsyncs it, renames it into
versions/, then replaces CURRENT with os.replace, then appends the version to HISTORY.
A crash at any moment leaves CURRENT naming a complete version (or no store at all:
the shipped data). A crash between the rename and the pointer swap leaves a version
that was written but never made current ("incomplete"): it is never listed as a
normal version, cannot be rolled back to, and the next commit deletes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import parquet_io
from .paths import TABLES, data_dir, store_dir

KEEP_VERSIONS = 10
HISTORY = "HISTORY"  # "<version>\t<UTC time>\t<how>\n" per pointer change; only whole lines count


def current_version(store: Path | None = None) -> str | None:
    pointer = (store or store_dir()) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


_active_memo: dict[tuple, Path] = {}


def active_dir() -> Path:
    """The directory the app reads: the store's current version, else the shipped build.

    Asked on every cached query; the pointer file is read again only when its stat changes."""
    store = store_dir()
    key: tuple
    try:
        st_ = (store / "CURRENT").stat()
        key = (
            str(store),
            st_.st_mtime_ns,
            st_.st_size,
            st_.st_ino,
            os.environ.get("CCHC_DATA_DIR"),
            os.environ.get("CCHC_DATA_URL"),
        )
    except OSError:
        key = (str(store), None, os.environ.get("CCHC_DATA_DIR"), os.environ.get("CCHC_DATA_URL"))
    if not os.environ.get("CCHC_DATA_URL"):  # a remote copy may be swapped at any time: never memoised
        found = _active_memo.get(key)
        if found is not None and (found / "manifest.json").exists():
            return found
    version = current_version(store)
    if version and (store / "versions" / version / "manifest.json").exists():
        found = store / "versions" / version
    else:
        found = data_dir()
    if len(_active_memo) > 64:
        _active_memo.clear()
    _active_memo[key] = found
    return found


def read_manifest(directory: Path) -> dict:
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


def read_tables(directory: Path | None = None) -> dict[str, pa.Table]:
    directory = directory or active_dir()
    return {name: pq.read_table(directory / f"{name}.parquet") for name in TABLES}


def read_current(store: Path | None = None) -> tuple[str | None, dict[str, pa.Table]]:
    """(version, its tables), read as one consistent pair: the tables are those of the version named.

    An import bases its new version on what this returns; commit refuses if CURRENT moved meanwhile. Reading the
    pointer after the tables (as the importer once did) let a commit in between pass that check (a lost update)."""
    store = store or store_dir()
    for _ in range(20):
        version = current_version(store)
        directory = store / "versions" / version if version else active_dir()
        try:
            tables = read_tables(directory)
        except OSError:  # the version was pruned (or the store moved) while it was read: read again
            continue
        spec = os.environ.get("CCHC_IMPORT_TEST_PAUSE", "")  # test hook (importer.apply.PAUSE_ENV)
        if spec.startswith("after_read:"):
            print("[test] pausing at after_read", flush=True)

            time.sleep(float(spec.split(":", 1)[1]))
        if current_version(store) == version:
            return version, tables
    raise OSError("the store kept changing while it was read")


def list_versions(store: Path | None = None) -> list[str]:
    root = (store or store_dir()) / "versions"
    if not root.exists():
        return []
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").exists()
    )


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_lock_depth: dict[str, int] = {}
_lock_guard = threading.RLock()


@contextlib.contextmanager
def lock(store: Path | None = None):
    """The store's writer lock (an flock on store/.lock), re-entrant within this process."""

    store = store or store_dir()
    key = str(Path(store).resolve())
    with _lock_guard:
        if _lock_depth.get(key):
            _lock_depth[key] += 1
            try:
                yield
            finally:
                _lock_depth[key] -= 1
            return
        store.mkdir(parents=True, exist_ok=True)
        fh = open(store / ".lock", "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            _lock_depth[key] = 1
            try:
                yield
            finally:
                _lock_depth[key] = 0
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()


def _history(store: Path) -> set[str] | None:
    """The versions ever made current (whole lines of HISTORY), or None for a store without the record."""
    try:
        text = (store / HISTORY).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    lines = text.split("\n")[:-1]  # a line cut short by a crash has no newline: not counted
    return {ln.split("\t", 1)[0] for ln in lines if ln.strip()}


def _record(store: Path, version: str, how: str) -> None:
    line = f"{version}\t{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}\t{how}\n"
    path = store / HISTORY
    new = not path.exists()
    if not new and path.stat().st_size:
        with open(path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                line = "\n" + line  # end a line a crash cut short; it stays uncounted (no version name)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())
    if new:
        _fsync_dir(store)


def _prepare_history(store: Path) -> None:
    """Before a write (under the lock): start the record, and note a current version a crash left unrecorded."""
    made = _history(store)
    if made is None:
        store.mkdir(parents=True, exist_ok=True)
        # A store written before HISTORY existed: its versions count as made current (nothing else is known).
        with open(store / HISTORY, "w", encoding="utf-8") as fh:
            for v in list_versions(store):
                fh.write(f"{v}\t-\tbefore the history was kept\n")
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(store)
        made = _history(store) or set()
    cur = current_version(store)
    if cur and cur not in made:
        _record(store, cur, "current (recorded after a crash)")


def version_states(store: Path | None = None) -> dict[str, str]:
    """Every written version -> 'current', 'kept' (made current at some time) or 'incomplete' (written by a
    commit that was stopped before the pointer swap: never made current)."""
    store = store or store_dir()
    made = _history(store)
    cur = current_version(store)
    states = {}
    for v in list_versions(store):
        if v == cur:
            states[v] = "current"
        elif made is None or v in made:
            states[v] = "kept"
        else:
            states[v] = "incomplete"
    return states


def incomplete_versions(store: Path | None = None) -> list[str]:
    return [v for v, state in version_states(store).items() if state == "incomplete"]


def _write_pointer(store: Path, version: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".CURRENT.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, store / "CURRENT")
    _fsync_dir(store)


def commit_version(tables: dict[str, pa.Table], message: str, store: Path | None = None) -> str:
    """Write all tables as a new version and make it current, atomically.

    Also deletes the versions an earlier, stopped commit left incomplete (see incomplete_versions)."""
    store = store or store_dir()
    with lock(store):
        _prepare_history(store)
        versions = store / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        existing = list_versions(store)
        name = f"{(int(existing[-1]) + 1 if existing else 1):04d}"
        tmp = Path(tempfile.mkdtemp(dir=versions, prefix=".tmp-"))
        try:
            manifest = parquet_io.write_tables(tables, tmp)
            manifest["message"] = message
            manifest["parent"] = current_version(store)
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            for f in tmp.iterdir():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
            _fsync_dir(tmp)
            os.rename(tmp, versions / name)
            _fsync_dir(versions)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _write_pointer(store, name)
        _record(store, name, "commit")
        _prune(store)
    return name


def rollback(to: str | None = None, store: Path | None = None) -> str | None:
    """Point CURRENT at an earlier version (default: the parent of the current one)."""
    store = store or store_dir()
    if not (store / "versions").exists():  # nothing to do: do not create the store for the lock
        raise ValueError(
            "No store version is active; nothing to roll back."
            if to is None
            else f"Unknown version {to!r}; kept versions: none"
        )
    with lock(store):
        versions = list_versions(store)
        cur = current_version(store)
        if to is None:
            if cur is None:
                raise ValueError("No store version is active; nothing to roll back.")
            parent = read_manifest(store / "versions" / cur).get("parent")
            if parent is None:
                _prepare_history(store)
                (store / "CURRENT").unlink()
                _fsync_dir(store)
                return None
            to = parent
        if to not in versions:
            raise ValueError(
                f"Unknown version {to!r}; kept versions: "
                f"{', '.join(v for v, s in version_states(store).items() if s != 'incomplete') or 'none'}"
            )
        if version_states(store).get(to) == "incomplete":
            raise ValueError(
                f"version {to} is incomplete: it was written by an import that was stopped before it "
                f"finished and was never made current, so it cannot be made current (run that import "
                f"again; the next import deletes {to}) / phiên bản {to} chưa hoàn tất: lần nhập ghi nó "
                f"bị dừng trước khi xong và nó chưa từng được dùng, nên không thể quay về nó (hãy chạy "
                f"lại lệnh nhập; lần nhập sau sẽ xóa {to})"
            )
        _prepare_history(store)
        _write_pointer(store, to)
        _record(store, to, "rollback")
    return to


def _prune(store: Path) -> None:
    states = version_states(store)
    for v, state in states.items():
        if state == "incomplete":
            shutil.rmtree(store / "versions" / v, ignore_errors=True)
    kept = [v for v, state in states.items() if state != "incomplete"]
    cur = current_version(store)
    for old in kept[:-KEEP_VERSIONS]:
        if old != cur:
            shutil.rmtree(store / "versions" / old, ignore_errors=True)
    for junk in (store / "versions").glob(".tmp-*"):
        shutil.rmtree(junk, ignore_errors=True)
