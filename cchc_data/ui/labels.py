"""Labels for data values in the chosen language."""
from __future__ import annotations

from ..i18n import t


def unit_name(row, lang: str) -> str:
    def get(field):
        return row.get(field) if hasattr(row, "get") else getattr(row, field, None)

    name = get("name_vi") if lang == "vi" else (get("name_en") or get("name_vi"))
    return str(name)


def index_label(code: str, lang: str) -> str:
    return t(f"index.{code}", lang)


def group_label(group: str, lang: str) -> str:
    return t(f"group.{group}", lang)


def unit_names(df, lang: str):
    """unit_name for every row of a frame with name_vi/name_en columns, without a Python loop."""
    if lang == "vi" or "name_en" not in df:
        return df["name_vi"].astype(str)
    return df["name_en"].where(df["name_en"].notna() & (df["name_en"] != ""), df["name_vi"]).astype(str)
