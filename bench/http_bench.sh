#!/bin/sh
# bench/http_bench.sh -- load benchmark of `muhabir serve` with wrk against
# /api/search on a 100k-page database: requests/s, p50/p99 latency and
# errors, for three workloads:
#   one-query   the same search over and over (the response cache at work)
#   mixed       a rotation of 40 common words and pairs, each asked once
#               before the run (a warm cache, as a busy page with popular
#               queries sees it)
#   uncached    the mixed rotation with --cache 0: every request searches,
#               so this is the library's search speed seen through HTTP
#
# Database: $HTTP_BENCH_DB, else the 100k database of the ingest bench
# ($BENCH_DIR/bench-dir-100000.db, default BENCH_DIR=/tmp/muhabir-bench),
# built with `BENCH_SIZES=100000 sh bench/ingest_bench.sh` when missing
# (needs the TTC-3600 texts in $MUHABIR_SHARED/data/ttc3600).
# Environment: BUILD (build), WRK_THREADS (2), WRK_CONNS (64),
# WRK_UNCACHED_CONNS (4: every uncached request is a full search, so more
# connections only queue),
# WRK_SECONDS (10), SERVER_THREADS (2).  Server and wrk share the machine,
# so on 2 cores the figures are a floor.  Output: human lines plus one
# "RESULT http ..." line per workload.  Exit 77 when wrk is missing or no
# database can be had.
set -u
BUILD=${BUILD:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/muhabir-bench}
DB=${HTTP_BENCH_DB:-$BENCH_DIR/bench-dir-100000.db}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-64}
WRK_UNCACHED_CONNS=${WRK_UNCACHED_CONNS:-4}
WRK_SECONDS=${WRK_SECONDS:-10}
SERVER_THREADS=${SERVER_THREADS:-2}
M=$BUILD/muhabir

command -v wrk >/dev/null || { echo "http_bench: wrk not installed (apt-get install wrk)"; exit 77; }
command -v jq >/dev/null || { echo "http_bench: jq not installed"; exit 77; }
[ -x "$M" ] || { echo "http_bench: no $M (make -j2 $M)"; exit 1; }
if [ ! -f "$DB" ]; then
    echo "http_bench: no $DB; building it: BENCH_SIZES=100000 sh bench/ingest_bench.sh"
    BENCH_SIZES=100000 BENCH_DIR=$BENCH_DIR sh bench/ingest_bench.sh
    rc=$?
    [ "$rc" -eq 77 ] && exit 77
    [ -f "$DB" ] || { echo "http_bench: could not build $DB"; exit 1; }
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

start_server() {
    "$M" serve --db "$DB" --listen 127.0.0.1:0 --threads "$SERVER_THREADS" \
        --max-connections 1024 --per-ip 1024 "$@" >"$tmp/serve.log" 2>&1 &
    pid=$!
    port=
    for _ in $(seq 1 100); do
        port=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$tmp/serve.log")
        [ -n "$port" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$tmp/serve.log"
    echo "http_bench: server did not start"
    exit 1
}

stop_server() {
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
}

# The mixed rotation: common words of Turkish news (facts about the
# language, not text of any corpus), single and in pairs.
words="türkiye ekonomi başkan hükümet istanbul ankara dolar enflasyon sağlık seçim
futbol maç gol takım teknoloji internet telefon film müzik sanat hastane doktor
kanser tedavi bakan meclis yasa vergi banka faiz borsa şirket ihracat üniversite
öğrenci okul 'merkez+bankası' 'milli+takım' 'sağlık+bakanı' 'cumhurbaşkanı+erdoğan'"
{
    echo 'local paths = {'
    for w in $words; do
        w=$(echo "$w" | tr -d "'")
        enc=$(jq -rn --arg w "$(echo "$w" | tr '+' ' ')" '$w | @uri')
        echo "  \"/api/search?q=$enc&limit=10\","
        echo "/api/search?q=$enc&limit=10" >> "$tmp/paths"
    done
    echo '}'
    echo 'local i = 0'
    echo 'request = function()'
    echo '  i = i + 1'
    echo '  return wrk.format("GET", paths[(i % #paths) + 1])'
    echo 'end'
} > "$tmp/mixed.lua"

echo "# http bench: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# database $DB ($(du -h "$DB" | cut -f1)), $("$M" --version 2>/dev/null | head -1)"

run() {   # run NAME CONNECTIONS [wrk args...]
    name=$1; conns=$2; shift 2
    cmd="wrk -t$WRK_THREADS -c$conns -d${WRK_SECONDS}s --timeout 10s --latency $*"
    echo
    echo "## $name"
    echo "\$ $cmd"
    wrk -t"$WRK_THREADS" -c"$conns" -d"${WRK_SECONDS}s" --timeout 10s --latency "$@" >"$tmp/wrk.out" 2>&1
    sed 's/^/    /' "$tmp/wrk.out"
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/wrk.out")
    p50=$(sed -n 's/^ *50% *\([0-9.]*[a-z]*\).*/\1/p' "$tmp/wrk.out")
    p99=$(sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$tmp/wrk.out")
    non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$tmp/wrk.out")
    sock=$(sed -n 's/^ *Socket errors: *\(.*\)/\1/p' "$tmp/wrk.out")
    echo "RESULT http $name rps=${rps:-?} p50=${p50:-?} p99=${p99:-?} non2xx=${non2xx:-0} socket_errors=${sock:-none}"
}

one=$(jq -rn '"ekonomi" | @uri')
start_server
curl -s --max-time 10 "http://127.0.0.1:$port/api/search?q=$one&limit=10" | jq -c '{count, has_more}' | sed 's/^/# warm-up: /'
run one-query "$WRK_CONNS" "http://127.0.0.1:$port/api/search?q=$one&limit=10"
t0=$(date +%s.%N)
while read -r p; do curl -s -o /dev/null --max-time 30 "http://127.0.0.1:$port$p"; done < "$tmp/paths"
t1=$(date +%s.%N)
echo "# warm-up: $(wc -l < "$tmp/paths") queries searched once in $(awk "BEGIN{printf \"%.2f\", $t1 - $t0}") s"
run mixed "$WRK_CONNS" -s "$tmp/mixed.lua" "http://127.0.0.1:$port"
stop_server

start_server --cache 0
run uncached "$WRK_UNCACHED_CONNS" -s "$tmp/mixed.lua" "http://127.0.0.1:$port"
stop_server
