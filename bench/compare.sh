#!/bin/sh
# bench/compare.sh -- is one muhabir binary faster than another at ingest?
#
#   sh bench/compare.sh [-n ROUNDS] [-c CORPUS] [-o OUT] BIN_A BIN_B [BIN...]
#
# The speed of this VM drifts by 20 to 40% within minutes (bench/README.md),
# so two binaries timed one after the other say little.  This runs them in
# turn, round after round (A B A B ...), each into a fresh database with
# the same command as bench/ingest_bench.sh, and prints for each binary the
# median, least and greatest wall time and the median CPU time (user+sys),
# then for each binary after the first how many rounds it won against the
# first.  A change is faster when it wins most rounds and its median is
# lower; a median within a few percent with rounds split is noise.
#
# CORPUS: a folder of pages (default: the 10k corpus of ingest_bench.sh,
# $BENCH_DIR/corpus-dir-10000-s1, which must exist: run ingest_bench.sh
# once).  ROUNDS: 5.  OUT: where each run's line goes (default
# $BENCH_DIR/compare.out).  Databases go to $BENCH_DIR/compare-K.db.
# A binary that fails (exit status other than 0 or 1, or no summary line)
# stops the comparison with its log.
set -u
BENCH_DIR=${BENCH_DIR:-/tmp/muhabir-bench}
rounds=5
corpus="$BENCH_DIR/corpus-dir-10000-s1"
out="$BENCH_DIR/compare.out"

die() { echo "compare: $*" >&2; exit 1; }
usage() { echo "usage: sh bench/compare.sh [-n ROUNDS] [-c CORPUS] [-o OUT] BIN_A BIN_B [BIN...]" >&2; exit 2; }

while getopts n:c:o: opt; do
    case $opt in
        n) rounds=$OPTARG ;;
        c) corpus=$OPTARG ;;
        o) out=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || usage
case $rounds in ''|*[!0-9]*) usage ;; esac
[ "$rounds" -ge 1 ] || usage
[ -d "$corpus" ] || die "no corpus $corpus (sh bench/ingest_bench.sh makes it)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install -y time)"
for b in "$@"; do
    [ -x "$b" ] || die "$b is not an executable"
done
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
: > "$out" || die "cannot write $out"

pages=$(find -L "$corpus" -type f | wc -l)
find -L "$corpus" -type f -exec cat {} + > /dev/null 2>&1
echo "# compare: $rounds rounds of $# binaries on $corpus ($pages files), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# each run: /usr/bin/time -f '%e %U %S %M' BIN ingest --db DB $corpus"

r=1
while [ "$r" -le "$rounds" ]; do
    k=1
    for b in "$@"; do
        db="$BENCH_DIR/compare-$k.db"
        rm -f "$db" "$db-wal" "$db-shm"
        log="$BENCH_DIR/compare-$k.log"
        /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/compare.time" \
            "$b" ingest --db "$db" "$corpus" > "$log" 2>&1
        rc=$?
        if { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; } ||
           ! grep -qE '^[0-9]+ new, [0-9]+ already stored' "$log"; then
            tail -5 "$log" >&2
            die "$b exited $rc (log: $log)"
        fi
        line="$r $k $(tail -1 "$BENCH_DIR/compare.time")"
        echo "$line" >> "$out"
        echo "  round $r, binary $k: $(echo "$line" | awk '{printf "wall %.2f s, CPU %.2f s, peak RSS %d MB", $3, $4 + $5, $6 / 1024}')"
        k=$((k + 1))
    done
    r=$((r + 1))
done
rm -f "$BENCH_DIR/compare.time"

k=1
for b in "$@"; do
    awk -v k="$k" -v b="$b" -v pages="$pages" '
        $2 == k { n++; w[n] = $3; c[n] = $4 + $5 }
        function sort(a, m,   i, j, t) {
            for (i = 2; i <= m; i++)
                for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        }
        function median(a, m) { return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
        END {
            sort(w, n); sort(c, n)
            printf "%d %s: wall median %.2f s (%.0f pages/s), least %.2f, greatest %.2f; CPU median %.2f s\n",
                   k, b, median(w, n), pages / median(w, n), w[1], w[n], median(c, n)
        }' "$out"
    if [ "$k" -gt 1 ]; then
        awk -v k="$k" '
            $2 == 1 { a[$1] = $3 } $2 == k { x[$1] = $3 }
            END {
                for (r in x) { n++; if (x[r] < a[r]) won++ }
                printf "  binary %d faster than binary 1 in %d of %d rounds\n", k, won + 0, n
            }' "$out"
    fi
    k=$((k + 1))
done
echo "RESULT compare rounds=$rounds binaries=$# out=$out"
