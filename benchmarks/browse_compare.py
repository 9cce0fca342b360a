"""Two runs of browse_benchmark.py side by side (--json files): p50 / p95 and
Python CPU and SQL time at each size, and the ratios of the p95s and CPU (issue 17's aim: p95 at
most 150 ms at 25,000 a year and a ratio of at most 1.5).

    .venv/bin/python benchmarks/browse_compare.py /tmp/browse-2500.json /tmp/browse-25000.json
"""

import json
import sys
from pathlib import Path


def main(small_path, large_path):
    small, large = (json.loads(Path(p).read_text()) for p in (small_path, large_path))
    n, m = small["indicators_in_year"], large["indicators_in_year"]
    print(f"| view | {n:,}: p50 / p95 ms | CPU ms | SQL ms | {m:,}: p50 / p95 ms | CPU ms | SQL ms "
          "| p95 ratio | CPU ratio | queries |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, a in small["pages"].items():
        b = large["pages"].get(label)
        if b is None:
            continue
        queries = a["queries"] if a["queries"] == b["queries"] else f"{a['queries']} / {b['queries']}"
        print(f"| {label} | {a['p50']:.0f} / {a['p95']:.0f} | {a['cpu']:.0f} | {a['sql']:.0f} "
              f"| {b['p50']:.0f} / {b['p95']:.0f} | {b['cpu']:.0f} | {b['sql']:.0f} "
              f"| {b['p95'] / a['p95']:.2f} | {b['cpu'] / a['cpu']:.2f} | {queries} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
