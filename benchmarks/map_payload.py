"""Print the size of each map's Vega-Lite spec (bytes the browser receives), built from the shipped data.

    .venv/bin/python -m benchmarks.map_payload

The 705-district map must stay <= 1.5 MB (tests/unit/test_geo_build.py checks it too)."""

from __future__ import annotations

import json
import logging
import sys

LIMIT = 1_500_000


def main() -> int:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from cchc_data.ui.map_payloads import map_payloads

    sizes = map_payloads()
    for name, size in sizes.items():
        print(f"{name:28s} {size:>10,d} bytes")
    print(json.dumps({"map_payload_bytes": sizes, "limit": LIMIT}))
    return 0 if sizes["districts"] <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
