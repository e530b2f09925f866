"""queries._cache.versioned: one cache entry per (arguments, data version), distinct per function."""

from cchc_data.queries import _cache


def test_versioned_reruns_when_the_data_version_changes_and_not_otherwise(monkeypatch):
    calls = []
    version = {"v": "a"}
    monkeypatch.setattr(_cache, "data_version", lambda: version["v"])

    @_cache.versioned
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    double.clear()
    assert double(3) == 6 and double(3) == 6
    assert calls == [3]
    version["v"] = "b"
    assert double(3) == 6
    assert calls == [3, 3]


def test_two_versioned_functions_with_the_same_arguments_do_not_share_entries(monkeypatch):
    monkeypatch.setattr(_cache, "data_version", lambda: "same")

    @_cache.versioned
    def plus_one(x: int) -> int:
        return x + 1

    @_cache.versioned
    def minus_one(x: int) -> int:
        return x - 1

    plus_one.clear()
    minus_one.clear()
    assert (plus_one(10), minus_one(10)) == (11, 9)


def test_versioned_view_shares_one_object_per_data_version(monkeypatch):
    version = {"v": "a"}
    monkeypatch.setattr(_cache, "data_version", lambda: version["v"])

    @_cache.versioned_view
    def build(x: int) -> dict:
        return {"x": x}

    @_cache.versioned
    def copy_each_time(x: int) -> dict:
        return {"x": x}

    build.clear()
    copy_each_time.clear()
    assert build(1) is build(1)  # shared: no unpickling per session
    assert copy_each_time(1) == copy_each_time(1) and copy_each_time(1) is not copy_each_time(1)
    first = build(1)
    version["v"] = "b"
    assert build(1) is not first and build(1) == first


def test_versioned_view_front_memo_is_keyed_on_version_and_arguments_and_empties(monkeypatch):
    version = {"v": "a"}
    monkeypatch.setattr(_cache, "data_version", lambda: version["v"])
    calls = []

    @_cache.versioned_view
    def build(x, y=0):
        calls.append((x, y))
        return {"x": x, "y": y}

    build.clear()
    assert build(1) is build(1) and build(1, y=2) is build(1, y=2) and build(1) is not build(1, y=2)
    assert calls == [(1, 0), (1, 2)]
    version["v"] = "b"
    build(1)
    assert calls == [(1, 0), (1, 2), (1, 0)]
    # An unhashable argument still works (through Streamlit's own cache, which hashes lists).
    assert build([1, 2]) == {"x": [1, 2], "y": 0} and build([1, 2]) is build([1, 2])
    import streamlit as st

    st.cache_resource.clear()
    _cache.clear_shared()
    build(1)
    assert calls[-1] == (1, 0) and len(calls) == 5
