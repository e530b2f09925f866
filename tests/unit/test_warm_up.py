"""The start-up warm-up (serve.py -> cchc_data.ui.warm): it imports every page's modules and builds the landing page's
view, and a failure in it never stops the server."""

import logging
import sys
from pathlib import Path

from streamlit.web.server.app_discovery import discover_asgi_app

from cchc_data.ui import warm

ROOT = Path(__file__).resolve().parents[2]


def test_serve_py_is_the_st_app_that_streamlit_run_finds():
    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.import_string == "serve:app"
    assert not discover_asgi_app(ROOT / "app.py").is_asgi_app  # app.py stays the router script


def test_warm_up_imports_the_pages_modules_and_builds_the_landing_view(monkeypatch):
    from cchc_data.views import overview

    built = []
    real = overview.build_overview_view
    monkeypatch.setattr(overview, "build_overview_view", lambda lang: built.append(lang) or real(lang))
    seconds = warm.warm_up(("vi", "en"))
    assert built == ["vi", "en"] and seconds >= 0
    assert {"altair", "cchc_data.views.compare", "cchc_data.views.map", "cchc_data.ui.charts"} <= set(sys.modules)


def test_a_failing_warm_up_is_logged_and_not_raised(monkeypatch, caplog):
    from cchc_data.views import overview

    def broken(lang):
        raise OSError("data unreadable")

    monkeypatch.setattr(overview, "build_overview_view", broken)
    with caplog.at_level(logging.ERROR, logger="cchc"):
        warm.warm_up(("vi",))
    assert "warm-up failed" in caplog.text and "data unreadable" in caplog.text


def test_the_server_warm_up_freezes_what_is_alive_and_the_default_does_not():
    import gc

    gc.unfreeze()
    try:
        warm.warm_up(("vi",))
        assert gc.get_freeze_count() == 0  # a test or a script calling warm_up keeps its collector as it was
        warm.warm_up(("vi",), freeze=True)
        # the libraries' objects are out of the full collections' walk (serve.py asks for this)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    assert '"freeze": True' in (ROOT / "serve.py").read_text()  # the server's warm-up is the one that freezes
