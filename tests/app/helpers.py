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


def drawn_elements(at: AppTest) -> list[tuple[str, str]]:
    """Every element's proto without ids (deferred download ids are new each run), in page order: what a run drew."""
    import json

    from google.protobuf.json_format import MessageToDict

    out = []

    def walk(node):
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                walk(child)
        elif getattr(node, "proto", None) is not None:
            d = MessageToDict(node.proto)
            for key in ("id", "deferredFileId", "formId"):
                d.pop(key, None)
            if d.pop("setValue", False):  # a widget's state set on the rerun, not what the page draws
                for key in ("rawValue", "rawValues", "value", "values", "intValue", "stringValue", "boolValue"):
                    d.pop(key, None)
            out.append((type(node).__name__, json.dumps(d, sort_keys=True)))

    walk(at._tree)
    return out
