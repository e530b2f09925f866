"""Data from S3-compatible storage (cchc_data/remote.py), against moto's S3 server on 127.0.0.1 only."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow as pa
import pytest

from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "cchc-test"


@pytest.fixture(scope="module")
def moto_server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("moto server did not start")
    yield {"proc": proc, "endpoint": endpoint}
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def s3_env(moto_server, tmp_path, monkeypatch):
    from cchc_data import remote

    env = {
        "AWS_ENDPOINT_URL": moto_server["endpoint"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "NO_PROXY": "127.0.0.1,localhost",
        "CCHC_CACHE_DIR": str(tmp_path / "cache"),
        "CCHC_STORE_DIR": str(tmp_path / "no-store"),
        "CCHC_DATA_REFRESH": "0",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    remote._state.clear()
    s3 = remote.client()
    prefix = f"run-{time.monotonic_ns()}"
    if BUCKET not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        s3.create_bucket(Bucket=BUCKET)
    url = f"s3://{BUCKET}/{prefix}"
    monkeypatch.setenv("CCHC_DATA_URL", url)
    return {"url": url, "s3": s3, "prefix": prefix, "tmp": tmp_path, "env": env}


def _write(tmp: Path, name: str, total: float) -> Path:
    """A tiny synthetic data set with p01's 2019 total set to `total`."""
    from cchc_data.build.main import write_tables
    from tests.fixtures import tiny_tables

    tables = tiny_tables()
    rows = tables["results"].to_pylist()
    for r in rows:
        if r["edition_id"] == "papi-2019" and r["unit_id"] == "p01":
            r["total"] = total
    tables["results"] = pa.Table.from_pylist(rows, schema=tables["results"].schema)
    out = tmp / name
    write_tables(tables, out)
    return out


def _p01(fetch) -> float:
    return fetch("SELECT total FROM results WHERE edition_id='papi-2019' AND unit_id='p01'").column(0)[0].as_py()


def test_httpfs_from_pypi_does_not_match_duckdb():
    """Documents the choice in remote.py: if this starts failing, httpfs may be usable directly."""
    import duckdb

    assert duckdb.__version__.startswith("2."), "re-check duckdb-extension-httpfs (PyPI has 1.x only)"


def test_reads_published_data_and_follows_updates(s3_env):
    from cchc_data import db, remote
    from cchc_data.paths import data_dir

    v1 = remote.publish(_write(s3_env["tmp"], "v1", 43.0), s3_env["url"])
    local = data_dir()
    assert local.is_relative_to(s3_env["tmp"] / "cache") and local.name == v1
    manifest = json.loads((local / "manifest.json").read_text())
    assert set(manifest["tables"]) >= {"results", "units"}
    assert _p01(db.fetch) == 43.0
    assert db.data_version().endswith(v1)

    v2 = remote.publish(_write(s3_env["tmp"], "v2", 44.25), s3_env["url"])
    assert v2 != v1
    assert data_dir().name == v2  # CCHC_DATA_REFRESH=0: the next check picks the new manifest
    assert _p01(db.fetch) == 44.25  # data_version changed -> a new connection over the new copy


def test_corrupt_upload_is_rejected_and_old_copy_served(s3_env):
    from cchc_data import db, remote
    from cchc_data.paths import data_dir

    v1 = remote.publish(_write(s3_env["tmp"], "v1", 43.0), s3_env["url"])
    assert data_dir().name == v1
    # a publish in progress / a corrupted object: the manifest names a hash the file does not have
    bad = _write(s3_env["tmp"], "bad", 99.0)
    manifest = json.loads((bad / "manifest.json").read_text())
    manifest["data_version"] = "badbadbadbad0000"
    s3_env["s3"].put_object(Bucket=BUCKET, Key=f"{s3_env['prefix']}/manifest.json", Body=json.dumps(manifest))
    s3_env["s3"].put_object(Bucket=BUCKET, Key=f"{s3_env['prefix']}/results.parquet", Body=b"not parquet")
    with pytest.raises(remote.RemoteDataError):
        remote.sync(s3_env["url"])
    assert data_dir().name == v1 and _p01(db.fetch) == 43.0
    assert not [p for p in (s3_env["tmp"] / "cache").rglob(".tmp-*")], "no half-downloaded sets left"


def test_storage_outage_serves_cached_copy(s3_env, monkeypatch):
    from cchc_data import remote
    from cchc_data.paths import data_dir

    v1 = remote.publish(_write(s3_env["tmp"], "v1", 43.0), s3_env["url"])
    assert data_dir().name == v1
    remote._state.clear()  # as a restarted replica would start
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    assert data_dir().name == v1
    monkeypatch.setenv("CCHC_CACHE_DIR", str(s3_env["tmp"] / "empty-cache"))
    remote._state.clear()
    with pytest.raises(remote.RemoteDataError):
        data_dir()


def test_bad_url_is_refused(monkeypatch):
    from cchc_data import remote

    for url in ("http://127.0.0.1/x", "s3:///nobucket", "/local/path"):
        with pytest.raises(remote.RemoteDataError):
            remote.split_url(url)


def test_server_serves_from_s3(s3_env):
    """A real Streamlit server configured only by env vars serves the shipped data from the S3 emulator."""
    from cchc_data import remote
    from deploy.st_client import open_view
    from tests.e2e.conftest import start_server

    remote.publish(ROOT / "data", s3_env["url"])
    proc, base = start_server({**s3_env["env"], "CCHC_DATA_URL": s3_env["url"], "CCHC_DATA_REFRESH": "60"})
    try:
        view = open_view(base + "/rankings?lang=vi&index=papi&year=2019&group=provinces", timeout=90)
    finally:
        proc.terminate()
        proc.wait(10)
    assert view.finished == "FINISHED_SUCCESSFULLY" and not view.exceptions
    first = next(t for t in view.tables if "rank" in t.schema.names).slice(0, 1).to_pylist()[0]
    assert first["unit"].endswith("#Bến Tre")
    assert any((s3_env["tmp"] / "cache").rglob("results.parquet"))
