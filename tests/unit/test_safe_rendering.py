"""Safe rendering and read-only data access.

* No HTML-capable call (st.html, components.html, unsafe_allow_html=True) takes anything but a constant.
* A unit whose name is an HTML/script payload (synthetic fixture) is rendered as text on every page.
* The app's DuckDB connection cannot write, attach, copy out, read other files or re-enable access.
* Errors inside a page show the friendly message, never a traceback; showErrorDetails is "none".
* No upload widget exists (nothing public can write to the store).
"""

from __future__ import annotations

import ast
import hashlib
import re
import tomllib
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cchc_data.i18n import LANGS, t

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SOURCES = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "cchc_data").rglob("*.py"), ROOT / "app.py"])
PAGES = [
    p
    for p in re.findall(r"st\.Page\(\s*[\"']([^\"']+\.py)[\"']", (ROOT / "app.py").read_text(encoding="utf-8"))
    if p.startswith("pages/")
]  # not the benchmark's floor page

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
HOSTILE_VI = "Hà Nội " + PAYLOAD
HOSTILE_EN = "Ha Noi " + PAYLOAD


# ---------------------------------------------------------------------------------------------
# Static checks over the source
def _module_constants(tree: ast.Module) -> dict[str, bool]:
    """Module-level names bound once to a plain string literal."""
    consts: dict[str, bool] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            literal = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            consts[name] = literal and name not in consts
    return consts


def html_calls(path: Path) -> list[tuple[int, str, bool]]:
    """Every call that can emit raw HTML: (line, what, argument_is_constant)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = _module_constants(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        unsafe_kw = any(
            k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        )
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if name == "html" and owner in ("st", "components", "stc") or unsafe_kw:
            arg = node.args[0] if node.args else None
            constant = (isinstance(arg, ast.Constant) and isinstance(arg.value, str)) or (
                isinstance(arg, ast.Name) and consts.get(arg.id, False)
            )
            found.append((node.lineno, f"{owner}.{name}" + (" unsafe_allow_html" if unsafe_kw else ""), constant))
    return found


def test_source_scan_finds_html_calls():
    """The scanner itself works: it flags data passed to st.html and accepts a constant."""
    sample = ROOT / "test-artifacts" / "scan_sample.py"
    sample.parent.mkdir(parents=True, exist_ok=True)
    sample.write_text(
        'import streamlit as st\nCSS = "<style></style>"\nst.html(CSS)\nname = input()\n'
        'st.html(f"<b>{name}</b>")\nst.markdown(name, unsafe_allow_html=True)\n',
        encoding="utf-8",
    )
    assert [c for _, _, c in html_calls(sample)] == [True, False, False]


def test_no_html_with_data_in_source():
    offenders = [
        f"{p.relative_to(ROOT)}:{line} {what}" for p in SOURCES for line, what, const in html_calls(p) if not const
    ]
    assert not offenders, "raw HTML built from non-constant text:\n" + "\n".join(offenders)


def test_no_upload_widget():
    uploads = [f"{p.relative_to(ROOT)}" for p in SOURCES if "file_uploader" in p.read_text(encoding="utf-8")]
    assert not uploads, f"public upload widgets found: {uploads}"


def test_streamlit_config_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert config["server"].get("enableXsrfProtection", True) is True
    assert config["server"].get("maxUploadSize", 200) <= 1


# ---------------------------------------------------------------------------------------------
# A hostile unit name on every page
@pytest.fixture
def hostile_data(tmp_path, monkeypatch):
    """The tiny synthetic store with p01 renamed to an HTML/script payload (synthetic, test-only)."""
    import pyarrow as pa

    from cchc_data.build.main import write_tables
    from cchc_data.textnorm import fold
    from tests.fixtures import tiny_tables

    tables = tiny_tables()
    units = tables["units"].to_pylist()
    for u in units:
        if u["unit_id"] == "p01":
            u.update(name_vi=HOSTILE_VI, name_en=HOSTILE_EN, name_full_vi="Thành phố " + HOSTILE_VI)
    names = tables["unit_names"].to_pylist()
    for n in names:
        if n["unit_id"] == "p01":
            n.update(name=HOSTILE_VI, name_folded=fold(HOSTILE_VI))
    tables["units"] = pa.Table.from_pylist(units, schema=tables["units"].schema)
    tables["unit_names"] = pa.Table.from_pylist(names, schema=tables["unit_names"].schema)
    data = tmp_path / "data"
    write_tables(tables, data)
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    return data


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def test_hostile_unit_name_renders_as_text_on_every_page(hostile_data):
    params = {"index": "papi", "year": "2019", "group": "provinces", "unit": "p01", "units": "p01,p48", "q": "ha noi"}
    from tests.app.test_hostile_urls import new_session, registered_pages

    registered = registered_pages()
    seen_as_text = 0
    kinds: set[str] = set()
    for lang in LANGS:
        for page in PAGES:
            at = new_session(page, {**params, "lang": lang}, registered)
            assert not at.exception, (page, lang, at.exception)
            for el in walk(at._tree):
                proto = getattr(el, "proto", None)
                if proto is None:
                    continue
                kind = getattr(el, "type", "") or type(el).__name__
                body = str(proto)
                if "alert(" in body or "onerror" in body:  # the payload (app.py's own lang script is not one)
                    assert kind != "html", f"{page}: payload in a raw HTML element"
                    assert not getattr(proto, "allow_html", False), f"{page}: payload in markdown with HTML allowed"
                    seen_as_text += 1
                kinds.add(kind)
                if kind == "html":
                    assert "alert(" not in body and "onerror" not in body
    # the payload did reach the screen (as text) somewhere: the overview's leader card at least
    assert seen_as_text >= 2


def test_overview_leader_shows_payload_as_text(hostile_data):
    """The synthetic leader's name reaches the screen, as text (metric/markdown without HTML), not as markup."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params = {"lang": "en"}
    at.run()
    assert not at.exception
    carriers = [el for el in walk(at._tree) if getattr(el, "proto", None) is not None and "xss" in str(el.proto)]
    assert carriers, "the leader's name should be shown on the overview"
    for el in carriers:
        assert getattr(el, "type", "") in (
            "markdown",
            "metric",
            "text",
            "caption",
            "arrow_data_frame",
            "alert",
            "heading",
            "subheader",
            "header",
            "title",
            "page_link",
        ), getattr(el, "type", "")
        assert not getattr(el.proto, "allow_html", False)


# ---------------------------------------------------------------------------------------------
# Read-only connection
def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


ESCAPES = [
    "COPY results TO '{tmp}/out.csv'",
    "COPY (SELECT 1) TO '{data}/evil.parquet' (FORMAT parquet)",
    "ATTACH '{tmp}/x.duckdb' AS x",
    "ATTACH '{data}/results.parquet' AS y",
    "ATTACH '{data}/results.parquet' AS z (READ_WRITE)",
    "COPY (SELECT 1 AS a) TO '{data}/results.parquet' (FORMAT parquet, USE_TMP_FILE false)",
    "COPY (SELECT 1 AS a) TO '{data}/units.parquet' (FORMAT csv)",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_parquet('{tmp}/../*.parquet')",
    "SET enable_external_access = true",
    "SET allowed_directories = ['/']",
    "RESET lock_configuration",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_parquet('https://127.0.0.1:9/x.parquet')",
    "EXPORT DATABASE '{tmp}/dump'",
]


@pytest.mark.parametrize("sql", ESCAPES)
def test_connection_refuses_escape(sql, tiny_data, tmp_path):
    from cchc_data.db import fetch

    outside = tmp_path / "outside"
    outside.mkdir()
    before = _digest(tiny_data)
    with pytest.raises(duckdb.Error):
        fetch(sql.format(tmp=outside, data=tiny_data))
    assert _digest(tiny_data) == before
    assert not any(outside.iterdir())


def test_connection_still_reads(tiny_data):
    from cchc_data.db import fetch

    assert fetch("SELECT count(*) AS n FROM results").column("n")[0].as_py() > 0


# ---------------------------------------------------------------------------------------------
# Errors: friendly message, never a traceback
def test_page_error_shows_friendly_message(tiny_data, monkeypatch):
    import cchc_data.queries as q

    secret = "/srv/secret/path and Traceback details"

    def boom(*a, **k):
        raise RuntimeError(secret)

    monkeypatch.setattr(q, "latest_editions", boom)
    for lang in LANGS:
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params = {"lang": lang}
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [t("notice.error", lang)]
        everything = " ".join(str(getattr(el, "proto", "")) for el in walk(at._tree))
        assert secret not in everything and "Traceback" not in everything
