"""DuckDB loading options at national scale, one option per process (docs/performance.md, item 10):

    python -m benchmarks.duckdb_options memory
    python -m benchmarks.duckdb_options build /tmp/nat.duckdb   # then: file /tmp/nat.duckdb

Prints open/build time, RSS after opening, four /components-shaped queries and a full scan, and peak RSS."""

import os
import resource
import sys
import time

import duckdb
import psutil

from cchc_data.paths import TABLES

D = os.environ.get("CCHC_BENCH_DATA", str(__import__("pathlib").Path(__file__).resolve().parent / "out" / "national"))
opt = sys.argv[1]
p = psutil.Process()
rss0 = p.memory_info().rss
t0 = time.perf_counter()
cfg = {"threads": 2, "memory_limit": "1GB"}
if opt == "memory":
    con = duckdb.connect(":memory:", config=cfg)
    for n in TABLES:  # names from the TABLES allow-list, paths bound
        con.execute(f"CREATE TABLE {n} AS SELECT * FROM read_parquet(?)", [f"{D}/{n}.parquet"])
elif opt == "build":
    path = sys.argv[2]
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    con = duckdb.connect(tmp, config=cfg)
    for n in TABLES:
        con.execute(f"CREATE TABLE {n} AS SELECT * FROM read_parquet(?)", [f"{D}/{n}.parquet"])
    con.execute("CHECKPOINT")
    con.close()
    os.replace(tmp, path)
    print(
        opt,
        "build s",
        round(time.perf_counter() - t0, 2),
        "file MB",
        round(os.path.getsize(path) / 1e6, 1),
        "peak RSS MB",
        round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3),
    )
    sys.exit()
elif opt == "file":
    con = duckdb.connect(sys.argv[2], read_only=True, config=cfg)
elif opt == "views":
    con = duckdb.connect(":memory:", config=cfg)
    for n in TABLES:
        con.read_parquet(f"{D}/{n}.parquet").create_view(n)
if opt != "views":
    con.execute("SET enable_external_access = false")
con.execute("SET lock_configuration = true")
t_open = time.perf_counter() - t0
rss_open = p.memory_info().rss
q = """SELECT r.unit_id, c.component_id, s.score FROM results r JOIN components c ON c.edition_id = r.edition_id
 AND c.unit_group = r.unit_group LEFT JOIN scores s ON s.edition_id = r.edition_id AND s.unit_id = r.unit_id
 AND s.component_id = c.component_id WHERE r.edition_id = 'par-2024' AND r.unit_group = 'communes'
 AND coalesce(c.parent_component_id, '') = ''"""
ts = []
for ed in ["par-2024", "par-2023", "par-2022", "par-2024"]:
    t1 = time.perf_counter()
    n = len(con.sql(q.replace("par-2024", ed)).df())
    ts.append(time.perf_counter() - t1)
t1 = time.perf_counter()
con.sql("SELECT edition_id, count(*), avg(score) FROM scores GROUP BY 1").df()
t_scan = time.perf_counter() - t1
print(
    opt,
    "open s",
    round(t_open, 2),
    "RSS after open MB",
    round(rss_open / 1e6),
    "query ms",
    [round(x * 1000) for x in ts],
    "rows",
    n,
    "full scan ms",
    round(t_scan * 1000),
    "RSS after MB",
    round(p.memory_info().rss / 1e6),
    "peak MB",
    round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3),
)
