import logging
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CCHC_STORE_DIR", str(ROOT / "test-artifacts" / "no-store"))

# Bare-mode chatter (no ScriptRunContext, memory cache) says nothing about behaviour.
for _name in (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
    "streamlit.runtime.caching.cache_resource_api",
    "streamlit",
):
    logging.getLogger(_name).setLevel(logging.ERROR)


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Caches outlive AppTest instances within one process; start every test clean."""
    import streamlit as st

    from cchc_data.queries import _cache

    st.cache_data.clear()
    st.cache_resource.clear()
    _cache.clear_shared()  # the shared views' front memos
    yield


@pytest.fixture
def tiny_data(tmp_path, monkeypatch):
    """A small synthetic store (generated here, never shipped) that the app and queries read."""
    from tests.fixtures import write_tiny_store

    data = tmp_path / "data"
    write_tiny_store(data)
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    return data
