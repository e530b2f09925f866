"""db.py: the tables live in a read-only DuckDB database file built once per data version."""

from __future__ import annotations

import os

import duckdb
import pytest

from cchc_data import db


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "dbcache"
    monkeypatch.setenv("CCHC_DB_CACHE_DIR", str(path))
    return path


def test_database_file_is_built_once_and_reused(tiny_data, cache_dir):
    first = db.database_file(tiny_data)
    mtime = first.stat().st_mtime_ns
    assert db.database_file(tiny_data) == first and first.stat().st_mtime_ns == mtime
    assert [p.name for p in cache_dir.iterdir()] == [first.name]  # no temporary file left behind
    con = db.open_connection(tiny_data)
    n = con.execute("SELECT count(*) FROM results").fetchall()[0][0]
    assert (
        n == duckdb.execute("SELECT count(*) FROM read_parquet(?)", [str(tiny_data / "results.parquet")]).fetchone()[0]
    )
    con.close()


def test_a_data_directory_with_a_quote_in_its_path_opens(tiny_data, cache_dir, tmp_path):
    quoted = tmp_path / "o'brien's store"  # a store directory may be any path (CCHC_STORE_DIR)
    quoted.mkdir()
    for table in tiny_data.glob("*.parquet"):
        (quoted / table.name).write_bytes(table.read_bytes())
    con = db.open_connection(quoted)
    try:
        assert con.execute("SELECT count(*) FROM results").fetchone()[0] > 0
    finally:
        con.close()


def test_a_changed_table_gives_a_new_database_file(tiny_data, cache_dir):
    first = db.database_file(tiny_data)
    path = tiny_data / "results.parquet"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert db.database_file(tiny_data) != first


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x AS SELECT 1",
        "DROP TABLE results",
        "DELETE FROM results",
        "INSERT INTO units SELECT * FROM units",
    ],
)
def test_connection_cannot_change_its_tables(sql, tiny_data, cache_dir):
    con = db.open_connection(tiny_data)
    before = con.execute("SELECT count(*) FROM results").fetchall()[0][0]
    with pytest.raises(duckdb.Error):
        con.execute(sql)
    assert con.execute("SELECT count(*) FROM results").fetchall()[0][0] == before
    con.close()
