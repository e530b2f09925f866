"""Data from S3-compatible object storage (`CCHC_DATA_URL=s3://bucket/prefix`).

Why a local cache rather than DuckDB reading s3:// directly: DuckDB's httpfs extension is only on
PyPI up to 1.5.x (`duckdb-extension-httpfs`), which does not load into DuckDB 2.0, and `INSTALL` needs
the network at run time. The published data is small (well under 1 MB of Parquet), so each replica
downloads the whole set once into a local directory keyed by the manifest's `data_version`, verifies
every file's sha256 against the manifest, and then reads it exactly like the shipped build (db.py
loads it into memory with file access switched off). A replica never serves a half-downloaded set:
files go to a temp dir that is renamed into place only when complete and verified.

Layout under the prefix (the same as a local build or store version):
    <prefix>/manifest.json        written LAST by `publish`; it is the pointer to the current set
    <prefix>/<table>.parquet      one per table in paths.TABLES
    <prefix>/geo/...              optional (the app falls back to the shipped geometry)

Configuration (environment):
    CCHC_DATA_URL           s3://bucket/prefix   (turns this on; CCHC_DATA_DIR still wins if set)
    CCHC_CACHE_DIR          where downloads go (default: $XDG_CACHE_HOME/cchc or ~/.cache/cchc)
    CCHC_DATA_REFRESH       seconds between manifest checks (default 60; new data appears without restart)
    AWS_ENDPOINT_URL        e.g. https://s3.example.org or http://127.0.0.1:9000 (MinIO, moto, R2, ...)
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION
If the storage is unreachable, the last verified local copy keeps being served (and logged).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from .paths import TABLES

log = logging.getLogger("cchc.remote")

_lock = threading.Lock()
_state: dict = {}  # url -> {"dir": Path, "checked": float}


class RemoteDataError(RuntimeError):
    pass


def data_url() -> str | None:
    url = os.environ.get("CCHC_DATA_URL", "").strip()
    return url or None


def split_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise RemoteDataError(f"CCHC_DATA_URL must look like s3://bucket/prefix, got {url!r}")
    return parts.netloc, parts.path.strip("/")


def _key(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def client():
    """A boto3 S3 client configured from the standard AWS_* environment variables."""
    # boto3 takes ~0.3 s to import: only a deployment that reads from S3 pays it.
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL_S3") or None,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=Config(
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
            s3={"addressing_style": os.environ.get("CCHC_S3_ADDRESSING", "path")},
        ),
    )


def cache_root() -> Path:
    configured = os.environ.get("CCHC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cchc"


def _url_dir(url: str) -> Path:
    return cache_root() / hashlib.sha256(url.encode()).hexdigest()[:12]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _complete(directory: Path) -> bool:
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all((directory / f"{name}.parquet").exists() for name in manifest.get("tables", {}))


def sync(url: str, s3=None) -> Path:
    """Make sure the set named by the remote manifest is in the local cache; return its directory."""
    bucket, prefix = split_url(url)
    s3 = s3 or client()
    raw = s3.get_object(Bucket=bucket, Key=_key(prefix, "manifest.json"))["Body"].read()
    manifest = json.loads(raw)
    version = str(manifest["data_version"])
    if not version.replace("-", "").isalnum():
        raise RemoteDataError(f"unexpected data_version {version!r}")
    missing = [t for t in TABLES if t not in manifest.get("tables", {})]
    if missing:
        raise RemoteDataError(f"remote manifest lacks tables: {', '.join(missing)}")
    root = _url_dir(url)
    final = root / version
    if _complete(final):
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=".tmp-"))
    try:
        for name, meta in manifest["tables"].items():
            target = tmp / f"{name}.parquet"
            s3.download_file(bucket, _key(prefix, f"{name}.parquet"), str(target))
            if meta.get("sha256") and _sha256(target) != meta["sha256"]:
                raise RemoteDataError(f"{name}.parquet does not match the manifest (publish in progress?)")
        _sync_geo(s3, bucket, prefix, tmp)
        (tmp / "manifest.json").write_bytes(raw)
        try:
            os.rename(tmp, final)
        except OSError:  # another process finished the same version first
            if not _complete(final):
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(root, keep=final)
    log.info("downloaded data version %s from %s", version, url)
    return final


def _sync_geo(s3, bucket: str, prefix: str, target: Path) -> None:
    geo_prefix = _key(prefix, "geo/")
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=geo_prefix)
    for page in pages:
        for obj in page.get("Contents", []):
            rel = obj["Key"][len(geo_prefix) :]
            if not rel or "/" in rel or rel.startswith("."):
                continue  # flat folder of geometry files only
            (target / "geo").mkdir(exist_ok=True)
            s3.download_file(bucket, obj["Key"], str(target / "geo" / rel))


def _prune(root: Path, keep: Path, versions: int = 3) -> None:
    done = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime
    )
    for old in done[:-versions]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def local_dir(url: str | None = None) -> Path:
    """The verified local copy of the remote data; re-checks the remote manifest every CCHC_DATA_REFRESH s."""
    url = url or data_url()
    if not url:
        raise RemoteDataError("CCHC_DATA_URL is not set")
    refresh = float(os.environ.get("CCHC_DATA_REFRESH", "60"))
    now = time.monotonic()
    state = _state.get(url)
    if state and now - state["checked"] < refresh:
        return state["dir"]
    with _lock:
        state = _state.get(url)
        if state and time.monotonic() - state["checked"] < refresh:
            return state["dir"]
        try:
            directory = sync(url)
        except Exception as exc:
            if state:  # keep serving the last verified copy
                log.warning("remote data check failed, serving %s: %s", state["dir"].name, exc)
                state["checked"] = time.monotonic()
                return state["dir"]
            cached = _newest_local(url)
            if cached is None:
                raise RemoteDataError(f"cannot load data from {url}: {exc}") from exc
            log.warning("remote data unreachable, serving cached %s: %s", cached.name, exc)
            directory = cached
        _state[url] = {"dir": directory, "checked": time.monotonic()}
        return directory


def _newest_local(url: str) -> Path | None:
    root = _url_dir(url)
    if not root.exists():
        return None
    done = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and _complete(p)]
    return max(done, key=lambda p: p.stat().st_mtime) if done else None


def publish(directory: Path, url: str, s3=None) -> str:
    """Upload a build/store version: tables (and geo) first, manifest.json last, so readers never see a
    manifest that names files not yet uploaded. Returns the data_version."""
    bucket, prefix = split_url(url)
    s3 = s3 or client()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    for name in manifest["tables"]:
        s3.upload_file(str(directory / f"{name}.parquet"), bucket, _key(prefix, f"{name}.parquet"))
    geo = directory / "geo"
    if geo.is_dir():
        for f in sorted(geo.iterdir()):
            if f.is_file():
                s3.upload_file(str(f), bucket, _key(prefix, f"geo/{f.name}"))
    s3.upload_file(str(directory / "manifest.json"), bucket, _key(prefix, "manifest.json"))
    return manifest["data_version"]


def main(argv: list[str] | None = None) -> int:

    parser = argparse.ArgumentParser(
        prog="python -m cchc_data.remote", description="Publish data to / fetch data from S3-compatible storage."
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("publish", help="upload a data directory (tables first, manifest last)")
    p.add_argument("directory", type=Path)
    p.add_argument("url")
    f = sub.add_parser("fetch", help="download the current remote set into the local cache; print its path")
    f.add_argument("url", nargs="?")
    args = parser.parse_args(argv)
    if args.cmd == "publish":
        print(publish(args.directory, args.url))
    else:
        print(local_dir(args.url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
