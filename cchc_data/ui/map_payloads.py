"""Spec size in bytes of each map kind built from the shipped data (for the performance benchmark and its test).

It runs queries and chart builders together, so it sits above both (charts never query)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..charts.maps import choropleth, map_legend, map_panel, spec_bytes, value_domain
from ..queries import catalog
from ..queries import maps as qmap
from ..views.map import map_rows


def map_payloads(lang: str = "vi") -> dict[str, int]:
    """Spec size in bytes of each map kind built from the shipped data (for the performance benchmark)."""
    out: dict[str, int] = {}

    def one(edition_id: str, choice: str, year: int) -> alt.TopLevelMixin:
        layer = qmap.layer_for(choice, year)
        shapes, _ = qmap.join_layer(qmap.map_values(edition_id), layer)
        rows = map_rows(shapes, lang)
        return choropleth(rows, qmap.load_layer(layer), lang, "total", value_domain(rows.value))

    pci = catalog.editions("pci")
    year = int(pci.year.max())
    out["provinces_63"] = spec_bytes(one(f"pci-{year}", "provinces", year))
    hanoi = catalog.editions("par_hanoi")
    hyear = int(hanoi.year.max())
    for choice in ("hanoi", "hcmc", "districts"):
        out[choice if choice == "districts" else f"districts_{choice}"] = spec_bytes(
            one(f"par_hanoi-{hyear}", choice, hyear)
        )
    # The 34-province map has no shipped edition yet: measure it with an all-"no data" layer.
    shapes34 = qmap.join_layer(qmap.map_values(f"pci-{year}").iloc[0:0], "provinces_34")[0]
    out["provinces_34"] = spec_bytes(
        choropleth(map_rows(shapes34, lang), qmap.load_layer("provinces_34"), lang, "total")
    )
    years = [int(y) for y in pci.year.tolist()[-4:]]
    series = qmap.map_series([f"pci-{y}" for y in years])
    parts = []
    for y in years:
        s, _ = qmap.join_layer(series[series.year == y], "provinces_63")
        s["year"] = y
        parts.append(s)
    rows = map_rows(pd.concat(parts, ignore_index=True), lang)
    topo, domain = qmap.load_layer("provinces_63"), value_domain(rows.value)
    out["multiples_provinces_63_x4"] = spec_bytes(map_legend(lang, "total", domain)) + sum(
        spec_bytes(map_panel(rows[rows.year == y].reset_index(drop=True), topo, lang, "total", domain, str(y)))
        for y in years
    )  # one chart per year (each inlines the TopoJSON here; the page sends its URL)
    return out
