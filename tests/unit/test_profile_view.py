"""The cached /unit view (cchc_data/ui/unit_view.py) and the plan recorder it draws with (cchc_data/ui/plan.py)."""
from __future__ import annotations

import pickle

import pyarrow as pa

from cchc_data import queries as q
from cchc_data.ui import plan as pl
from cchc_data.ui import unit_view as uv

URL = "http://example.test/unit?unit=p01&index=papi&year=2019&lang=vi"


def _walk(ops):
    for op in ops:
        yield op
        if op[0].startswith("@") and op[0] != "@lazy":
            for kid in op[3]:
                yield from _walk(kid)


def _plain(obj):
    """A plan as plain values (tables as rows), for comparing two plans by content."""
    if isinstance(obj, pa.Table):
        return ("table", obj.schema.names, obj.to_pylist())
    if hasattr(obj, "to_dict") and hasattr(obj, "columns"):
        return ("frame", list(obj.columns), obj.astype(object).where(obj.notna(), None).to_dict("records"))
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def _texts(ops) -> str:
    return "\n".join(str(a) for op in _walk(ops) for a in op[1] if isinstance(a, str))


class _FakeDG:
    """Records what draw() asks of a container, and hands out child containers."""

    def __init__(self, log, path="main"):
        self.log, self.path = log, path

    def columns(self, spec, **kw):
        n = spec if isinstance(spec, int) else len(spec)
        return [_FakeDG(self.log, f"{self.path}/col{i}") for i in range(n)]

    def expander(self, label, **kw):
        return _FakeDG(self.log, f"{self.path}/exp:{label}")

    def container(self, **kw):
        return _FakeDG(self.log, f"{self.path}/box")

    def __getattr__(self, name):
        return lambda *a, **k: self.log.append((self.path, name, a, k))


def test_plan_records_nested_blocks_and_draws_them_in_their_containers():
    p = pl.Plan()
    p.subheader("S")
    left, right = p.columns(2)
    left.markdown("L")
    right.expander("T").caption("in the expander")
    p.container(border=True).metric("m", "1")
    p.lazy_download("png", "cchc_data.ui.unit_view:summary_png", ("x",), key="k")
    ops = pickle.loads(pickle.dumps(p.ops))  # a plan must survive st.cache_data's pickling
    log = []
    pl.draw(ops, _FakeDG(log))
    assert [(path, name, a) for path, name, a, _ in log[:4]] == [
        ("main", "subheader", ("S",)), ("main/col0", "markdown", ("L",)),
        ("main/col1/exp:T", "caption", ("in the expander",)), ("main/box", "metric", ("m", "1"))]
    path, name, args, kwargs = log[4]
    assert name == "download_button" and args[0] == "png" and callable(args[1]) and kwargs == {"key": "k"}


def test_hanoi_papi_2019_plan_holds_ready_pieces_and_a_working_png():
    version = q.data_version()
    ops = uv.plan("p01", "papi", 2019, "vi", URL, version)
    body = _texts(ops)
    assert "Hà Nội" in body and "41,53" in body and URL in body  # the share link and citation use the given URL
    kinds = [op[0] for op in _walk(ops)]
    assert kinds.count("vega_lite_chart") >= 5
    tables = [op[1][0] for op in _walk(ops) if op[0] == "dataframe"]
    assert tables and all(isinstance(tb, pa.Table) for tb in tables)  # converted once, not per run
    specs = [op[2]["spec"] for op in _walk(ops) if op[0] == "vega_lite_chart"]
    assert all(s["config"]["locale"]["number"]["decimal"] == "," for s in specs)
    lazy = [op for op in _walk(ops) if op[0] == "@lazy"]
    assert len(lazy) == 1
    png = pl._factory(*lazy[0][3])()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    csv = [op for op in _walk(ops) if op[0] == "download_button" and op[2].get("key") == "unit_csv"]
    assert len(csv) == 1 and URL.encode() in csv[0][1][1]  # the CSV carries the citation with the link


def test_plan_follows_language_and_is_the_same_from_the_cache():
    version = q.data_version()
    en = uv.plan("p01", "papi", 2019, "en", URL, version)
    assert "41.53" in _texts(en) and "From 2018 to 2019" in _texts(en).replace("\\", "")
    again = uv.plan("p01", "papi", 2019, "en", URL, version)
    assert _plain(again) == _plain(en)
    assert _plain(uv.plan("p01", "papi", 2019, "vi", URL, version)) != _plain(en)


def test_picker_labels_and_context():
    version = q.data_version()
    ids, recs = uv.picker(version)
    assert "p01" in ids and len(ids) == len(recs) == len(set(ids))
    labels = uv.labels("en", version)
    assert set(labels) == set(ids)
    assert labels["p01"].startswith("Hà Nội") or labels["p01"].startswith("Ha Noi")
    # a district's label names its province, looked up once per parent
    district = next(u for u in ids if recs[u]["kind"] == "district" and recs[u].get("parent_unit_id"))
    parent = q.unit(recs[district]["parent_unit_id"])
    assert labels[district].endswith(parent["name_en"] or parent["name_vi"])
    ctx = uv.context("p08-2025", version)  # post-merger: indices of its predecessors
    assert ctx["indices"] and all(code in ctx["years"] for code in ctx["indices"])
    years, default = ctx["years"][ctx["indices"][0]]
    assert default in years


def test_picker_search_folds_accents_and_matches_codes_aliases_and_parents():
    version = q.data_version()
    ids, recs = uv.picker(version)
    assert uv.is_large(version) == (len(ids) > uv.LARGE_PICKER)
    for query in ("Hà Nội", "HA NOI", "ha noi", "Ha-Noi"):
        got, n = uv.search("vi", query, version)
        assert got[0] == "p01", query  # the name starting with the query comes first, provinces first
        order, keys = q.picker_units(version)[0], q.units._search_keys("vi", version)
        assert n >= len(got) and all(" ha" in keys[order.index(u)] for u in got)
    assert uv.search("en", "01", version)[0][0] == "p01"  # the admin code
    assert uv.search("vi", "bo gd dt", version)[0] == ["m-moet"]  # an alias ("Bộ GD&ĐT")
    assert uv.search("vi", "ha tay", version)[0][0] == "p-hatay"  # a merged province is still found
    # every word must start a word: "ha tay" does not match "Châu Thành" (… "thanh") in Tây Ninh
    assert not any("Châu Thành" in uv.labels("vi", version)[u] for u in uv.search("vi", "ha tay", version)[0])
    # a district is found by its province's name too, after the province itself
    got, n = uv.search("vi", "ha noi", version)
    assert any(recs[u]["kind"] == "district" for u in got) and n > 1
    assert uv.search("vi", "", version) == ([], 0) and uv.search("vi", "   ", version) == ([], 0)
    assert uv.search("vi", "zzzq", version) == ([], 0)
    cut, total = uv.search("vi", "h", version, limit=5)
    assert len(cut) == 5 and total > 5
