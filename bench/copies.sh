#!/bin/sh
# bench/copies.sh -- copy detection: accuracy per kind of copy on labelled
# copies of real articles, the natural duplicates of TTC-3600, and
# throughput and memory of the LSH index up to COPIES_SCALE synthetic
# articles (default 1000000; about a minute and 1 GB).  Prints each
# figure under the command that produced it.  Needs $MUHABIR_SHARED/data
# (default ../shared); says so and exits 0 without it.
set -u
BUILD=${BUILD:-build}
COPIES_SCALE=${COPIES_SCALE:-1000000}
MUHABIR_SHARED=${MUHABIR_SHARED:-../shared}
export MUHABIR_SHARED
make -s BUILD="$BUILD" "$BUILD/bench/copies" || exit 1
cmd="$BUILD/bench/copies --scale $COPIES_SCALE"
echo "\$ $cmd"
$cmd
