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
