"""Every link the app prints opens the view it names (issue 14).

Each page runs in Vietnamese and in English (AppTest, shipped data) with realistic query params taken from the
data (the most recent Hà Nội departments table, hn-tuphap on par_hanoi, a province on the PAR Index, ...). Every
link printed on it is collected:

* `st.page_link` targets (page + query string);
* Markdown links `[label](target)` and bare addresses in markdown, caption, info, warning and the other text
  elements, read as the browser reads them: a bare address is a link only if GFM would autolink it, with its
  characters exactly as written (a Markdown escape inside it stays in the address: `par\\_hanoi` opens
  `par%5C_hanoi`);
* addresses in code blocks (share links, embed iframes: a reader copies them as printed);
* the app's own addresses in table link columns (the unit column of /rankings).

An app address printed so that it cannot be clicked (e.g. broken by the WORD JOINER md_escape puts into
`http://`) fails: a reader cannot open it. Every internal link is then opened with AppTest, and the run must
show no bad-parameter notice, keep every parameter the link asked for, and show the view named (a unit link
shows the unit's name in its heading; an index link names the index). Table link columns are checked whole
(every unit id exists, every parameter is valid for its page) and followed for their first three and last rows.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from google.protobuf.json_format import MessageToDict

from cchc_data import fmt
from cchc_data.db import fetch_df
from cchc_data.i18n import LANGS, t
from cchc_data.queries import catalog
from cchc_data.routes import PAGE_PATHS
from cchc_data.textnorm import fold
from tests.app.helpers import run_page

BASE = "http://localhost:8501"  # ui.page.base_url() without a browser context (AppTest) or CCHC_PUBLIC_URL
PAGE_FILES = {path: f"pages/{name}.py" for name, path in PAGE_PATHS.items()}
TEXT_KINDS = ("Markdown", "Caption", "Alert", "Title", "Header", "Subheader", "Text", "Exception")
MD_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
BARE = re.compile(r"(?:https?\u2060?\\?:\\?/\\?/|www\.)[^\s<>]*")
UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def _bad_param_pattern() -> re.Pattern:
    parts = []
    for lang in LANGS:
        template = t("notice.bad_param", lang)
        parts.append(re.escape(template.split("{value}")[0]))
    return re.compile("|".join(parts))


BAD_PARAM = _bad_param_pattern()


# ---------------------------------------------------------------- realistic params, from the data
def _latest_year(index_code: str, group: str) -> int:
    eds = catalog.editions(index_code)
    years = [int(r.year) for r in eds.itertuples() if group in catalog.edition_groups(r.edition_id)]
    return max(years)


def _province_ids(*names: str) -> list[str]:
    """The provinces of these names that PAPI grades (journey 3 compares Hà Nội, TP.HCM and Đà Nẵng on PAPI)."""
    df = fetch_df(
        """SELECT DISTINCT u.unit_id, u.name_vi FROM units u JOIN results r USING (unit_id)
           JOIN editions e USING (edition_id) WHERE e.index_code = 'papi' AND u.name_vi = ANY(?)""",
        [list(names)],
    )
    ids = dict(zip(df.name_vi, df.unit_id))
    assert set(ids) == set(names) and len(df) == len(names), df
    return [ids[n] for n in names]


def seeds() -> list[tuple[str, dict[str, str]]]:
    hn = catalog.editions("par_hanoi")
    assert len(hn), "the shipped data has Hà Nội's internal index"
    tuphap = fetch_df("SELECT name_vi FROM units WHERE unit_id = 'hn-tuphap'").name_vi[0]
    return [
        ("overview", {}),
        ("overview", {"q": fold(tuphap)}),  # the unit search, typed without accents
        ("rankings", {}),
        (
            "rankings",
            {"index": "par_hanoi", "group": "departments", "year": str(_latest_year("par_hanoi", "departments"))},
        ),
        ("map", {}),
        ("components", {}),
        ("compare", {}),
        (
            "compare",
            {
                "index": "papi",
                "group": "provinces",
                "units": ",".join(_province_ids("Hà Nội", "Hồ Chí Minh", "Đà Nẵng")),
            },
        ),
        ("map", {"index": "papi", "year": str(_latest_year("papi", "provinces"))}),
        ("components", {"index": "papi", "year": "2023", "group": "provinces"}),
        ("unit", {"unit": "hn-tuphap", "index": "par_hanoi"}),  # the citation-link bug of issue 14
        ("unit", {"unit": "p01", "index": "par"}),
        ("methodology", {"index": "par_hcmc"}),
        ("methodology", {"index": "sipas"}),
        ("methodology", {}),
        ("data", {}),
    ]


# ---------------------------------------------------------------- collecting what a run printed
def _elements(at):
    out = []

    def walk(node):
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                walk(child)
        elif getattr(node, "proto", None) is not None:
            out.append(node)

    walk(at._tree)
    return out


def _internal(url: str) -> bool:
    return url.startswith(BASE + "/") or url == BASE


def collect(at) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(links to follow [(where, url)], table links [(column, url)], problems)."""
    links, table_links, problems = [], [], []
    for el in _elements(at):
        kind = type(el).__name__
        d = MessageToDict(el.proto)
        if getattr(el, "type", "") == "page_link" or "pageScriptHash" in d:
            query = d.get("queryString", "")
            links.append(("page_link", f"{BASE}/{d.get('page', '')}" + (f"?{query}" if query else "")))
            continue
        if kind == "Code":
            for url in re.findall(r"https?://[^\s\"'<>]+", d.get("codeText", "")):
                links.append(("code", url))
            continue
        if kind == "Dataframe":
            df = el.value
            for col in df.columns:
                values = [v for v in df[col].tolist() if isinstance(v, str) and _internal(v.split("#")[0])]
                table_links += [(str(col), v.split("#")[0]) for v in values]
            continue
        body = d.get("body") or d.get("value") or ""
        if kind in TEXT_KINDS or body:
            found, bad = links_in_text(kind, str(body))
            links += found
            problems += bad
    return links, table_links, problems


def links_in_text(kind: str, body: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The links a reader can click in a Markdown body, as the browser resolves them: a link's target with
    CommonMark's backslash escapes resolved; a bare address as GFM autolinks it (the text exactly as written). An
    app address printed in a form that is not autolinked (a WORD JOINER or an escape inside `http://`) is a
    problem: it is printed but cannot be opened."""
    links, problems = [], []
    for m in MD_LINK.finditer(body):
        links.append((kind, UNESCAPE.sub(r"\1", m[2])))
    rest = MD_LINK.sub(" ", body)
    for m in BARE.finditer(rest):
        raw = m[0].rstrip(".,;:)")
        if "\u2060" in raw or raw.startswith(("http\\:", "https\\:")):
            if BASE.split("//")[1] in raw.replace("\\", ""):
                problems.append(f"{kind}: the app's address is printed but is not a link: {raw!r}")
            continue
        links.append((kind, raw))  # GFM autolink: the href is the text as written, escapes included
    return links, problems


# ---------------------------------------------------------------- opening a link
def _page_and_params(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    assert path in PAGE_FILES, f"{url}: no page at /{path}"
    return PAGE_FILES[path], dict(parse_qsl(parts.query, keep_blank_values=True))


def _unit_names(unit_id: str) -> set[str]:
    df = fetch_df("SELECT name_vi, name_en FROM units WHERE unit_id = ?", [unit_id])
    assert len(df), f"unit {unit_id!r} does not exist"
    names = {df.name_vi[0], df.name_en[0]}
    names |= set(fetch_df("SELECT name FROM unit_names WHERE unit_id = ?", [unit_id]).name)
    return {str(n) for n in names if n}


def _selected_labels(at) -> list[str]:
    """What the pickers show as chosen (a selectbox's or segmented control's selected option, as labelled)."""
    out = [str(w.options[w.index]) for w in at.selectbox if w.index is not None and w.options]
    for w in at.get("button_group"):
        out += [str(getattr(w.options[i], "content", w.options[i])) for i in (getattr(w, "indices", None) or [])]
    return out


def _shown(at) -> str:
    """The page's text as a reader sees it: every text element and label, and the pickers' chosen options."""
    parts = _selected_labels(at)
    for el in _elements(at):
        d = MessageToDict(el.proto)
        for key in ("body", "value", "label"):
            if isinstance(d.get(key), str):
                parts.append(d[key])
    return UNESCAPE.sub(r"\1", "\n".join(parts))


_FOLLOWED: set[tuple] = set()  # links opened and found right in this process, with the data they read


def follow(url: str, where: str) -> None:
    """Open `url` and check it shows the view it names. What is checked depends only on the url and the data the
    app reads, so a link another case already opened and passed on the same data is not opened again (the
    same links are printed on several pages)."""
    key = (url, os.environ.get("CCHC_DATA_DIR"), os.environ.get("CCHC_STORE_DIR"))
    if key in _FOLLOWED:
        return
    page, params = _page_and_params(url)
    at = run_page(page, **params)
    assert not at.exception, (where, url, [e.value for e in at.exception])
    notices = [str(el.value) for el in at.info] + [str(el.value) for el in at.warning]
    assert not [n for n in notices if BAD_PARAM.search(n)], (where, url, notices)
    after = dict(at.query_params)
    kept = {k: v for k, v in params.items() if k != "embed"}
    assert {k: after.get(k) for k in kept} == kept, (where, url, after)
    shown = _shown(at)
    lang = params.get("lang", "vi")
    if "unit" in params and page == "pages/unit.py":
        heads = "\n".join(str(el.value) for el in [*at.header, *at.subheader, *at.title])
        assert any(n in heads for n in _unit_names(params["unit"])), (where, url, heads)
    if "index" in params:
        assert t(f"index.{params['index']}", lang) in shown, (where, url)
    _FOLLOWED.add(key)


def check_table_link(url: str, column: str) -> None:
    page, params = _page_and_params(url)
    assert page == "pages/unit.py", (column, url)
    assert params.get("index") in catalog.INDEX_CODES, (column, url)
    if "year" in params:
        assert catalog.edition(params["index"], int(params["year"])), (column, url)
    _unit_names(params["unit"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", range(16))
def test_every_printed_link_opens_the_view_it_names(case, lang):
    page, params = seeds()[case]
    at = run_page(f"pages/{page}.py", **params, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    links, table_links, problems = collect(at)
    internal = list(dict.fromkeys((u, w) for w, u in links if _internal(u)))
    for url, where in internal:
        follow(url, f"{page} {params} {lang}: {where}")
    by_column: dict[str, list[str]] = {}
    for column, url in table_links:
        check_table_link(url, column)
        by_column.setdefault(column, []).append(url)
    for column, urls in by_column.items():
        for url in dict.fromkeys(urls[:3] + urls[-1:]):
            follow(url, f"{page} {params} {lang}: table column {column}")
    if (page, params) in (("overview", {}), ("rankings", {})) or page == "unit":
        assert internal or table_links, f"{page} {params}: no link found (the collector is broken)"
    assert not problems, problems  # after following the others: every failure of the run is reported


def test_the_collector_reads_links_as_a_browser_does():
    """The symptom of issue 14 and its fix, through the same collector and follower: a bare address with a Markdown
    escape opens `par%5C_hanoi` (a bad-parameter notice); md_escape'd, the address is no link at all; through
    fmt.md_with_links it is a link that opens the unit's profile on par_hanoi."""
    url = f"{BASE}/unit?unit=hn-tuphap&index=par_hanoi&lang=en"
    escaped_inside = "Citation: " + url.replace("par_hanoi", "par\\_hanoi")
    (found,), problems = links_in_text("Caption", escaped_inside)
    assert not problems and found[1].endswith("index=par\\_hanoi&lang=en")
    with pytest.raises(AssertionError):
        follow(found[1], "synthetic: bare address with an escape")
    links, problems = links_in_text("Caption", fmt.md_escape(f"Citation: {url}"))
    assert not links and problems
    links, problems = links_in_text("Caption", fmt.md_with_links(f"Citation: {url}. Source: x_y", [url]))
    assert links == [("Caption", url)] and not problems
    follow(url, "md_with_links")


def test_md_links_only_link_addresses_the_app_built():
    """fmt.md_link / md_with_links: only http(s) and relative targets link; a target's parentheses and spaces are
    encoded (they would end the link); text around the trusted addresses stays literal (escaped)."""
    assert fmt.md_link("x", "javascript:alert(1)") == "x"
    assert fmt.md_link("x", "data:text/html,hi") == "x"
    assert fmt.md_link("a (b)", "https://e.vn/p (1)") == r"[a \(b\)](https://e.vn/p%20%281%29)"
    assert fmt.md_link("x", "/unit?unit=p01") == "[x](/unit?unit=p01)"
    text = fmt.md_with_links(
        "*bold* https://evil.example/x and " + BASE + "/unit?index=par_hanoi", [BASE + "/unit?index=par_hanoi"]
    )
    assert text.startswith(r"\*bold\* https") and "\u2060" in text.split(" and ")[0]  # not a link: not trusted
    assert text.endswith(f"]({BASE}/unit?index=par_hanoi)")
