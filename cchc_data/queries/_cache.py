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


def _with_version(fn: Callable[P, R], cache) -> Callable[P, R]:
    def by_version(data_version_key: str, *args, **kwargs):
        return fn(*args, **kwargs)

    # Streamlit keys a cached function on module + qualname + source: give each wrapped function its own name.
    by_version.__module__ = fn.__module__
    by_version.__qualname__ = f"{fn.__qualname__}@versioned"
    by_version.__name__ = fn.__name__
    cached_fn = cache(by_version)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return cached_fn(data_version(), *args, **kwargs)

    wrapper.clear = cached_fn.clear  # type: ignore[attr-defined]
    return wrapper


def versioned(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache `fn` once per (arguments, data version); callers pass only the arguments. Each caller gets a copy."""
    return _with_version(fn, cached)


def versioned_view(fn: Callable[P, R]) -> Callable[P, R]:
    """As versioned, for a view builder returning a frozen view model: every session shares the one object
    (read-only by the house rule), so a new session does not pay to unpickle it."""
    return _with_version(fn, shared)
