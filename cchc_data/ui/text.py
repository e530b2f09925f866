"""Data and URL strings inside Markdown: the one escaper lives in the bottom layer (cchc_data.fmt.md_escape, so views
use it too); pages import it from here."""

from __future__ import annotations

from ..fmt import WORD_JOINER, md_escape

__all__ = ["WORD_JOINER", "md_escape"]
