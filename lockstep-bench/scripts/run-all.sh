#!/usr/bin/env bash
# Runs every Lockstep benchmark in its short form and writes one JMH JSON file per benchmark,
# then prints the ratio tables that docs/BENCHMARKS.md records.
#
#   lockstep-bench/scripts/run-all.sh [out-dir] [benchmark-regex...]
#
# Settings are the short ones (-f 1 -wi 2 -i 3 -w 1s -r 1s); pass JMH_OPTS to override.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$top/lockstep-bench/target/results}
shift || true
benches=("$@")
(( ${#benches[@]} )) || benches=(MutexBench FloorBench SemaphoreBench RwLockBench BarrierBench
  SpinBench AtomicBench RcuBench StmBench LockOrderBench ChannelBench LockFreeBench)
java=${JAVA:-}
if [[ -z "$java" ]]; then
  for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/temurin-25-jdk-amd64/bin/java java; do
    if [[ -x "$j" ]] || command -v "$j" >/dev/null 2>&1; then java=$j; break; fi
  done
fi
jar=$top/lockstep-bench/target/benchmarks.jar
[[ -f $jar ]] || (cd "$top" && ./mvnw -B -q -DskipTests package -pl lockstep-bench -am)
mkdir -p "$out"
opts=${JMH_OPTS:--f 1 -wi 2 -i 3 -w 1s -r 1s}
for b in "${benches[@]}"; do
  echo "== $b"
  # shellcheck disable=SC2086
  "$java" -jar "$jar" "$b" $opts -rf json -rff "$out/$b.json" > "$out/$b.log" 2>&1 \
    || echo "   $b failed: see $out/$b.log"
done
python3 "$top/lockstep-bench/scripts/ratios.py" "$out"/*.json
