"""deploy/serve.sh (what the Dockerfile runs) installs and serves from a clean directory.

No Docker daemon runs here, so the test does what the image build does: copy the build context
(tracked + untracked files minus .dockerignore) to an empty directory, run `serve.sh install` into a
brand-new virtualenv (pip may reuse its download cache; nothing from the dev venv is shared), then
`serve.sh start` on a free loopback port, check /_stcore/health and a real page, and stop it.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.st_client import open_view
from tests.e2e.conftest import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def build_context() -> list[str]:
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    patterns = [
        p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip() and not p.startswith("#")
    ]

    def ignored(path: str) -> bool:
        for pat in patterns:
            pat = pat.removeprefix("**/")
            if (
                fnmatch.fnmatch(path, pat)
                or fnmatch.fnmatch(path, pat + "/*")
                or any(fnmatch.fnmatch(part, pat) for part in Path(path).parts)
            ):
                return True
        return False

    return [f for f in files if f and (ROOT / f).is_file() and not ignored(f)]


def test_dockerfile_uses_the_script_slim_nonroot_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    assert re.search(r"^USER (?!root)\w+", text, re.M), "must not run as root"
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert "deploy/serve.sh install" in text and 'CMD ["deploy/serve.sh", "start"]' in text
    ignore = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "data/store", "tests", "test-artifacts"} <= set(ignore)


def test_build_context_has_app_and_data_but_no_tests():
    files = set(build_context())
    assert {
        "app.py",
        "serve.py",
        "requirements.txt",
        "deploy/serve.sh",
        ".streamlit/config.toml",
        "data/results.parquet",
        "data/manifest.json",
    } <= files
    assert not [f for f in files if f.startswith(("tests/", ".git/", ".venv/", "data/store/"))]


def test_serve_script_installs_and_serves_from_clean_directory(tmp_path):
    app_dir = tmp_path / "app"
    for rel in build_context():
        dest = app_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "VIRTUAL_ENV", "PYTHONPATH", "PYTEST"))}
    env.update(
        CCHC_VENV=str(tmp_path / "venv"),
        CCHC_STORE_DIR=str(tmp_path / "no-store"),
        PYTHON=shutil.which("python3") or "python3",
    )
    started = time.monotonic()
    install = subprocess.run(
        ["sh", "deploy/serve.sh", "install"], cwd=app_dir, env=env, capture_output=True, text=True, timeout=600
    )
    install_s = time.monotonic() - started
    assert install.returncode == 0, install.stderr[-3000:]
    assert "data ok:" in install.stdout
    venv_python = tmp_path / "venv" / "bin" / "python"
    assert venv_python.exists()
    # the new venv is self-contained: it does not see the dev venv's packages
    probe = subprocess.run([str(venv_python), "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True)
    assert probe.stdout.strip() == str(tmp_path / "venv")
    assert subprocess.run([str(venv_python), "-c", "import pytest"], capture_output=True).returncode != 0

    port = free_port()
    proc = subprocess.Popen(
        ["sh", "deploy/serve.sh", "start"],
        cwd=app_dir,
        env={**env, "PORT": str(port), "ADDRESS": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, timeout=90)
        view = open_view(base + "/rankings?lang=en&index=papi&year=2019&group=provinces", timeout=90)
        assert view.finished == "FINISHED_SUCCESSFULLY" and not view.exceptions
        table = next(t for t in view.tables if "rank" in t.schema.names)
        assert table.slice(0, 1).to_pylist()[0]["unit"].endswith("#Ben Tre")
        home = open_view(base + "/?lang=vi", timeout=60)
        from cchc_data.i18n import t

        assert home.finished == "FINISHED_SUCCESSFULLY" and t("app.title", "vi") in home.texts
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group only
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    print(f"serve.sh install into a fresh venv: {install_s:.1f}s")


def test_two_replicas_behind_nginx():
    """The documented `make two-replicas` check (`make test` installs nginx with apt, as it does Chromium)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        pytest.fail("nginx not installed: run `make nginx` (apt package nginx)")
    run = subprocess.run(
        [os.environ.get("PYTHON_FOR_CHECK", sys.executable), str(ROOT / "deploy" / "two_replicas.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "two-replica check passed" in run.stdout
