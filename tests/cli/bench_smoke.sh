#!/bin/sh
# tests/cli/bench_smoke.sh -- the benchmark tools work, in seconds: the
# corpus generator is deterministic and writes what it says, `muhabir
# ingest` of ~200 generated pages accounts for every page (new + already
# stored + rejected), the database holds exactly the new ones, the fixed
# query set runs and its frequent words find hits, and bench/run.sh goes
# end to end on 100 pages.  Speed is not checked here.
# Skips (77) without the TTC-3600 data.
BUILD=${BUILD:-build}
MUHABIR_SHARED=${MUHABIR_SHARED:-../shared}
export MUHABIR_SHARED
if [ ! -d "$MUHABIR_SHARED/data/ttc3600" ]; then
    echo "no $MUHABIR_SHARED/data/ttc3600"
    exit 77
fi

fail() { echo "FAIL: $*"; exit 1; }

# `make test` builds the unit tests and the CLI only; build the two bench
# programs the same way (same BUILD, and under `make asan` the sanitizer
# flags reach this make through MAKEFLAGS).  Always through make, so a
# program left from an older library is rebuilt, not run.
for p in gen_corpus query_bench; do
    make -s BUILD="$BUILD" "$BUILD/bench/$p" >/dev/null || fail "cannot build $BUILD/bench/$p"
done
[ -x "$BUILD/muhabir" ] || fail "no $BUILD/muhabir"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. Deterministic: the same seed and pages give the same bytes; another
# seed does not.
"$BUILD/bench/gen_corpus" -n 30 -k 2390 -s 7 -o "$tmp/a" >/dev/null || fail "gen_corpus a"
"$BUILD/bench/gen_corpus" -n 30 -k 2390 -s 7 -o "$tmp/b" >/dev/null || fail "gen_corpus b"
"$BUILD/bench/gen_corpus" -n 30 -k 2390 -s 8 -o "$tmp/c" >/dev/null || fail "gen_corpus c"
diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "same seed, different output"
diff -r "$tmp/a" "$tmp/c" >/dev/null && fail "different seeds, same output"

# 2. 200 pages: 100 original texts (2300..2399) and 100 mixed ones.
out=$("$BUILD/bench/gen_corpus" -n 200 -k 2300 -o "$tmp/pages") || fail "gen_corpus"
echo "gen: $out"
case $out in pages=200\ bytes=*) ;; *) fail "unexpected gen_corpus output: $out";; esac
files=$(find "$tmp/pages" -name '*.txt' | wc -l)
[ "$files" -eq 200 ] || fail "$files files written, 200 expected"
bytes=$(echo "$out" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
disk=$(find "$tmp/pages" -name '*.txt' -exec cat {} + | wc -c)
[ "$bytes" -eq "$disk" ] || fail "gen_corpus says $bytes bytes, files hold $disk"
# the noise is there: headers, menus, related blocks, CRLF somewhere
grep -rlq '^ date 20[0-9][0-9]-' "$tmp/pages" || fail "no date header lines"
grep -rlq ' MENÜ' "$tmp/pages" || fail "no menu lines"
grep -rlqE 'Benzer Haberler|İlgili Haberler|Haftanın Öne Çıkanları' "$tmp/pages" || fail "no related blocks"
grep -rlq "$(printf '\r')" "$tmp/pages" || fail "no CRLF page"

db="$tmp/bench.db"
"$BUILD/muhabir" ingest --db "$db" "$tmp/pages" >"$tmp/ing.out" 2>"$tmp/ing.err"
rc=$?
cat "$tmp/ing.out"
[ "$rc" -le 1 ] || { cat "$tmp/ing.err"; fail "ingest exited $rc"; }
sum=$(grep -E '^[0-9]+ new, [0-9]+ already stored, [0-9]+ rejected' "$tmp/ing.out" | tail -1)
[ -n "$sum" ] || fail "no ingest summary"
new=$(echo "$sum" | sed 's/^\([0-9]*\) new.*/\1/')
dups=$(echo "$sum" | sed 's/.* \([0-9]*\) already stored.*/\1/')
rej=$(echo "$sum" | sed 's/.* \([0-9]*\) rejected.*/\1/')
[ $((new + dups + rej)) -eq 200 ] || fail "new $new + dups $dups + rejected $rej != 200 pages"
[ "$rej" -eq "$(grep -c 'rejected:' "$tmp/ing.err")" ] || fail "rejections not all named on stderr"
# mixed pages are never duplicates and few pages are rejected
[ "$dups" -le 10 ] || fail "$dups duplicates among 200 pages"
[ "$rej" -le 10 ] || { cat "$tmp/ing.err"; fail "$rej of 200 pages rejected"; }

# 3. The query set: the database holds the new pages; frequent words hit.
"$BUILD/bench/query_bench" --db "$db" -n 3 -w 1 -t 0.5 --check >"$tmp/q.out" 2>&1
rc=$?
cat "$tmp/q.out"
[ "$rc" -eq 0 ] || fail "query_bench --check exited $rc"
arts=$(sed -n 's/^# db .*: \([0-9]*\) articles.*/\1/p' "$tmp/q.out")
[ "$arts" = "$new" ] || fail "database has '$arts' articles, ingest said $new new"
nq=$("$BUILD/bench/query_bench" --list | wc -l)
rows=$(grep -cE '^(word|two|phrase|boolean|filter|miss)[a-z-]* ' "$tmp/q.out")
# every query has its row, every class its pooled line
[ "$rows" -eq "$nq" ] || fail "$rows query rows for $nq queries"
grep -q '^\* one-word ' "$tmp/q.out" || fail "no pooled one-word line"
hits=$(awk '$1 == "word-high" && $2 == "türkiye" { print $3 }' "$tmp/q.out")
[ "${hits:-0}" -gt 0 ] || fail "türkiye found nothing"
miss=$(awk '$1 == "miss" && $2 == "zqxwvj" { print $3 }' "$tmp/q.out")
[ "${miss:-1}" -eq 0 ] || fail "the miss query found $miss"

# 4. JSONL shards: every record accounted for.
"$BUILD/bench/gen_corpus" -n 40 -k 5000 -f jsonl -o "$tmp/jl" >/dev/null || fail "gen_corpus jsonl"
[ "$(cat "$tmp/jl"/*.jsonl | wc -l)" -eq 40 ] || fail "40 JSONL records expected"
"$BUILD/muhabir" ingest --db "$db" "$tmp/jl" >"$tmp/jl.out" 2>"$tmp/jl.err"
[ $? -le 1 ] || fail "jsonl ingest failed"
sum=$(grep -E '^[0-9]+ new' "$tmp/jl.out" | tail -1)
jn=$(echo "$sum" | sed 's/^\([0-9]*\) new.*/\1/')
jd=$(echo "$sum" | sed 's/.* \([0-9]*\) already stored.*/\1/')
jr=$(echo "$sum" | sed 's/.* \([0-9]*\) rejected.*/\1/')
[ $((jn + jd + jr)) -eq 40 ] || { cat "$tmp/jl.out" "$tmp/jl.err"; fail "jsonl: $sum"; }
[ "$jn" -ge 30 ] || { head -5 "$tmp/jl.err"; fail "jsonl: only $jn of 40 stored"; }

# 5. The scripts end to end on 100 pages.
BENCH_DIR="$tmp/bench" BENCH_SIZES=100 QUERY_REPS=2 QUERY_SECONDS=0.2 \
    sh bench/run.sh >"$tmp/run.out" 2>&1 || { cat "$tmp/run.out"; fail "bench/run.sh"; }
grep -q '^RESULT ingest n=100 format=dir wall_s=[0-9.]* cpu_s=[0-9.]* pages_per_s=[0-9]* ' "$tmp/run.out" ||
    { cat "$tmp/run.out"; fail "no RESULT line"; }
grep -q '^\* one-word ' "$tmp/run.out" || { cat "$tmp/run.out"; fail "no query figures"; }
# 6. bench/compare.sh: two binaries in turn on the 200 pages, one line a
# run, a summary a binary, the rounds won; a missing binary is refused.
BENCH_DIR="$tmp/cmp" sh bench/compare.sh -n 2 -c "$tmp/pages" "$BUILD/muhabir" "$BUILD/muhabir" \
    >"$tmp/cmp.out" 2>&1 || { cat "$tmp/cmp.out"; fail "bench/compare.sh"; }
[ "$(grep -c '^  round [12], binary [12]: wall ' "$tmp/cmp.out")" -eq 4 ] ||
    { cat "$tmp/cmp.out"; fail "compare: not four runs"; }
[ "$(wc -l < "$tmp/cmp/compare.out")" -eq 4 ] || fail "compare: not four lines in compare.out"
grep -q '^2 .*: wall median [0-9.]* s ([0-9]* pages/s), least [0-9.]*, greatest [0-9.]*; CPU median ' "$tmp/cmp.out" ||
    { cat "$tmp/cmp.out"; fail "compare: no summary"; }
grep -q '^  binary 2 faster than binary 1 in [0-2] of 2 rounds$' "$tmp/cmp.out" ||
    { cat "$tmp/cmp.out"; fail "compare: no rounds won line"; }
BENCH_DIR="$tmp/cmp" sh bench/compare.sh -c "$tmp/pages" "$BUILD/muhabir" "$tmp/no-such-binary" \
    >/dev/null 2>&1 && fail "compare accepted a missing binary"

echo "bench smoke: ok"
exit 0
