"""One cached, read-only DuckDB connection over the active Parquet tables; a cursor per query."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow as pa
import streamlit as st

from .paths import TABLES
from .store import active_dir, read_manifest

_lock = threading.Lock()


def data_version() -> str:
    """Changes whenever the active data changes; every cached query takes it as an argument."""
    directory = active_dir()
    try:
        return f"{directory.name}:{read_manifest(directory)['data_version']}"
    except (FileNotFoundError, KeyError):
        return f"{directory}:unbuilt"


def open_connection(directory: Path, threads: int = 2, memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config={"threads": threads, "memory_limit": memory_limit})
    for name in TABLES:
        path = (directory / f"{name}.parquet").resolve()
        # Paths come from our own TABLES allow-list, never from user input.
        # Tables are loaded into memory (the data is small) so that, once external access is off, the
        # connection cannot touch any file at all: with views over files, allowed_directories would also
        # let `COPY ... TO '<data dir>/x' (USE_TMP_FILE false)` overwrite the data (tests/unit/test_safe_rendering.py).
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path.as_posix()}')")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


@st.cache_resource(max_entries=2, on_release=lambda con: con.close())
def _connection(directory: str, version: str) -> duckdb.DuckDBPyConnection:
    return open_connection(Path(directory))


def connection() -> duckdb.DuckDBPyConnection:
    directory = active_dir()
    return _connection(str(directory), data_version())


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    cur = connection().cursor()
    try:
        yield cur
    finally:
        cur.close()


def fetch(sql: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
    """Run one bound query on its own cursor and return an Arrow table."""
    with cursor() as cur:
        return cur.sql(sql, params=params or None).to_arrow_table()


def fetch_df(sql: str, params: list[Any] | dict[str, Any] | None = None):
    with cursor() as cur:
        return cur.sql(sql, params=params or None).df()
