#!/usr/bin/env bash
# Thread-scaling curves (1 to 16 threads) for the benchmarks whose ratios can change with the
# core count, in one short run, on a many-core machine that may have no Java of its own.
#
#   lockstep-bench/scripts/scaling.sh <java> <benchmarks.jar> <out-dir>
#   python3 lockstep-bench/scripts/scaling.py <out-dir>/scaling.csv     # the ratio tables
#
# Settings are deliberately short (-f 1 -wi 1 -i 2 -w 500ms -r 1s): a curve, not a verdict per
# point. Every JMH run appends its CSV, header included, to one file (JMH's own columns,
# Threads included); scaling.py reads it section by section.
set -uo pipefail
java=$1 jar=$2 out=$3
mkdir -p "$out"
opts=(-f 1 -wi 1 -i 2 -w 500ms -r 1s -rf csv)
csv="$out/scaling.csv"
: > "$csv"
run() {   # run <name> <jmh args...>
  local name=$1; shift
  "$java" -jar "$jar" "$@" "${opts[@]}" -rff "$out/$name.csv" >> "$out/scaling.log" 2>&1 \
    || echo "$name failed" >> "$out/scaling.log"
  cat "$out/$name.csv" >> "$csv"
  rm -f "$out/$name.csv"
}
for t in 1 2 4 8 16; do
  run mutex-$t 'MutexBench.contended' -t "$t"
  run rwlock-$t 'RwLockBench.readMostly' -t "$t"
  run lockfree-$t 'LockFreeBench' -t "$t" -p impl=stack/treiber,stack/cld,queue/ms,queue/mpmcArray,queue/clq
done
run channel 'ChannelBench' -p threads=platform -p shape=1P1C,4P4C,8P8C \
  -p impl=bounded/lockstep,bounded/abq,bounded/jctools,rendezvous/lockstep,rendezvous/sq
echo done >> "$out/scaling.log"
