#!/bin/sh
# seeds_search.sh -- the issue's acceptance test: after ingesting the seed
# pages, `muhabir search antlaşma` finds the page that says
# "Antlaşması'nın", `istanbul` finds "İstanbul’daki", `gorusme` finds
# "görüşme".  Which pages those are is read from the seeds themselves
# (nothing of them is copied here).  Skips when $MUHABIR_SHARED/seeds is
# absent.
set -u
BUILD=${BUILD:-build}
M=$BUILD/muhabir
case $M in /*) ;; *) M=$(pwd)/$M ;; esac
SEEDS=${MUHABIR_SHARED:-../shared}/seeds
[ -d "$SEEDS" ] || { echo "no seed pages at $SEEDS"; exit 77; }
[ -x "$M" ] || { echo "FAIL: no binary $M"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/seeds.db
fail() { echo "FAIL: $*"; exit 1; }

timeout 60 "$M" ingest --db "$db" "$SEEDS" >"$tmp/out" 2>"$tmp/err" ||
    fail "ingest of the seeds: exit $? $(cat "$tmp/err")"
n=$(ls "$SEEDS" | wc -l)
grep -q "^$n new" "$tmp/out" || fail "expected $n new: $(cat "$tmp/out")"

# query, then a pattern (grep -E) that the page to find contains.
check() {
    q=$1 pat=$2
    pages=$(grep -lE "$pat" "$SEEDS"/*)
    [ -n "$pages" ] || fail "no seed contains $pat (seeds changed?)"
    timeout 30 "$M" search --db "$db" --json --limit 50 "$q" >"$tmp/hits" 2>"$tmp/err" ||
        fail "search $q: exit $? $(cat "$tmp/err")"
    for p in $pages; do
        grep -qF "\"$p\"" "$tmp/hits" || fail "search $q did not find $p"
    done
    # The hits mark what matched.
    grep -q '"snippet":.*\[' "$tmp/hits" || fail "search $q: no highlighted snippet"
    echo "ok: $q finds $(echo "$pages" | wc -l) page(s) with $pat"
}

check antlaşma "Antlaşması['’]nın"
check istanbul "İstanbul['’]daki"
check gorusme "görüşme"

# Human output highlights with [brackets] when not on a terminal.
timeout 30 "$M" search --db "$db" istanbul >"$tmp/h" || fail "plain search exit $?"
grep -q '\[İstanbul' "$tmp/h" || fail "plain output without [İstanbul...]: $(cat "$tmp/h")"

# A word in none of them: no hits, still success.
timeout 30 "$M" search --db "$db" --json zzxqqvw >"$tmp/none" || fail "empty search exit $?"
[ "$(tr -d ' \n\t' <"$tmp/none")" = "[]" ] || fail "expected [] for no match: $(cat "$tmp/none")"

# The index agrees with the articles.
timeout 60 "$M" stats --check --db "$db" >/dev/null || fail "stats --check"
echo "seeds search: ok"
