#!/usr/bin/env bash
# Runs the whole JMH suite the way docs/benchmarks.md was produced, then regenerates that report.
# Takes about 40 minutes on 2 cores. Run from the repository root, on a machine doing nothing else:
#
#   mvn -B -ntp -pl benchmarks -am package -Dmaven.test.skip=true
#   bash benchmarks/run-suite.sh                 # all runs, then the report
#   bash benchmarks/run-suite.sh --report-only   # the report from the JSON files already there
#
# Results go to benchmarks/target/suite/*.json (one file per JMH invocation; a full run first
# removes the old ones); the report generator reads them all and writes docs/benchmarks.md and the
# charts under docs/benchmarks/, with the observations of benchmarks/report-notes.md at the end.
set -euo pipefail

JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=${OUT:-benchmarks/target/suite}
# CPU, OS and library versions, recorded where the benchmarks run (the report may be made elsewhere).
MACHINE=${MACHINE:-$OUT/machine.json}
mkdir -p "$OUT"

jmh() { # file, then JMH arguments
  local file=$1; shift
  echo "== $file: $*" >&2
  java -jar "$JAR" "$@" -prof gc -rf json -rff "$OUT/$file.json"
}

if [[ "${1:-}" != "--report-only" ]]; then
  rm -f "$OUT"/*.json
  java -cp "$JAR" dev.recloser.benchmarks.report.ReportGenerator --describe-machine "$MACHINE"
  CORE='CoreBreakerBenchmark|RejectionBenchmark|RejectionLatencyBenchmark'
  REACTOR='ReactorBreakerBenchmark|ReactorFastFailLatencyBenchmark'
  # Core and Reactor at 1, 2 and 4 threads: on a 2-core machine 4 threads are oversubscribed, which
  # shows how each library degrades when the benchmark threads outnumber the cores.
  for t in 1 2 4; do
    jmh "core-t$t" "$CORE" -t "$t" -f 1 -wi 3 -w 1s -i 5 -r 1s
    jmh "reactor-t$t" "$REACTOR" -t "$t" -f 1 -wi 3 -w 1s -i 5 -r 1s
  done
  # One breaker shared by all threads against one breaker per thread: what contention costs.
  jmh contention-t2 ReactorContentionBenchmark -t 2 -f 1 -wi 3 -w 1s -i 5 -r 1s
  # The WebClient filter on loopback: a whole HTTP call per operation, so two forks against noise
  # and a long warm-up (see WebClientFilterBenchmark's javadoc).
  jmh webclient-t1 WebClientFilterBenchmark -t 1 -f 2 -wi 8 -w 1s -i 8 -r 1s
  jmh webclient-fastfail-t1 WebClientFastFailBenchmark -t 1 -f 1 -wi 3 -w 1s -i 5 -r 1s
  jmh webclient-fastfail-t64 WebClientFastFailBenchmark -t 64 -f 1 -wi 3 -w 1s -i 5 -r 1s
fi

shopt -s nullglob
results=()
for f in "$OUT"/*.json; do
  [[ "$f" == "$MACHINE" ]] || results+=("$f")
done
if (( ${#results[@]} == 0 )); then
  echo "no JMH results in $OUT: run without --report-only first" >&2
  exit 1
fi
machine=()
if [[ -f "$MACHINE" ]]; then
  machine=(--machine "$MACHINE")
fi
java -cp "$JAR" dev.recloser.benchmarks.report.ReportGenerator "${results[@]}" \
    --out docs/benchmarks.md --charts docs/benchmarks --notes benchmarks/report-notes.md "${machine[@]}"
