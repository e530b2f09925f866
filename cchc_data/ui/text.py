"""Data strings inside Markdown: escaped so a unit name can never become a link, image or HTML."""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~$])")
_LIST_MARK = re.compile(r"^(\s*)([-+>])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(value) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _LIST_MARK.sub(lambda m: m[1] + "\\" + m[2], text)
    return _NUMBERED.sub(lambda m: m[1] + "\\" + m[2], text)
