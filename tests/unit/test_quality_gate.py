"""The quality gate catches what it exists for: a back-pointing import, a page that queries, an unexplained
import inside a function. Each check runs on a copy of the tree, first clean, then with one wrong line added."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    for name in ("cchc_data", "pages", "tools"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "app.py"):
        shutil.copy(ROOT / name, copy / name)
    return copy


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (make setup-dev)")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


def _check_layers(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(tree / "tools" / "check_layers.py")], cwd=tree, capture_output=True, text=True
    )


def _append(path: Path, line: str) -> str:
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + line + "\n", encoding="utf-8")
    return before


def test_a_query_module_importing_the_ui_fails_the_layer_contract(tree):
    clean = _lint_imports(tree)
    assert clean.returncode == 0, clean.stdout[-3000:]
    target = tree / "cchc_data" / "queries" / "__init__.py"
    before = _append(target, "from cchc_data.ui import text as _back_pointing  # noqa")
    try:
        broken = _lint_imports(tree)
    finally:
        target.write_text(before, encoding="utf-8")
    assert broken.returncode != 0
    assert "cchc_data.queries is not allowed to import cchc_data.ui" in broken.stdout


def test_a_page_importing_duckdb_or_holding_sql_fails_the_page_check(tree):
    clean = _check_layers(tree)
    assert clean.returncode == 0, clean.stdout[-3000:]
    page = tree / "pages" / "overview.py"
    before = _append(page, 'import duckdb\nROWS = "SELECT * FROM results"')
    try:
        broken = _check_layers(tree)
    finally:
        page.write_text(before, encoding="utf-8")
    assert broken.returncode == 1
    assert "pages/overview.py" in broken.stdout and "imports duckdb" in broken.stdout
    assert "SQL in a page" in broken.stdout


def test_an_unexplained_import_inside_a_function_fails_the_check(tree):
    target = tree / "cchc_data" / "fmt.py"
    before = _append(target, "def _late():\n    import json\n    return json")
    try:
        broken = _check_layers(tree)
    finally:
        target.write_text(before, encoding="utf-8")
    assert broken.returncode == 1
    assert "cchc_data/fmt.py" in broken.stdout and "import inside _late()" in broken.stdout
