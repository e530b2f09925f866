"""Indices announced without a results table published as text (issue 13): TP.HCM's internal PAR Index (its
departments and districts), a district's own index for its offices (Thanh Xuân), SIPAS by province.

The reference table is data/sources/reference/unpublished_indices.csv; each fact in it quotes a page (the quote is
checked against the page text in ../shared/seeds/ where that copy exists). The one figure-like import here is
SYNTHETIC, generated in the test and labelled so."""

from __future__ import annotations

import csv
import shlex
from pathlib import Path

import pytest

from cchc_data.__main__ import main
from cchc_data.db import fetch_df
from cchc_data.i18n import t
from cchc_data.queries import catalog
from cchc_data.views import methodology as vm

REF = catalog.UNPUBLISHED_TABLE
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def ref_rows() -> list[dict]:
    with open(REF, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_reference_table_says_who_since_how_and_where_from():
    rows = ref_rows()
    assert {r["entry_id"] for r in rows} == {
        "par_hcmc-departments",
        "par_hcmc-districts",
        "district-offices-thanh-xuan",
        "sipas-provinces",
    }
    for r in rows:
        for col in ("publisher_vi", "publisher_en", "scope_vi", "scope_en", "steps_vi", "steps_en", "source_title"):
            assert r[col].strip(), (r["entry_id"], col)
        assert r["source_url"] or r["source_publisher"], r["entry_id"]  # a page without an address names its site
        assert r["index_code"] in ("", *catalog.INDEX_CODES)
        assert r["shown_with"] in catalog.INDEX_CODES
        assert r["shown_until"] in ("any_table", "complete_table")
        assert r["basis"], r["entry_id"]  # where each fact was read


def test_quotes_are_in_the_page_texts():
    """Every quoted sentence of a seed page is in that page's text, word for word (nothing typed in; the pages'
    no-break spaces count as spaces)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present in this checkout")
    pages = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(SEEDS.glob("*.txt")))
    checked = 0
    for r in ref_rows():
        if "shared/seeds" in r["basis"]:
            assert " ".join(r["source_quote"].split()) in pages, r["entry_id"]
            checked += 1
    assert checked == 3


def test_sipas_quote_is_in_the_shipped_facts():
    facts = (Path(REF).parents[1] / "indices" / "par_sipas_additional_facts.csv").read_text(encoding="utf-8")
    (row,) = [r for r in ref_rows() if r["index_code"] == "sipas"]
    assert row["source_quote"] in facts and row["source_url"] in facts


def test_import_commands_use_the_real_importer_flags():
    """Each command parses with the real CLI (argparse exits on an unknown flag) and names its own index/group."""
    import argparse

    from cchc_data.importer import cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="cmd"))
    for r in ref_rows():
        if not r["import_command"]:
            assert r["index_code"] == ""  # a district's own index: the importer has no scope for it yet
            continue
        words = shlex.split(r["import_command"].replace("YYYY", "2024"))  # the placeholder the note names
        assert words[:4] == ["python", "-m", "cchc_data", "import"]
        args = parser.parse_args(words[3:])
        assert (args.index_code, args.group, args.year) == (r["index_code"], r["unit_group"], 2024)
        assert str(args.file) == "FILE" and "URL" in args.source


def test_the_shipped_data_lists_par_hcmc_and_sipas_as_without_a_table():
    df = catalog.unpublished_indices()
    assert set(df.entry_id) == {r["entry_id"] for r in ref_rows()}
    hcmc = df[df.index_code == "par_hcmc"]
    assert set(hcmc.unit_group) == {"departments", "districts"} and (hcmc.n_results == 0).all()
    sipas = df[df.index_code == "sipas"].iloc[0]
    n = int(fetch_df("SELECT count(*) n FROM results WHERE edition_id LIKE 'sipas-%'").n[0])
    assert n > 0 and sipas.n_results == n
    assert catalog.unpublished_index_codes() == ("par_hcmc",)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_view_says_plainly_there_is_no_table_and_gives_the_command(lang):
    view = vm.build_unpublished_view("par_hcmc", lang)
    assert [e.entry_id for e in view.entries] == ["par_hcmc-departments", "par_hcmc-districts"]
    for e in view.entries:
        assert e.status == t("unpub.status_none", lang)
        assert "--index par_hcmc" in e.command and f"--group {e.entry_id.split('-')[1]}" in e.command
        assert "2016" in e.lines[1]
        assert ("19/10/2017" if lang == "vi" else "19 October 2017") in e.source
    (sipas,) = vm.build_unpublished_view("sipas", lang).entries
    assert sipas.status.startswith(t("unpub.status_some", lang, n=0, first=0, last=0).split("0")[0])
    assert "](https://nvsk.vnanet.vn/" in sipas.source  # the address is a working link
    (offices,) = vm.build_unpublished_view("par_hanoi", lang).entries
    assert offices.command == "" and offices.command_note == t("unpub.no_command", lang)
    assert "Thanh Xuân" in offices.title
    assert len(vm.build_unpublished_view(None, lang).entries) == 4
    assert vm.build_unpublished_view("papi", lang).entries == ()


def test_methodology_offers_par_hcmc_but_result_pages_do_not():
    """Decision: an index with no table is a choice on /methodology (with its note), never in the pickers of the
    pages that draw results (rankings, map, components, compare), where it would be a broken choice."""
    assert vm.methodology_index_codes()[-1] == "par_hcmc"
    assert "par_hcmc" not in set(catalog.editions().index_code)


def test_an_imported_table_ends_the_entry(tmp_path, monkeypatch, capsys):
    """Import a SYNTHETIC TP.HCM district table with the command the page prints: that entry leaves the list (the
    departments entry stays) and par_hcmc is no longer an index 'without data'."""
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    (row,) = [r for r in ref_rows() if r["entry_id"] == "par_hcmc-districts"]
    path = tmp_path / "synthetic_hcmc_districts.csv"
    path.write_text("STT,Tên đơn vị,Chỉ số (%)\n1,Quận 1,80.5\n2,Quận 3,70.25\n", encoding="utf-8")  # SYNTHETIC figures
    words = shlex.split(row["import_command"])[3:]
    words = [
        {"FILE": str(path), "YYYY": "2021"}.get(w, w) for w in words
    ]  # the placeholders, as the note says to replace them
    words[words.index("--source") + 1] = "99/QĐ-SYNTH, 01/02/2022, https://example.invalid/synthetic"
    rc = main(words)
    assert rc == 0, capsys.readouterr().err
    df = catalog.unpublished_indices()
    assert "par_hcmc-districts" not in set(df.entry_id) and "par_hcmc-departments" in set(df.entry_id)
    assert catalog.unpublished_index_codes() == ()


# ---------------------------------------------------------------- the pages (AppTest, shipped data)
def _page_links(at) -> list[dict]:
    from google.protobuf.json_format import MessageToDict

    from tests.app.test_links_follow import _elements

    return [MessageToDict(el.proto) for el in _elements(at) if getattr(el, "type", "") == "page_link"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_lists_them_with_a_link_to_their_note(lang):
    from tests.app.helpers import run_page

    at = run_page("pages/overview.py", lang=lang)
    assert not at.exception
    links = [d for d in _page_links(at) if d.get("page") == "methodology"]
    labels = {d["label"] for d in links}
    for entry in vm.build_unpublished_view(None, lang).entries:
        assert entry.label in labels
    assert {d["queryString"] for d in links} >= {f"lang={lang}&index=par_hcmc", f"lang={lang}&index=sipas"}
    assert t("unpub.overview_intro", lang) in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_methodology_page_shows_the_note_and_the_command(lang):
    from tests.app.helpers import run_page

    at = run_page("pages/methodology.py", index="par_hcmc", lang=lang)
    assert not at.exception and not at.info  # no bad-parameter notice: par_hcmc is a choice here
    assert [w.value for w in at.warning] == [t("unpub.status_none", lang)] * 2
    assert [c.value for c in at.code] == [r["import_command"] for r in ref_rows() if r["index_code"] == "par_hcmc"]
    assert not at.dataframe  # no empty components/editions tables for an index without data
    assert t("overview.about.par", lang) not in [m.value for m in at.markdown]  # not the national index's text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_result_pages_do_not_offer_an_index_without_a_table(lang):
    from tests.app.helpers import run_page

    at = run_page("pages/rankings.py", lang=lang)
    index_picker = [w for w in at.selectbox if w.key == "param_index"] + [
        w for w in at.get("button_group") if getattr(w, "key", None) == "param_index"
    ]
    assert index_picker and all("par_hcmc" not in list(w.options) for w in index_picker)
    for page, fallback in (("pages/rankings.py", "par"), ("pages/map.py", "pci")):
        at = run_page(page, index="par_hcmc", lang=lang)
        assert not at.exception
        said = t("unpub.not_here", lang, index=t("index.par_hcmc", lang), fallback=t(f"index.{fallback}", lang))
        assert [i.value for i in at.info] == [said]  # said plainly, not "the value is not valid"
        assert at.query_params["index"] == [fallback] or at.query_params["index"] == fallback
