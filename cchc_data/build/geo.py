"""Geometry build step (filled in by the maps issue): data/sources/geo -> data/geo/."""
from __future__ import annotations

from pathlib import Path


def build_geo(src: Path, out_dir: Path) -> dict:
    return {}
