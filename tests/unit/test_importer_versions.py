"""Store versions that were written but never made current (an import killed before the CURRENT pointer swap):
`versions` marks them incomplete, `rollback` refuses them, the next import deletes them and says so. Versions
that were current once and were rolled away from stay normal versions.

All figures are SYNTHETIC (tests/unit/test_importer_safety.base_rows); unit names are real Hà Nội departments.
"""

from __future__ import annotations

import pytest

from cchc_data import store as store_mod
from cchc_data.__main__ import main

from .test_importer import store_hash
from .test_importer_safety import ARGS, _second_table, _verify, kill_import_at, populated_store  # noqa: F401


def _kill_before_pointer(path, store) -> None:
    """SIGKILL an import after the new version is renamed into versions/ but before CURRENT names it."""
    kill_import_at(path, store, "before_pointer")


def _versions(capsys) -> str:
    capsys.readouterr()
    assert main(["versions"]) == 0
    return capsys.readouterr().out


def test_killed_import_leaves_an_incomplete_version_marked_refused_then_deleted(populated_store, tmp_path, capsys):
    store = populated_store
    path = _second_table(tmp_path)
    _kill_before_pointer(path, store)
    assert store_mod.list_versions(store) == ["0001", "0002"]  # written (list_versions is unchanged) ...
    assert store_mod.current_version(store) == "0001"  # ... but never made current
    assert store_mod.version_states(store) == {"0001": "current", "0002": "incomplete"}
    assert store_mod.active_dir() == store / "versions" / "0001"

    out = _versions(capsys)
    lines = out.splitlines()
    assert lines[0].startswith("* 0001  parent=-")
    assert lines[1].startswith("! 0002  ") and "incomplete: never made current" in lines[1]
    assert "chưa hoàn tất" in lines[1] and "parent=" not in lines[1]

    # rollback refuses it, with the bilingual message, and changes nothing.
    before = store_hash(store)
    capsys.readouterr()
    assert main(["rollback", "0002"]) == 2
    err = capsys.readouterr().err
    assert "LỖI/ERROR" in err and "version 0002 is incomplete" in err and "never made current" in err
    assert "chưa hoàn tất" in err and "\n  en: Cannot roll back" in err
    assert store_hash(store) == before
    with pytest.raises(ValueError, match="incomplete"):
        store_mod.rollback("0002", store)

    # The next import writes 0003 on top of 0001, deletes 0002, and says so.
    capsys.readouterr()
    assert main(["import", str(path), *ARGS]) == 0
    out = capsys.readouterr().out
    assert "written as version 0003" in out and "deleted incomplete version 0002" in out
    assert store_mod.list_versions(store) == ["0001", "0003"]
    assert store_mod.read_manifest(store / "versions" / "0003")["parent"] == "0001"
    assert _verify(store) == "0003"
    assert "!" not in _versions(capsys)


def test_rolled_back_version_is_not_incomplete(populated_store, tmp_path, capsys):
    """0002 was current and was rolled away from: a normal version, rollback to it works, imports keep it."""
    store = populated_store
    path = _second_table(tmp_path)
    assert main(["import", str(path), *ARGS]) == 0
    assert main(["rollback"]) == 0
    assert store_mod.version_states(store) == {"0001": "current", "0002": "kept"}
    out = _versions(capsys)
    assert "! " not in out and "  0002  parent=0001" in out
    assert main(["import", str(path), *ARGS]) == 0
    assert store_mod.list_versions(store) == ["0001", "0002", "0003"]
    assert main(["rollback", "0002"]) == 0 and store_mod.current_version(store) == "0002"


def test_first_import_killed_leaves_shipped_data_and_an_incomplete_version(tmp_path, monkeypatch, capsys):
    from .test_importer_safety import base_rows, write

    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    store = tmp_path / "store"
    monkeypatch.setenv("CCHC_STORE_DIR", str(store))
    path = tmp_path / "first.csv"
    write(path, base_rows(), "csv")
    _kill_before_pointer(path, store)
    assert store_mod.current_version(store) is None and store_mod.list_versions(store) == ["0001"]
    assert store_mod.version_states(store) == {"0001": "incomplete"}
    out = _versions(capsys)
    assert out.startswith("! 0001") and "no version active: the shipped data" in out
    assert main(["rollback", "0001"]) == 2
    assert main(["import", str(path), *ARGS]) == 0
    assert store_mod.list_versions(store) == ["0002"] and _verify(store) == "0002"


def _commit(store, n: int) -> list[str]:
    from cchc_data.store import read_tables

    tables = read_tables()
    return [store_mod.commit_version(tables, f"synthetic {i}", store) for i in range(n)]


def test_crash_after_pointer_before_history_counts_as_made_current(tmp_path, monkeypatch):
    """Killed between the pointer swap and the HISTORY line: the version is current, so it is complete; the next
    write records it, and after a rollback it stays a normal version."""
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    store = tmp_path / "store"
    assert _commit(store, 2) == ["0001", "0002"]
    history = (store / store_mod.HISTORY).read_text().splitlines(keepends=True)
    # Drop 0002's line and leave half of it, as a crash during the append would.
    (store / store_mod.HISTORY).write_text("".join(history[:-1]) + history[-1][:3])
    assert store_mod.version_states(store) == {"0001": "kept", "0002": "current"}
    assert store_mod.rollback("0001", store) == "0001"
    assert store_mod.version_states(store) == {"0001": "current", "0002": "kept"}


def test_store_written_before_history_existed(tmp_path, monkeypatch):
    """An older store has no HISTORY: its versions are listed as normal versions; the next write starts the record."""
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    store = tmp_path / "store"
    _commit(store, 2)
    store_mod.rollback("0001", store)
    (store / store_mod.HISTORY).unlink()
    assert store_mod.version_states(store) == {"0001": "current", "0002": "kept"}
    assert _commit(store, 1) == ["0003"]
    assert store_mod.version_states(store) == {"0001": "kept", "0002": "kept", "0003": "current"}
    assert store_mod.list_versions(store) == ["0001", "0002", "0003"]


def test_an_incomplete_version_takes_no_place_among_the_kept_ten(tmp_path, monkeypatch):
    from cchc_data.store import read_tables

    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    store = tmp_path / "store"
    names = _commit(store, store_mod.KEEP_VERSIONS)
    # A commit stopped after the rename, before the pointer swap (in process: the swap raises).
    with monkeypatch.context() as m:

        def stopped(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store_mod, "_write_pointer", stopped)
        with pytest.raises(KeyboardInterrupt):
            store_mod.commit_version(read_tables(), "stopped", store)
    assert store_mod.incomplete_versions(store) == ["0011"]
    assert store_mod.current_version(store) == names[-1]
    assert _commit(store, 1) == ["0012"]
    assert store_mod.list_versions(store) == names[1:] + ["0012"]  # ten complete versions kept
    assert (store / store_mod.HISTORY).read_text().count("\tcommit\n") == len(names) + 1
