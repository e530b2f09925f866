"""The one setup call every page makes, and the friendly error boundary."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ..i18n import t
from ..routes import PAGE_PATHS
from .state import current_lang, show_notices

log = logging.getLogger("cchc")
# uvicorn (Streamlit's server) leaves its error logger at INFO with no handler: every websocket connection built
# log records ("connection open", "[accepted]") that nothing printed. Warnings and errors still reach stderr.
logging.getLogger("uvicorn.error").setLevel(logging.WARNING)


def base_url() -> str:
    """The public address of the dashboard, for share links and citations."""
    configured = os.environ.get("CCHC_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    try:
        parts = urlsplit(str(st.context.url))
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    except Exception:  # no browser context (AppTest, bare mode)
        pass
    return "http://localhost:8501"


def share_url(page: str, params: dict[str, str]) -> str:
    path = PAGE_PATHS.get(page, page)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, safe=",")
    return f"{base_url()}/{path}" + (f"?{query}" if query else "")


_routing = threading.local()


@contextmanager
def routed():
    """app.py runs the chosen page inside this block, so a page can tell that it came through the router."""
    _routing.active = True
    try:
        yield
    finally:
        _routing.active = False


def ensure_router() -> None:
    """Route every request through app.py.

    Streamlit treats an app with a top-level pages/ folder as a v1 multipage app until the first
    st.navigation call flips PagesManager.uses_pages_directory. On a fresh server, a deep link
    such as /rankings therefore runs the page file directly, without app.py (no language switch,
    no navigation) — and with many sessions arriving at once, several can take that path before any
    st.navigation call. A page that did not come through app.py (this thread's script run is not
    inside routed()) flips the flag and reruns: the rerun goes through app.py to the same page."""
    if getattr(_routing, "active", False):
        return
    from streamlit.runtime.pages_manager import PagesManager  # internal API: touched only on a deep link's first run

    PagesManager.uses_pages_directory = False
    st.rerun()


def run_page(title_key: str, render: Callable[[str], None]) -> None:
    """Title, notices, then the page body inside an error boundary that never shows a traceback."""
    ensure_router()
    lang = current_lang()
    st.title(t(title_key, lang))
    notices_slot = st.container()
    try:
        render(lang)
    except Exception:  # the boundary: log for operators, a friendly message for people
        log.exception("page %s failed", title_key)
        st.error(t("notice.error", lang), icon=":material/error:")
    with notices_slot:
        show_notices()


def embedded() -> bool:
    """Whether the page is shown as an embed (`?embed=true`): Streamlit keeps that param out of st.query_params,
    so a page asks st.context; an embed draws the view's charts, title, notes and citation without pickers."""
    try:
        return bool(st.context.is_embedded)
    except Exception:  # no browser context (AppTest, bare mode)
        return False
