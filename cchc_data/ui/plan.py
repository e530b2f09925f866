"""Ready-to-draw plans: a view's elements recorded once (in a cached function) and drawn on every run.

A page whose content below its pickers depends only on the view (params, language, data version) can build it
as a Plan inside st.cache_data and draw the cached ops each run: no per-run pandas work, frame hashing for chart
specs or DataFrame-to-Arrow conversion. Ops are plain tuples (picklable):
  (method, args, kwargs)                       an element: getattr(container, method)(*args, **kwargs)
  ("@columns"|"@expander"|"@container", args, kwargs, [child op lists])   a block and what goes in it
  ("@lazy", (label,), kwargs, (factory, fargs)) a download button whose data is factory(*fargs), made on click;
                                               factory is "package.module:function"."""
from __future__ import annotations

import importlib

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from .charts import chart_spec


class Plan:
    """Records st-like calls (the subset the profile pages use) as ops."""

    def __init__(self):
        self.ops: list = []

    def _add(self, name, *args, **kwargs):
        self.ops.append((name, args, kwargs))

    def header(self, *a, **k): self._add("header", *a, **k)
    def subheader(self, *a, **k): self._add("subheader", *a, **k)
    def caption(self, *a, **k): self._add("caption", *a, **k)
    def markdown(self, *a, **k): self._add("markdown", *a, **k)
    def metric(self, *a, **k): self._add("metric", *a, **k)
    def warning(self, *a, **k): self._add("warning", *a, **k)
    def info(self, *a, **k): self._add("info", *a, **k)
    def code(self, *a, **k): self._add("code", *a, **k)
    def page_link(self, *a, **k): self._add("page_link", *a, **k)
    def download_button(self, *a, **k): self._add("download_button", *a, **k)

    def chart(self, builder, *args, width="stretch", **kwargs):
        """ui.charts.show_chart's element: the builder's cached spec."""
        self._add("vega_lite_chart", spec=chart_spec(builder, *args, **kwargs), width=width, alt=None, key=None)

    def dataframe(self, df: pd.DataFrame, **kwargs):
        """st.dataframe's element, with the frame already in Arrow (the conversion st.dataframe would make)."""
        self._add("dataframe", dataframe_util.convert_pandas_df_to_arrow_table(df), **kwargs)

    def lazy_download(self, label, factory: str, fargs: tuple, **kwargs):
        self.ops.append(("@lazy", (label,), kwargs, (factory, fargs)))

    def _block(self, name, n, *args, **kwargs) -> list["Plan"]:
        kids = [Plan() for _ in range(n)]
        self.ops.append((name, args, kwargs, [k.ops for k in kids]))
        return kids

    def columns(self, spec, **kwargs) -> list["Plan"]:
        return self._block("@columns", spec if isinstance(spec, int) else len(spec), spec, **kwargs)

    def expander(self, label, **kwargs) -> "Plan":
        return self._block("@expander", 1, label, **kwargs)[0]

    def container(self, **kwargs) -> "Plan":
        return self._block("@container", 1, **kwargs)[0]


def _factory(path: str, fargs: tuple):
    module, _, name = path.partition(":")
    fn = getattr(importlib.import_module(module), name)
    return lambda: fn(*fargs)


def draw(ops: list, dg=None) -> None:
    """Draw a plan's ops into `dg` (the main area by default)."""
    dg = st if dg is None else dg
    for op in ops:
        name, args, kwargs = op[0], op[1], op[2]
        if name == "@columns":
            for col, kid in zip(dg.columns(*args, **kwargs), op[3]):
                draw(kid, col)
        elif name == "@expander":
            draw(op[3][0], dg.expander(*args, **kwargs))
        elif name == "@container":
            draw(op[3][0], dg.container(*args, **kwargs))
        elif name == "@lazy":
            dg.download_button(args[0], _factory(*op[3]), **kwargs)
        else:
            getattr(dg, name)(*args, **kwargs)
