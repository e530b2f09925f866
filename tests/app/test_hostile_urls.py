"""Hostile and malformed URLs against every page listed in app.py (AppTest, shipped data).

A deterministic generator builds >= 500 hostile query strings: SQL fragments, quotes, very long
values, Unicode junk (RTL/zero-width/NUL/replacement chars, percent-escaped surrogates), unknown
codes, wrong types, repeated keys and unknown keys, for lang/index/year/group/unit/units/metric/q.
Every case runs in a fresh AppTest session on one page (pages are discovered from app.py, so pages
that land later are covered automatically). Each page gets a share of the corpus plus a core set.

For every run we assert:
  * no exception escapes (`not at.exception`) and the page's error boundary did not fire
    (no "page ... failed" log record, no `notice.error` message): hostile input is handled, not caught;
  * a friendly notice naming the parameter is shown when a consumed enumerated param is invalid;
  * no user text reaches SQL except as a bound parameter: every SQL string sent to DuckDB is
    recorded (the connection is wrapped) and none contains the injected canary or the raw value.
"""

from __future__ import annotations

import logging
import random
import re
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cchc_data.i18n import LANGS, t
from cchc_data.ui.state import MAX_PARAM_LEN

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
CANARY = "zqcanary"  # lower case: survives fold(); never a legitimate code, name or SQL word

ENUM_PARAMS = (
    "lang",
    "index",
    "year",
    "group",
    "unit",
    "units",
    "metric",
    "page",
    "layer",
    "view",
    "year2",
    "years",
    "component",
)
FREE_PARAMS = ("q",)
VALID = {
    "lang": "en",
    "index": "papi",
    "year": "2019",
    "group": "provinces",
    "unit": "p01",
    "units": "p01,p79",
    "metric": "total",
    "q": "ha noi",
    "page": "1",
    "layer": "provinces",
    "view": "map",
    "year2": "2018",
    "years": "2018,2019",
    "component": "transparency",
}


def app_pages() -> list[str]:
    """The page files app.py routes to (st.Page("pages/x.py", ...))."""
    found = re.findall(r"st\.Page\(\s*[\"']([^\"']+\.py)[\"']", (ROOT / "app.py").read_text(encoding="utf-8"))
    return [p for p in found if p.startswith("pages/")]  # not the benchmark's floor page (CCHC_BENCH_FLOOR)


PAGES = app_pages()

# ---------------------------------------------------------------------------------------------
# The corpus. Each value is (text, bad) where bad=True means "definitely not a valid value for any
# enumerated param" (so a page consuming that param must show a notice).
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE results; --",
    "papi' UNION SELECT * FROM read_csv('/etc/passwd') --",
    "\"; ATTACH '/tmp/x.db' AS x; --",
    "2019) OR (1=1",
    "'; COPY results TO '/tmp/pwn.csv'; --",
    "x') UNION SELECT version() --",
    "1 OR 1=1",
    "' ; SET enable_external_access=true; --",
    "p01'--",
    'papi"--',
    "'||(SELECT current_setting('allowed_directories'))||'",
    "%' AND 1=0 UNION SELECT unit_id FROM units --",
    "$q",
    "?",
    "%",
    "_",
    "\\",
    "/*",
    "*/",
    "'; INSTALL httpfs; LOAD httpfs; --",
    "CALL pragma_version()",
    "read_parquet('/etc/*')",
    "provinces' AND sleep(5) --",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "file:///etc/passwd",
    "s3://bucket/x",
    "javascript:alert(1)",
]
QUOTES = ["'", '"', "`", "''", "\\'", "’", "“”", "'\"`", '\\"', '""""', "'; --"]
UNICODE = [
    "\u202eipap",
    "pa\u200bpi",
    "\u200d",
    "\ufeffpapi",
    "en\x00",
    "\x00",
    "\ufffd",
    "a\u0301\u0301\u0301",
    "🙂🙂",
    "%ED%A0%80",
    "%00",
    "%2527",
    "ÐÀ NẴNG",
    "北京",
    "مرحبا",
    "\r\n",
    "\t\t",
    "\x1b[31mred",
    "\u2028",
    "\u0000p01",
    "ｐａｐｉ",
    "p\u00a001",
    "i\u0307",
    "ǅ",
    "\U0001d5c9\U0001d5ba\U0001d5c9\U0001d5c2",
    "\u0301",
    "\ud7ff",
    "\uffff",
]
UNKNOWN = [
    "zzz",
    "par_x",
    "p99",
    "p01-9999",
    "ministries2",
    "all",
    "xx",
    "fr",
    "vi-VN",
    "EN_us",
    "none",
    "m-unknown",
    "d99999",
    "communes_x",
    "score2",
    "rank;total",
]
WRONG_TYPE = [
    "abc",
    "2019.5",
    "1e9",
    "-1",
    "0",
    "99999999999999999999",
    "NaN",
    "inf",
    "[]",
    "{}",
    "null",
    "None",
    "true",
    "2019,2020",
    "0x7e3",
    "٢٠١٩",
    "2019 ",
    "+2019",
    "2_019",
    "1/0",
]


def long_values(rng: random.Random) -> list[str]:
    return [
        "a" * 300,
        "p01," * 500,
        "9" * 1000,
        "Hà Nội" * 200,
        "'" * 5000,
        "".join(rng.choice("ÀÁẢÃẠĂẮẰđĐ'\"%_;-") for _ in range(2500)),
        "x" * 20000,
    ]


def corpus(seed: int = 20240521, n: int = 504) -> list[dict]:
    """Deterministic list of >= n query-param dicts; values may be lists (repeated keys)."""
    rng = random.Random(seed)
    atoms = SQL + QUOTES + UNICODE + UNKNOWN + WRONG_TYPE + long_values(rng)
    keys = ENUM_PARAMS + FREE_PARAMS
    cases: list[dict] = []

    def hostile(with_canary: bool) -> str:
        atom = rng.choice(atoms)
        if with_canary:
            pos = rng.randrange(3)
            return (CANARY + atom, atom + CANARY, atom[:1] + CANARY + atom[1:])[pos]
        return atom

    # 1. every atom alone, in two different params (canary added so it can be traced into SQL)
    for i, atom in enumerate(atoms):
        for key in (keys[i % len(keys)], keys[(i * 5 + 3) % len(keys)]):
            cases.append({key: CANARY + atom if rng.random() < 0.5 else atom + CANARY})
    # 2. mixes: 1-3 hostile params next to valid ones, repeated keys, unknown keys
    while len(cases) < n:
        case: dict = {}
        for key in rng.sample(keys, rng.randint(1, 3)):
            shape = rng.random()
            if shape < 0.55:
                case[key] = hostile(True)
            elif shape < 0.75:  # repeated key, the last (hostile) one wins
                case[key] = [VALID[key], hostile(True)]
            elif shape < 0.85:  # repeated key, the last one valid
                case[key] = [hostile(True), VALID[key]]
            else:
                case[key] = [hostile(True) for _ in range(rng.randint(2, 6))]
        if rng.random() < 0.5:
            case.setdefault(rng.choice(keys), VALID[rng.choice(keys)])  # a valid value in the wrong param
        if rng.random() < 0.3:
            junk_key = rng.choice(
                ["foo", "__proto__", "lang[]", "x" * 300, CANARY, "index;DROP", "%00", "embed_options"]
            )
            case[junk_key] = hostile(True)
        cases.append(case)
    return cases


CASES = corpus()
CORE = [  # every page gets these, whatever its share of the corpus
    {
        "lang": "' OR 1=1 --" + CANARY,
        "index": "papi'; DROP TABLE results; --" + CANARY,
        "year": "abc" + CANARY,
        "group": "\u202e" + CANARY,
        "unit": "p01' OR '1'='1" + CANARY,
        "units": "p01,'" + CANARY + ",p79",
        "metric": "total;--" + CANARY,
        "q": "'; COPY results TO '/tmp/" + CANARY + ".csv'; --",
    },
    {"lang": ["vi", "en", "x" * 5000 + CANARY], "year": ["2019", "9" * 400 + CANARY]},
    {"index": "\x00" + CANARY, "group": "%ED%A0%80" + CANARY, "unit": "\ufffd" + CANARY},
    {"unit": "<script>alert(1)</script>" + CANARY, "units": ",".join(["p01"] * 300) + "," + CANARY},
    {"q": "%" + CANARY + "%", "metric": "$1" + CANARY},
    {"year": "-1" + CANARY, "index": "PAR" + CANARY},
    {"foo": "bar" + CANARY, "lang": "en"},
    {"lang": "en", "index": "papi", "year": "2019", "group": "provinces", "units": "p01,p79," + CANARY},
]


def last(value) -> str:
    return value[-1] if isinstance(value, list) else value


def _strip(value: str) -> str:
    return value.strip()


def is_bad(key: str, value) -> bool:
    """Is the effective (last) value definitely invalid for an enumerated param? Values that are
    blank after trimming count as absent; every generated hostile value carries the canary."""
    full = _strip(last(value))
    v = full[:MAX_PARAM_LEN]  # what the app reads (ui.state.raw_param truncates)
    if not v:
        return False
    if key in ("units", "years"):
        return any(CANARY in tok for tok in v.split(","))
    return CANARY in v or len(full) > MAX_PARAM_LEN


def cases_for(page: str) -> list[dict]:
    i = PAGES.index(page)
    return CORE + CASES[i :: len(PAGES)]


# ---------------------------------------------------------------------------------------------
class SqlRecorder:
    """Wraps the app's DuckDB connection: records every SQL string and its bound params."""

    def __init__(self):
        self.sql: list[str] = []
        self.params: list = []

    def wrap(self, con):
        recorder = self

        class Cur:
            def __init__(self, inner):
                self._inner = inner

            def _log(self, sql, params):
                recorder.sql.append(str(sql))
                recorder.params.append(params)

            def sql(self, query, *args, **kwargs):
                self._log(query, kwargs.get("params", args[0] if args else None))
                return self._inner.sql(query, *args, **kwargs)

            def execute(self, query, *args, **kwargs):
                self._log(query, kwargs.get("parameters", args[0] if args else None))
                self._inner.execute(query, *args, **kwargs)
                return self

            def query(self, query, *args, **kwargs):
                self._log(query, None)
                return self._inner.query(query, *args, **kwargs)

            def cursor(self):
                return Cur(self._inner.cursor())

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.close()

            def __getattr__(self, name):
                return getattr(self._inner, name)

        return Cur(con)


@pytest.fixture
def sql_recorder(monkeypatch):
    import cchc_data.db as db

    recorder = SqlRecorder()
    original = db.connection

    def recording_connection():
        return recorder.wrap(original())

    # Patch the module and every already-imported cchc_data module that bound `connection` by name.
    for name, module in list(sys.modules.items()):
        if name.startswith("cchc_data") and getattr(module, "connection", None) is original:
            monkeypatch.setattr(module, "connection", recording_connection)
    return recorder


_SHARED: dict = {}


def new_session(page: str, params: dict, registered: dict | None) -> AppTest:
    """A fresh session that lands directly on `page` with `params` (like opening a share link)."""
    at = AppTest.from_file(APP, default_timeout=30)
    if _SHARED.get("components") is not None and hasattr(at, "_bidi_component_manager"):
        # Scanning installed packages for custom components costs ~0.3 s per fresh AppTest; share one scan.
        at._bidi_component_manager = _SHARED["components"]
    at.query_params = dict(params)
    if page == PAGES[0]:
        return at.run()
    if registered and hasattr(at, "_registered_pages") and hasattr(at, "_page_hash"):
        # Land on the page in one run, as a browser opening /<url_path>?... does.
        at._registered_pages = dict(registered)
        at.switch_page(page)
        return at.run()
    at.run()  # fallback (public API): the first run registers the pages
    at.query_params = dict(params)
    return at.switch_page(page).run()


ERROR_TEXTS = {t("notice.error", lang) for lang in LANGS}
UNKNOWN_UNIT = {t("notice.unknown_unit", lang, value="").split("“")[0] for lang in LANGS}


def texts(elements) -> list[str]:
    return [str(getattr(e, "value", "")) for e in elements]


def consumed_params(page: str) -> set[str]:
    """The params a page reads: those it writes back to the URL in a clean session."""
    at = new_session(page, {}, None)
    assert not at.exception, f"{page} fails with no params: {at.exception}"
    return set(at.query_params) | {"lang"}


def registered_pages() -> dict:
    at = AppTest.from_file(APP, default_timeout=30).run()
    _SHARED["components"] = getattr(at, "_bidi_component_manager", None)
    return getattr(at, "_registered_pages", None)


def test_corpus_is_big_and_varied():
    assert len(CASES) >= 500
    flat = [(k, last(v)) for c in CASES for k, v in c.items()]
    assert any(isinstance(v, list) for c in CASES for v in c.values()), "repeated keys"
    assert any(len(v) >= 1000 for _, v in flat), "very long values"
    assert any("\x00" in v for _, v in flat) and any("\u202e" in v for _, v in flat), "NUL and RTL"
    assert any("DROP TABLE" in v for _, v in flat), "SQL fragments"
    assert any(k not in ENUM_PARAMS + FREE_PARAMS for c in CASES for k in c), "unknown keys"
    assert {k for k, _ in flat} >= set(ENUM_PARAMS + FREE_PARAMS)
    # every page's share plus the core set adds up to >= 500 AppTest runs
    assert sum(len(cases_for(p)) for p in PAGES) >= 500


def test_pages_are_discovered_from_app():
    assert "pages/overview.py" in PAGES and "pages/rankings.py" in PAGES
    assert len(PAGES) == len(set(PAGES)) >= 2


def test_recorder_sees_bound_user_text(sql_recorder):
    """Positive control: the recorder sees the app's SQL, and user text (a unit token) arrives as a bound param.
    (The name searches fold and match in memory, so their text never reaches DuckDB at all.)"""
    at = new_session("pages/rankings.py", {"unit": CANARY}, registered_pages())
    assert not at.exception
    assert sql_recorder.sql, "no SQL recorded: the recorder is not wired to the app's connection"
    assert any(CANARY in str(p) for p in sql_recorder.params), "search text should reach DuckDB as a bound param"
    assert not any(CANARY in s for s in sql_recorder.sql)


@pytest.mark.parametrize("page", PAGES)
def test_hostile_urls(page, sql_recorder, caplog):
    registered = registered_pages()
    consumed = consumed_params(page)
    cases = cases_for(page)
    started = time.monotonic()
    failures: list[str] = []
    caplog.set_level(logging.ERROR, logger="cchc")
    for case in cases:
        sql_before = len(sql_recorder.sql)
        caplog.clear()
        at = new_session(page, case, registered)
        problems = []
        if at.exception:
            problems.append(f"exception escaped: {[e.value for e in at.exception][:1]}")
        boundary = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
        if boundary or ERROR_TEXTS & set(texts(at.error)):
            detail = (
                caplog.records[0].exc_text.splitlines()[-1] if caplog.records and caplog.records[0].exc_text else ""
            )
            problems.append(f"error boundary fired: {detail}")
        shown = " ".join(texts(at.info) + texts(at.warning) + texts(at.error))
        for key, value in case.items():
            if key in ENUM_PARAMS and key in consumed and is_bad(key, value):
                if f"“{key}”" not in shown and CANARY not in shown and not any(u in shown for u in UNKNOWN_UNIT):
                    problems.append(f"no notice for bad {key}")
        # every hostile value carries the canary; it may reach DuckDB only as a bound parameter
        leaked = [s for s in sql_recorder.sql[sql_before:] if CANARY in s]
        if leaked:
            problems.append(f"user text in SQL: {leaked[0][:120]!r}")
        if problems:
            failures.append(f"{case!r:.300} -> {'; '.join(problems)}")
    elapsed = time.monotonic() - started
    print(f"{page}: {len(cases)} hostile sessions in {elapsed:.1f}s, {len(sql_recorder.sql)} SQL statements")
    assert sql_recorder.sql or page != PAGES[0]
    assert not failures, f"{len(failures)}/{len(cases)} hostile URLs mishandled on {page}:\n" + "\n".join(failures[:15])


MARKDOWN_PAYLOADS = {
    ("pages/overview.py", "q"): "[Click to log in](https://evil.example/login)",
    ("pages/rankings.py", "index"): "![x](https://evil.example/p.png)",
    ("pages/map.py", "index"): ":red[**SECURITY ALERT**]",
    ("pages/map.py", "metric"): "www.evil.example a@evil.example",
}


@pytest.mark.parametrize("where", list(MARKDOWN_PAYLOADS), ids=lambda w: f"{w[0]}:{w[1]}")
def test_notices_quote_a_param_as_text_not_markdown(where):
    """The notice holds the param escaped (issue 17 §5): no Markdown link/image/directive, and no GFM autolink
    literal (https://, www., name@host) survives in its source."""
    from cchc_data.ui.text import WORD_JOINER, md_escape

    page, name = where
    value = MARKDOWN_PAYLOADS[where]
    at = AppTest.from_file(APP, default_timeout=30)
    if page != "pages/overview.py":
        at.switch_page(page)
    at.query_params[name] = value
    at.run()
    assert not at.exception
    notices = [el.value for kind in ("info", "warning") for el in at.get(kind) if md_escape(value) in el.value]
    assert notices, [el.value for kind in ("info", "warning") for el in at.get(kind)]
    for source in notices:
        assert "](" not in source and ":red[" not in source and "**" not in source
        assert "https://" not in source and "www." not in source and "@evil" not in source
        assert source.replace("\\", "").replace(WORD_JOINER, "").count(value) == 1
