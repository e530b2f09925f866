"""Data and URL strings inside Markdown: escaped so a unit name or a query param can never become a link, image,
HTML, coloured/bold text or an emoji/icon shortcode (issue 17 §5).

Besides Markdown's own specials (backslash-escaped; the `:` escape also stops Streamlit's `:red[…]` colour
directives and `:material/…:` shortcodes), GitHub-flavoured Markdown turns bare `https://…`, `www.…` and
`name@host` into links after the escapes are resolved (remark-gfm finds them in the text nodes), so a backslash
cannot stop them: an invisible WORD JOINER (U+2060) goes inside each such pattern, which then no longer matches."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~$:@=^])")
_AUTOLINK = re.compile(r"(?<=[a-z])(?=\\?:\\?/\\?/)|(?<=www)(?=\\?\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_LIST_MARK = re.compile(r"^(\s*)([-+>])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(value) -> str:
    """`value` as literal text inside Markdown (st.markdown, st.info, st.caption, …)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _AUTOLINK.sub(WORD_JOINER, text)
    text = _LIST_MARK.sub(lambda m: m[1] + "\\" + m[2], text)
    return _NUMBERED.sub(lambda m: m[1] + "\\" + m[2], text)
