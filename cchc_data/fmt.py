"""Number and date formatting for vi and en, through Babel's locale data (the bottom layer: no Streamlit, no Altair).

Vietnamese 84,64 and 12.345,50; English 84.64 and 12,345.50. The rounding is Python's own (the figure is first
rounded with the format mini-language, exactly as the tables always showed it); Babel only supplies the locale's
symbols and grouping, so a published figure reads the same digit for digit in both languages. A gap is "–".
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

GAP = "–"
LOCALES = {"vi": "vi", "en": "en"}
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMMM yyyy"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "vi")


def _is_gap(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    try:
        return bool(value != value)  # pandas NA / NaT
    except TypeError:
        return True


def number(value, lang: str, decimals: int = 2, signed: bool = False) -> str:
    """`value` with `decimals` places in the language's notation; `signed` puts + before positive figures."""
    if _is_gap(value):
        return GAP
    try:
        rounded = Decimal(f"{float(value):{'+' if signed else ''}.{decimals}f}")
    except (TypeError, ValueError):
        return GAP
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(rounded, format=pattern, locale=_locale(lang), decimal_quantization=True)


def integer(value, lang: str, signed: bool = False) -> str:
    if _is_gap(value):
        return GAP
    try:
        return number(int(value), lang, decimals=0, signed=signed)
    except (TypeError, ValueError):
        return GAP


def day(value, lang: str) -> str:
    """A date: 05/03/2024 in vi, 5 March 2024 in en (month names from Babel, never the server's locale)."""
    if value is None or (not isinstance(value, date | datetime) and pd.isna(value)):
        return GAP
    d = pd.Timestamp(value).date()
    return format_date(d, DATE_PATTERNS.get(lang, DATE_PATTERNS["vi"]), locale=_locale(lang))


def symbols(lang: str) -> tuple[str, str]:
    """(decimal mark, thousands separator) of the language, for chart formatters."""
    loc = _locale(lang)
    return get_decimal_symbol(loc), get_group_symbol(loc)


# --- Text for display: Markdown-safe data strings, a unit's name in the reader's language, citations. ---

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~$:@=^])")
# remark-gfm finds autolink literals in the text *after* backslash escapes are resolved, so escaping cannot stop
# them: an invisible WORD JOINER (U+2060) goes inside each `scheme://`, `www.` and `@host`, which then never match.
_AUTOLINK = re.compile(r"(?<=[a-z])(?=\\?:\\?/\\?/)|(?<=www)(?=\\?\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_LIST_MARK = re.compile(r"^(\s*)([-+>])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(value) -> str:
    """`value` as literal text inside Markdown (st.markdown, st.info, st.caption, …): a unit name or a query param
    never becomes a link, image, HTML, list marker, coloured/bold text or an icon shortcode (issue 17 §5). GFM
    autolinks bare `https://…`, `www.…` and `name@host`: a WORD JOINER breaks each (see _AUTOLINK)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _AUTOLINK.sub(WORD_JOINER, text)
    text = _LIST_MARK.sub(lambda m: m[1] + "\\" + m[2], text)
    return _NUMBERED.sub(lambda m: m[1] + "\\" + m[2], text)


_URL_UNSAFE = re.compile(r"[\s()<>\\`\"\u2060]")


def _link_target(url) -> str | None:
    """`url` as a Markdown link target, or None if it must not link (only http(s) and the app's own relative
    paths link). Characters that would end a target (spaces, parentheses, angle brackets) are percent-encoded."""
    target = str(url).strip()
    scheme = target.split(":", 1)[0].lower() if ":" in target.split("/", 1)[0] else ""
    if scheme not in ("http", "https", "") or target.startswith("//") or not target:
        return None
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode("utf-8")), target)


def md_link(text, url) -> str:
    """A Markdown link: the label `text` as literal text (md_escape) and the target `url` as an address, never
    md_escape'd (a Markdown escape inside a URL stays in the address: `par\\_hanoi` opens `par%5C_hanoi`). A URL
    that must not link (not http(s), not a relative path) gives the escaped label alone."""
    target = _link_target(url)
    return f"[{md_escape(text)}]({target})" if target else md_escape(text)


def md_with_links(text: str, urls) -> str:
    """`text` as literal Markdown (md_escape) in which each of the given `urls` (the view's share link, the
    sources' addresses: URLs the app built or shipped, never a reader's input) is a working link labelled by
    itself. A citation line printed on a page goes through this, not through md_escape alone (issue 14: the
    citation link escaped the index as `par%5C_hanoi`)."""
    wanted = sorted({str(u) for u in urls if u}, key=len, reverse=True)
    if not wanted:
        return md_escape(text)
    pattern = re.compile("|".join(re.escape(u) for u in wanted))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(md_escape(text[pos : m.start()]))
        target = _link_target(m[0])
        # a link's label is never autolinked again (links do not nest): escaped, without the WORD JOINERs, so a
        # reader who copies the printed address gets the address
        label = _MD_SPECIAL.sub(r"\\\1", m[0])
        out.append(f"[{label}]({target})" if target else md_escape(m[0]))
        pos = m.end()
    out.append(md_escape(text[pos:]))
    return "".join(out)


def in_lang(row, vi: str, en: str, lang: str):
    """A row's text in `lang` (a dict, a Series or a namedtuple): field `en` on English pages where it holds a
    text, else field `vi`; None where neither does. A store written before an `_en` column existed lacks it."""

    def text(field):
        value = row.get(field) if hasattr(row, "get") else getattr(row, field, None)
        return None if _is_gap(value) or value == "" else value

    return (text(en) if lang == "en" else None) or text(vi)


def unit_name(row, lang: str) -> str:
    """A unit's (or component's) name in `lang`: English where given, else the Vietnamese name."""
    return str(in_lang(row, "name_vi", "name_en", lang))


def unit_names(df, lang: str, vi: str = "name_vi", en: str = "name_en"):
    """unit_name for every row of a frame (columns `vi`/`en`), without a Python loop."""
    if lang == "vi" or en not in df:
        return df[vi].astype(str)
    return df[en].where(df[en].notna() & (df[en] != ""), df[vi]).astype(str)


def published_decimals(*columns, cap: int = 6) -> int:
    """How many decimals the published figures in `columns` carry (the most any of them has, at most `cap`): a
    figure computed from them (a difference, a share) is rounded to it, so a download never shows float noise
    such as -0.17867600000000028."""
    most = 0
    for col in columns:
        for v in pd.Series(col, dtype="float64").dropna().tolist():
            text = repr(float(v))
            if "e" in text or "." not in text:
                continue
            most = max(most, len(text.split(".")[1].rstrip("0")))
    return min(most, cap)


def _source_text(source: dict, lang: str) -> str:
    parts = []
    doc = source.get("document_no")
    title = source.get("title")
    if doc:
        parts.append(str(doc))
    if title and title != doc:
        parts.append(str(title))
    if source.get("publisher"):
        parts.append(str(source["publisher"]))
    published = source.get("published_on")
    if published is not None and not _is_gap(published) and str(published) not in ("NaT", "None", ""):
        parts.append(day(published, lang))
    if source.get("url"):
        parts.append(str(source["url"]))
    return ", ".join(parts)


def citation_text(lang: str, index_label: str, year, source: dict | list[dict] | None, url: str) -> str:
    """The citation line of a view and of its downloads: index, year(s), the sources of the figures shown
    (document number, title, publisher, date, address; a list from queries.view_sources, most-used first, is cited
    in that order) and the view's share link."""
    sources = [source] if isinstance(source, dict) else list(source or [])
    cited = [text for text in (_source_text(s, lang) for s in sources if s) if text]
    label = (
        ("Nguồn: " if lang == "vi" else "Source: ") if len(cited) == 1 else ("Nguồn: " if lang == "vi" else "Sources: ")
    )
    parts = [index_label, str(year)]
    if cited:
        parts.append(label + "; ".join(cited))
    parts.append(("Bảng theo dõi cchc-dashboard: " if lang == "vi" else "cchc-dashboard view: ") + url)
    return ". ".join(p for p in parts if p)


def as_published(values) -> pd.Series:
    """Figures as the source printed them. A source that kept single precision (the PAPI 2020–2024 workbooks)
    gives 41.6286 back as 41.62860107421875: a float64 that is exactly a float32 and whose float32 form is shorter
    is that shorter figure. Any other figure (36.405, a computed share) is left as it is."""
    s = pd.Series(values, dtype="float64")
    f32 = s.astype("float32")
    exact = s.notna() & (f32.astype("float64") == s)
    short = pd.Series([float(str(v)) for v in f32[exact].to_numpy()], index=s[exact].index, dtype="float64")
    return s.where(~exact, short.reindex(s.index))
