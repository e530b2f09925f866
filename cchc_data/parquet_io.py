"""The dashboard's tables as Parquet files: the one writer the build and the versioned store share, and views over
a directory of them for the checks and benchmarks that read one as it is on disk.

A bottom module (it imports only the schema): store.py uses it without importing the build (issue 16)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .paths import TABLES
from .schema import SCHEMAS


def parquet_views(directory: Path, names=TABLES) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with one view per table over `directory`'s Parquet files; the paths never enter SQL
    text. The server reads through db.open_connection (a read-only database file, no file access) instead."""
    con = duckdb.connect()
    for name in names:
        con.read_parquet((Path(directory) / f"{name}.parquet").as_posix()).create_view(name)
    return con


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> dict:
    """Write every table aside, then move each into place; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"tables": {}}
    for name, table in tables.items():
        if not table.schema.equals(SCHEMAS[name]):
            raise ValueError(f"table {name!r} does not have the schema of cchc_data.schema.SCHEMAS[{name!r}]")
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".parquet")
        os.close(fd)
        pq.write_table(table, tmp, compression="zstd", write_statistics=True, use_dictionary=True)
        os.replace(tmp, out_dir / f"{name}.parquet")
        digest = hashlib.sha256((out_dir / f"{name}.parquet").read_bytes()).hexdigest()
        manifest["tables"][name] = {"rows": table.num_rows, "sha256": digest}
    manifest["data_version"] = hashlib.sha256(json.dumps(manifest["tables"], sort_keys=True).encode()).hexdigest()[:16]
    manifest_tmp = out_dir / ".manifest.json.tmp"
    manifest_tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(manifest_tmp, out_dir / "manifest.json")
    return manifest
