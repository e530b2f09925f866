"""Labels for data values in the chosen language."""

from __future__ import annotations

from ..fmt import unit_name, unit_names  # noqa: F401  (moved down for the views; re-exported)
from ..i18n import t


def index_label(code: str, lang: str) -> str:
    return t(f"index.{code}", lang)


def group_label(group: str, lang: str) -> str:
    return t(f"group.{group}", lang)
