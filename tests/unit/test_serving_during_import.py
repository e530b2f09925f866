"""The app keeps serving the old store version while a new one is being written, then switches.

(Crash safety of the store under `kill -9` is the importer's test; this one checks what readers see.)
Synthetic data from tests/fixtures.py only.
"""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

ROOT_APP = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "app.py")


def _p01_2019(fetch) -> float:
    return fetch("SELECT total FROM results WHERE edition_id = 'papi-2019' AND unit_id = 'p01'").column(0)[0].as_py()


def _with_total(tables: dict, total: float) -> dict:
    rows = tables["results"].to_pylist()
    for r in rows:
        if r["edition_id"] == "papi-2019" and r["unit_id"] == "p01":
            r["total"] = total
    return {**tables, "results": pa.Table.from_pylist(rows, schema=tables["results"].schema)}


@pytest.fixture
def store_env(tmp_path, monkeypatch):
    from tests.fixtures import write_tiny_store

    write_tiny_store(tmp_path / "data")
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    return tmp_path / "store"


def test_old_version_served_while_new_one_is_written(store_env, monkeypatch):
    import cchc_data.parquet_io as build_main  # the writer store.commit_version calls
    from cchc_data import db, store
    from tests.fixtures import tiny_tables

    base = tiny_tables()
    first = store.commit_version(_with_total(base, 43.0), "v1 (synthetic)")
    v1 = db.data_version()
    assert _p01_2019(db.fetch) == 43.0

    halfway, release = threading.Event(), threading.Event()
    real_write = build_main.write_tables

    def slow_write(tables, directory):
        manifest = real_write(tables, directory)  # the new files exist in a temp dir ...
        halfway.set()
        assert release.wait(30)  # ... and the writer is stuck before the rename and the pointer swap
        return manifest

    monkeypatch.setattr(build_main, "write_tables", slow_write)
    result: dict = {}
    writer = threading.Thread(
        target=lambda: result.setdefault("name", store.commit_version(_with_total(base, 44.5), "v2 (synthetic)"))
    )
    writer.start()
    try:
        assert halfway.wait(30)
        assert list(store_env.glob("versions/.tmp-*")), "the new version is being written"
        # Readers see the complete old version, on the cached connection and on a brand-new one.
        assert store.current_version() == first and db.data_version() == v1
        assert _p01_2019(db.fetch) == 43.0
        import streamlit as st

        st.cache_resource.clear()
        assert _p01_2019(db.fetch) == 43.0
        at = AppTest.from_file(ROOT_APP, default_timeout=30)
        at.query_params = {"lang": "en"}
        at.run()
        assert not at.exception and not at.error
    finally:
        release.set()
        writer.join(30)
    assert result["name"] != first and store.current_version() == result["name"]
    assert db.data_version() != v1
    assert _p01_2019(db.fetch) == 44.5  # the connection is keyed on the version: the new data is served
    assert not list(store_env.glob("versions/.tmp-*"))


def test_rollback_is_served_immediately(store_env):
    from cchc_data import db, store
    from tests.fixtures import tiny_tables

    base = tiny_tables()
    store.commit_version(_with_total(base, 41.0), "a (synthetic)")
    store.commit_version(_with_total(base, 42.0), "b (synthetic)")
    assert _p01_2019(db.fetch) == 42.0
    store.rollback()
    assert _p01_2019(db.fetch) == 41.0
