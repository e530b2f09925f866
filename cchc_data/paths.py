"""Where the data lives. CCHC_DATA_DIR overrides the shipped data/ folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATA_DIR = PROJECT_ROOT / "data"
# The prepared boundaries are web assets: Streamlit serves static/ at app/static/ (server.enableStaticServing),
# so the browser fetches each TopoJSON once and caches it instead of receiving it inside every map spec.
STATIC_GEO_DIR = PROJECT_ROOT / "static" / "geo"

TABLES = (
    "sources",
    "editions",
    "units",
    "unit_names",
    "unit_lineage",
    "components",
    "scores",
    "results",
    "methodology",
)


def data_dir() -> Path:
    """The base data directory (shipped build, the one named by CCHC_DATA_DIR, or the local copy of
    CCHC_DATA_URL)."""
    override = os.environ.get("CCHC_DATA_DIR")
    if override:
        return Path(override)
    if os.environ.get("CCHC_DATA_URL"):  # s3://bucket/prefix: a verified local copy (cchc_data/remote.py)
        from .remote import local_dir  # remote imports paths: a cycle broken here, and only S3 deployments need it

        return local_dir()
    return SHIPPED_DATA_DIR


def sources_dir(base: Path | None = None) -> Path:
    return (base or SHIPPED_DATA_DIR) / "sources"


def store_dir(base: Path | None = None) -> Path:
    """Versioned store written by the importer (kept out of git)."""
    override = os.environ.get("CCHC_STORE_DIR")
    if override:
        return Path(override)
    return (base or data_dir()) / "store"
