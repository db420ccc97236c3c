#!/bin/sh
# bench/ingest_bench.sh -- end-to-end ingest throughput of the muhabir CLI.
#
# For each size in BENCH_SIZES it generates (once, cached) a corpus of
# realistic noisy pages with build/bench/gen_corpus from the TTC-3600
# texts, then times one single-process `muhabir ingest` of it into a fresh
# database under /usr/bin/time -v, and prints pages/s, MB/s (input bytes /
# wall seconds), peak RSS and database size, each with the command that
# produced it.  Pages/s counts generated pages (duplicates included: they
# go through reading, extraction and hashing too).
#
# Environment: BUILD (build), BENCH_DIR (/tmp/muhabir-bench: corpora and
# databases, ~3 KB of disk a page plus the database), BENCH_SIZES
# ("10000 100000"; add 1000000 for the 1M run), BENCH_FORMAT (dir | jsonl),
# BENCH_SEED (1), MUHABIR_SHARED (../shared).
# Output: human lines, plus one "RESULT ingest ..." line per size for
# scripts.  Exit 77 when the TTC-3600 data is absent.
set -u
BUILD=${BUILD:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/muhabir-bench}
BENCH_SIZES=${BENCH_SIZES:-"10000 100000"}
BENCH_FORMAT=${BENCH_FORMAT:-dir}
BENCH_SEED=${BENCH_SEED:-1}
MUHABIR_SHARED=${MUHABIR_SHARED:-../shared}
export MUHABIR_SHARED

die() { echo "ingest_bench: $*" >&2; exit 1; }

[ -d "$MUHABIR_SHARED/data/ttc3600" ] || { echo "ingest_bench: no $MUHABIR_SHARED/data/ttc3600, skipped"; exit 77; }
[ -x "$BUILD/muhabir" ] || die "no $BUILD/muhabir (make -j2 $BUILD/muhabir)"
[ -x "$BUILD/bench/gen_corpus" ] || die "no $BUILD/bench/gen_corpus (make $BUILD/bench/gen_corpus)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install -y time)"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"

echo "# ingest bench: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# muhabir $("$BUILD/muhabir" --version 2>/dev/null | head -1)"

for n in $BENCH_SIZES; do
    corpus="$BENCH_DIR/corpus-$BENCH_FORMAT-$n-s$BENCH_SEED"
    stamp="$corpus/.generated"
    # A corpus is reused only when the same generator binary wrote it.
    genid=$(cksum < "$BUILD/bench/gen_corpus" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || ! grep -q "^gen=$genid\$" "$stamp"; then
        rm -rf "$corpus"
        gen="$BUILD/bench/gen_corpus -n $n -s $BENCH_SEED -f $BENCH_FORMAT -o $corpus"
        echo "\$ $gen"
        $gen > "$BENCH_DIR/gen.out" || die "gen_corpus failed"
        cat "$BENCH_DIR/gen.out"
        echo "gen=$genid" >> "$BENCH_DIR/gen.out"
        mv "$BENCH_DIR/gen.out" "$stamp"
    fi
    bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$stamp")
    pages=$(sed -n 's/^pages=\([0-9]*\).*/\1/p' "$stamp")

    db="$BENCH_DIR/bench-$BENCH_FORMAT-$n.db"
    rm -f "$db" "$db-wal" "$db-shm"
    # Warm the page cache with the input so the figure is muhabir's work,
    # not the disk's (the corpus was usually just written anyway).
    find "$corpus" -type f -exec cat {} + > /dev/null 2>&1
    tv="$BENCH_DIR/time-$n.txt"
    log="$BENCH_DIR/ingest-$n.log"
    cmd="$BUILD/muhabir ingest --db $db $corpus"
    echo "  load average before: $(cut -d' ' -f1-3 /proc/loadavg) (wall-clock figures need an idle machine)"
    echo "\$ MUHABIR_INGEST_TIMES=1 /usr/bin/time -v $cmd"
    MUHABIR_INGEST_TIMES=1 /usr/bin/time -v -o "$tv" $cmd > "$log" 2>&1
    rc=$?
    # Exit 1 with a summary means some pages were rejected (named in the
    # log); anything else is a failure.
    summary=$(grep -E '^[0-9]+ new, [0-9]+ already stored' "$log" | tail -1)
    rejected=$(grep -c 'rejected:' "$log")
    echo "  | $summary"
    # Where the time went: pass 1 on the workers, the rest on the store
    # thread (src/db.c, "Pipeline").
    grep '^ingest steps' "$log" | sed 's/^/  | /'
    [ "$rejected" -gt 0 ] && grep 'rejected:' "$log" | sed 's/.*rejected: //' | sort | uniq -c |
        sort -rn | head -5 | sed 's/^/  | rejected: /'
    if [ -z "$summary" ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; }; then
        tail -5 "$log" >&2
        die "ingest exited $rc (log: $log)"
    fi

    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tv" |
           awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    user=$(sed -n 's/.*User time (seconds): //p' "$tv")
    sys=$(sed -n 's/.*System time (seconds): //p' "$tv")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tv")
    dbb=$(cat "$db" "$db-wal" 2>/dev/null | wc -c)
    awk -v n="$pages" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
        -v d="$dbb" -v f="$BENCH_FORMAT" 'BEGIN {
        if (w <= 0) w = 0.01;
        c = u + s; if (c <= 0) c = 0.01;
        printf "ingest %d pages (%s, %.1f MB): %.1f s wall (%.1f user, %.1f sys): %.0f pages/s, %.2f MB/s, peak RSS %.1f MB, db %.1f MB\n",
            n, f, b / 1e6, w, u, s, n / w, b / 1e6 / w, r / 1024, d / 1e6
        printf "  per CPU second (user+sys; the figure when the machine is shared): %.0f pages/s, %.2f MB/s\n",
            n / c, b / 1e6 / c
        printf "RESULT ingest n=%d format=%s wall_s=%.2f cpu_s=%.2f pages_per_s=%.0f mb_per_s=%.2f pages_per_cpu_s=%.0f rss_mb=%.1f db_mb=%.1f\n",
            n, f, w, c, n / w, b / 1e6 / w, n / c, r / 1024, d / 1e6
    }'
    echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
