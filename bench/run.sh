#!/bin/sh
# bench/run.sh -- `make bench`: ingest throughput, then query latency on
# the databases the ingest bench built.  Same environment as
# bench/ingest_bench.sh (BUILD, BENCH_DIR, BENCH_SIZES, BENCH_FORMAT,
# BENCH_SEED, MUHABIR_SHARED) plus QUERY_REPS (200) and QUERY_SECONDS (2,
# the time bound per query).  Skips (exit 0 with a note) without the
# TTC-3600 data.
set -u
BUILD=${BUILD:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/muhabir-bench}
BENCH_SIZES=${BENCH_SIZES:-"10000 100000"}
BENCH_FORMAT=${BENCH_FORMAT:-dir}
QUERY_REPS=${QUERY_REPS:-200}
QUERY_SECONDS=${QUERY_SECONDS:-2}
export BUILD BENCH_DIR BENCH_SIZES BENCH_FORMAT

sh bench/ingest_bench.sh
rc=$?
if [ "$rc" -eq 77 ]; then
    echo "bench: TTC-3600 data not found (MUHABIR_SHARED), nothing measured"
    exit 0
fi
[ "$rc" -eq 0 ] || exit "$rc"

for n in $BENCH_SIZES; do
    db="$BENCH_DIR/bench-$BENCH_FORMAT-$n.db"
    cmd="$BUILD/bench/query_bench --db $db -n $QUERY_REPS -t $QUERY_SECONDS"
    echo
    echo "\$ $cmd"
    $cmd || exit 1
done
