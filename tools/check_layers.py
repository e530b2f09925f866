"""Layer rules that import-linter cannot see (pages/ and app.py are scripts, not a package).

- Pages and app.py never import duckdb or cchc_data.db and hold no SQL.
- No import inside a function, except where a comment on that line or the line above says why
  (a measured start-up cost, an optional dependency, a cycle broken on purpose).
Exit 1 with one line per violation: path:line: what."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
PACKAGE = sorted((ROOT / "cchc_data").rglob("*.py"))
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b[\s\S]*\bFROM\b|\bCREATE\s+(TABLE|VIEW)\b", re.I)
FORBIDDEN_IN_PAGES = ("duckdb", "cchc_data.db")


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        return [base, *(f"{base}.{a.name}" for a in node.names)]
    return []


def page_violations(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    out = []
    for node in ast.walk(tree):
        for name in _imported(node):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_PAGES):
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}: a page imports {name} (queries live in cchc_data)")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}: SQL in a page (move it to cchc_data.queries)")
    return out


def _explained(lines: list[str], index: int) -> bool:
    """A comment on the import's line, or above the block of import lines it belongs to."""
    if "#" in lines[index]:
        return True
    i = index - 1
    while i >= 0 and lines[i].strip().startswith(("import ", "from ")):
        if "#" in lines[i]:
            return True
        i -= 1
    return i >= 0 and lines[i].strip().startswith("#")


def inner_import_violations(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines), filename=str(path))
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import | ast.ImportFrom):
                if not _explained(lines, node.lineno - 1):
                    names = ", ".join(_imported(node)[:2])
                    out.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: import inside {fn.name}() ({names}) "
                        "without a comment saying why"
                    )
    return out


def main() -> int:
    problems = [p for path in SCRIPTS for p in page_violations(path)]
    problems += [p for path in PACKAGE for p in inner_import_violations(path)]
    problems = sorted(set(problems))
    for line in problems:
        print(line)
    print(f"check_layers: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
