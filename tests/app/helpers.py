"""Shared AppTest helpers."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def run_page(page: str, **params) -> AppTest:
    """Run app.py, then switch to `page` (e.g. 'pages/rankings.py') with the given query params."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if page != "pages/overview.py":
        at.switch_page(page)  # before the first run: switch_page clears query params (streamlit#9050)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "markdown", "caption", "info", "warning", "error", "subheader", "text", "metric"):
        for el in at.get(kind):
            parts.append(str(getattr(el, "value", "")) + " " + str(getattr(el, "label", "")))
    return "\n".join(parts).replace("\\", "")  # Markdown escapes are not what a reader sees


def friendly_only(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert not any("Traceback" in e for e in errors), errors
