"""Start-up warm-up: while the first reader's browser loads Streamlit's frontend, the server imports what the pages
use and builds the landing page's view, so that the first page does not pay for them (cold start, issue 16).

serve.py runs `warm_up` once in a background thread when the server starts. The views it builds are the cached ones
the pages call (the same keys), so a reader who arrives during the warm-up waits on that work instead of repeating it.
A failure here is logged and changes nothing: the page builds the same view on its first visit."""

from __future__ import annotations

import gc
import importlib
import logging
import time

log = logging.getLogger("cchc")

# Every module a page needs (altair and the chart builders included); importing is process-wide.
PAGE_MODULES = (
    "pandas",
    "pyarrow",
    "altair",
    "cchc_data.ui.charts",
    "cchc_data.ui.chart_blocks",
    "cchc_data.ui.controls",
    "cchc_data.ui.download",
    "cchc_data.ui.search",
    "cchc_data.views.overview",
    "cchc_data.views.rankings",
    "cchc_data.views.map",
    "cchc_data.views.components",
    "cchc_data.views.compare",
    "cchc_data.views.unit",
    "cchc_data.views.methodology",
    "cchc_data.views.data",
)


def warm_up(langs: tuple[str, ...] = ("vi", "en"), freeze: bool = False) -> float:
    """Import the pages' modules, open the data and build the landing page's view in each language; with `freeze`,
    then move every object alive (the libraries' modules, classes and functions, ~155,000 objects) out of the
    garbage collector's reach. Returns the seconds it took.

    Why freeze: a full collection walks every tracked object, and under 100 new sessions at once the server ran
    about two a round, ~0.13 s each (~0.06 s frozen), all under the one interpreter lock the sessions queue for
    (issue 16, docs/performance.md). Frozen objects are still freed when their last reference goes; only a reference cycle among
    them would never be collected, and these live for the whole process anyway."""
    t0 = time.perf_counter()
    try:
        overview = importlib.import_module("cchc_data.views.overview")
        for lang in langs:
            overview.build_overview_view(lang)
        for name in PAGE_MODULES:
            importlib.import_module(name)
    except Exception:  # never fatal: the first visit does the same work
        log.exception("start-up warm-up failed; the first page builds its view itself")
    if freeze:
        gc.collect()  # garbage left by the imports is freed first, not frozen
        gc.freeze()
    return time.perf_counter() - t0
