"""Command line: python -m cchc_data {build,import,versions,rollback}."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import SHIPPED_DATA_DIR, sources_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cchc_data")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate data/*.parquet from data/sources/")
    b.add_argument("--out", type=Path, default=SHIPPED_DATA_DIR)
    b.add_argument("--sources", type=Path, default=sources_dir())
    # The importer and the build load pyarrow, openpyxl and geopandas: imported when the command needs them,
    # so `python -m cchc_data versions` stays quick.
    from .importer.cli import register as register_importer

    register_importer(sub)
    args = parser.parse_args(argv)
    if args.command == "build":
        from .build.main import build  # see above: geopandas only for a build

        manifest = build(args.sources, args.out)
        for name, info in manifest["tables"].items():
            print(f"{name:14s} {info['rows']:>7d} rows")
        print(f"data_version {manifest['data_version']}")
        return 0
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
