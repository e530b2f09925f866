"""The one caching policy for query results and views.

`cached` is st.cache_data with the house settings. `versioned` adds the data version to the cache key, so a
function written without a `version` argument still reloads when the data changes: use it instead of the
pattern of a cached `_x(..., version)` plus a public `x()` that passes `data_version()`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from ..db import data_version

P = ParamSpec("P")
R = TypeVar("R")

cached = st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
# Views are frozen dataclasses that pages only read: shared, not copied. st.cache_data pickles a result on every hit
# (a /map or /unit view: tens of KB of frames and specs per new session); st.cache_resource hands out the object.
shared = st.cache_resource(ttl=3600, max_entries=512, show_spinner=False)


FRONT_MAX = 512
# The front memos of the shared views (see versioned_view), so that tests can empty them with Streamlit's caches.
_fronts: list[dict] = []


def clear_shared() -> None:
    """Empty every view's front memo (st.cache_resource.clear() does not know them)."""
    for memo in _fronts:
        memo.clear()


def _with_version(fn: Callable[P, R], cache, front: bool = False) -> Callable[P, R]:
    def by_version(data_version_key: str, *args, **kwargs):
        return fn(*args, **kwargs)

    # Streamlit keys a cached function on module + qualname + source: give each wrapped function its own name.
    by_version.__module__ = fn.__module__
    by_version.__qualname__ = f"{fn.__qualname__}@versioned"
    by_version.__name__ = fn.__name__
    cached_fn = cache(by_version)
    memo: dict = {}

    def clear() -> None:
        memo.clear()
        cached_fn.clear()

    if not front:

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached_fn(data_version(), *args, **kwargs)

        wrapper.clear = clear  # type: ignore[attr-defined]
        return wrapper

    _fronts.append(memo)

    @functools.wraps(fn)
    def shared_wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        # A hit costs a dict lookup: Streamlit's own lookup hashes every argument and reads the function's signature
        # on each call (~0.3 ms; a page asks for 4-10 views per run). Misses, and unhashable arguments, go through it.
        version = data_version()
        try:
            key = (version, args, tuple(kwargs.items()))
            return memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument: no front entry
            return cached_fn(version, *args, **kwargs)
        value = cached_fn(version, *args, **kwargs)
        if len(memo) >= FRONT_MAX:
            memo.clear()
        memo[key] = value
        return value

    shared_wrapper.clear = clear  # type: ignore[attr-defined]
    return shared_wrapper


def versioned(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache `fn` once per (arguments, data version); callers pass only the arguments. Each caller gets a copy."""
    return _with_version(fn, cached)


def versioned_view(fn: Callable[P, R]) -> Callable[P, R]:
    """As versioned, for a view builder returning a frozen view model: every session shares the one object
    (read-only by the house rule), so a new session does not pay to unpickle it. A front memo keyed on (data version,
    arguments) answers repeated calls without Streamlit's per-call hashing."""
    return _with_version(fn, shared, front=True)
