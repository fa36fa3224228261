#!/usr/bin/env python3
"""Prints, for each JMH result file, the score of every `impl` relative to `lockstep`.

Rows are (benchmark method, other params); columns are impls. A ratio > 1 means the impl is
faster than lockstep for throughput modes and slower for time modes; the `lockstep vs` columns
always read "how many times better lockstep is" (higher is better for lockstep). Files without a
`lockstep` impl (LockOrderBench: off/on/guava) use their first impl as the base.
"""
import json, sys
from collections import OrderedDict

def better_ratio(mode, lockstep, other):
    # Throughput: higher is better. Average/sample time: lower is better.
    if mode in ("thrpt",):
        return lockstep / other if other else float("inf")
    return other / lockstep if lockstep else float("inf")

for path in sys.argv[1:]:
    try:
        runs = json.load(open(path))
    except Exception as e:  # an empty or broken file: the log says why
        print(f"\n{path}: unreadable ({e})")
        continue
    if not runs:
        continue
    table = OrderedDict()
    impls = []
    for r in runs:
        params = dict(r.get("params") or {})
        impl = params.pop("impl", None)
        if impl is None:
            continue
        key = (r["benchmark"].rsplit(".", 1)[-1], tuple(sorted(params.items())))
        table.setdefault(key, {})[impl] = (r["mode"], r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"],
                                          r["primaryMetric"].get("scoreError"))
        if impl not in impls:
            impls.append(impl)
    if not table:
        continue
    base_impl = "lockstep" if "lockstep" in impls else impls[0]   # LockOrderBench: "off"
    others = [i for i in impls if i != base_impl]
    name = runs[0]["benchmark"].rsplit(".", 2)[-2]
    print(f"\n### {name}\n")
    print("| method | params | " + " | ".join(f"{base_impl} vs {o}" for o in others) + " |")
    print("|---|---|" + "---|" * len(others))
    for (method, params), row in table.items():
        ps = ", ".join(f"{k}={v}" for k, v in params) or "—"
        cells = []
        base = row.get(base_impl)
        for o in others:
            if base is None or o not in row:
                cells.append("—")
            else:
                cells.append(f"{better_ratio(base[0], base[1], row[o][1]):.2f}×")
        print(f"| {method} | {ps} | " + " | ".join(cells) + " |")
