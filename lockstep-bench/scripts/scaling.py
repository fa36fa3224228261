#!/usr/bin/env python3
"""Prints the thread-scaling tables of a scaling.sh run: for each benchmark and thread count (or
channel shape), how many times better Lockstep is than each peer (peer time / Lockstep time in
time modes, Lockstep throughput / peer throughput in throughput modes; > 1 means Lockstep wins).

    python3 lockstep-bench/scripts/scaling.py <out-dir>/scaling.csv
"""
import csv
import sys
from collections import defaultdict

# The Lockstep implementations of each impl family; peers are the family's other impls.
OURS = {"": ["lockstep"], "bounded": ["bounded/lockstep"], "rendezvous": ["rendezvous/lockstep"],
        "stack": ["stack/treiber", "stack/elimination"], "queue": ["queue/ms", "queue/mpmcArray"]}


def better(mode, ours, peer):
    return ours / peer if mode == "thrpt" else peer / ours


def main(path):
    rows, section = [], []
    for line in open(path).read().splitlines() + ['"Benchmark"']:     # one section per JMH run
        if line.startswith('"Benchmark"') and section:
            rows += list(csv.DictReader(section))
            section = []
        if line.strip():
            section.append(line)
    cells = defaultdict(dict)        # (benchmark, family, point) -> impl -> (mode, score)
    for r in rows:
        impl = r.get("Param: impl", "")
        family = impl.split("/")[0] if "/" in impl else ""
        point = r.get("Param: shape") or f"{r['Threads']} threads"
        bench = r["Benchmark"].split(".")[-2] + "." + r["Benchmark"].split(".")[-1]
        cells[(bench, family, point)][impl] = (r["Mode"], float(r["Score"]))
    tables = defaultdict(list)
    for (bench, family, point), impls in cells.items():
        mine = OURS.get(family, [])
        for ours in (o for o in mine if o in impls):
            mode, base = impls[ours]
            ratios = {p: better(mode, base, s) for p, (_, s) in impls.items() if p not in mine}
            tables[(bench, ours)].append((point, ratios))
    for (bench, ours), points in sorted(tables.items()):
        peers = sorted({p for _, r in points for p in r})
        print(f"\n{bench} — {ours} vs")
        print("| point | " + " | ".join(peers) + " |")
        print("|---|" + "---|" * len(peers))
        for point, r in sorted(points, key=lambda x: (len(x[0]), x[0])):
            print(f"| {point} | " + " | ".join(f"{r[p]:.2f}×" if p in r else "" for p in peers) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
