"""The versioned store: whole-version writes, an atomic pointer, rollback.

Layout under store_dir():
    versions/<NNNN>/<table>.parquet + manifest.json   complete copies of every table
    CURRENT                                           the name of the active version
A writer builds a version in a temporary directory, fsyncs it, renames it into
versions/, then replaces CURRENT with os.replace. A crash at any moment leaves
CURRENT naming a complete version (or no store at all: the shipped data).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .paths import TABLES, data_dir, store_dir

KEEP_VERSIONS = 10


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
    try:
        st_ = (store / "CURRENT").stat()
        key = (str(store), st_.st_mtime_ns, st_.st_size, st_.st_ino, os.environ.get("CCHC_DATA_DIR"),
               os.environ.get("CCHC_DATA_URL"))
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


def list_versions(store: Path | None = None) -> list[str]:
    root = (store or store_dir()) / "versions"
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").exists())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_pointer(store: Path, version: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".CURRENT.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, store / "CURRENT")
    _fsync_dir(store)


def commit_version(tables: dict[str, pa.Table], message: str, store: Path | None = None) -> str:
    """Write all tables as a new version and make it current, atomically."""
    from .build.main import write_tables

    store = store or store_dir()
    versions = store / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    existing = list_versions(store)
    name = f"{(int(existing[-1]) + 1 if existing else 1):04d}"
    tmp = Path(tempfile.mkdtemp(dir=versions, prefix=".tmp-"))
    try:
        manifest = write_tables(tables, tmp)
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
    _prune(store)
    return name


def rollback(to: str | None = None, store: Path | None = None) -> str | None:
    """Point CURRENT at an earlier version (default: the parent of the current one)."""
    store = store or store_dir()
    versions = list_versions(store)
    cur = current_version(store)
    if to is None:
        if cur is None:
            raise ValueError("No store version is active; nothing to roll back.")
        parent = read_manifest(store / "versions" / cur).get("parent")
        if parent is None:
            (store / "CURRENT").unlink()
            _fsync_dir(store)
            return None
        to = parent
    if to not in versions:
        raise ValueError(f"Unknown version {to!r}; kept versions: {', '.join(versions) or 'none'}")
    _write_pointer(store, to)
    return to


def _prune(store: Path) -> None:
    versions = list_versions(store)
    cur = current_version(store)
    for old in versions[:-KEEP_VERSIONS]:
        if old != cur:
            shutil.rmtree(store / "versions" / old, ignore_errors=True)
    for junk in (store / "versions").glob(".tmp-*"):
        shutil.rmtree(junk, ignore_errors=True)
