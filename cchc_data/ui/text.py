"""Data strings inside Markdown: escaped so a unit name can never become a link, image or HTML."""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~$])")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])", re.MULTILINE)


def md_escape(value) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], text)
