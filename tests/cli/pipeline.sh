#!/bin/sh
# tests/cli/pipeline.sh -- the pipelined ingest (store thread beside the
# pass-1 workers) stores exactly what the one-thread ingest stores: same
# articles, ids, removed lines, copy groups, stories, entities and quotes.
# Small batches keep several batches in hand at once.  Runs on the bundled
# corpus, and on the seeds and FinNews when ../shared is there.
set -u
BUILD=${BUILD:-build}
M="$BUILD/muhabir"
[ -x "$M" ] || { echo "no $M"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

SH=${MUHABIR_SHARED:-../shared}
set -- examples/corpus
[ -d "$SH/seeds" ] && set -- "$@" "$SH/seeds"
[ -d "$SH/data/finnews/raw" ] && set -- "$@" "$SH/data/finnews/raw"

for mode in "--threads 1" "--threads 2" "--threads 3"; do
    tag=$(echo "$mode" | tr -dc 0-9)
    # shellcheck disable=SC2086
    "$M" ingest -q $mode --batch 7 --db "$T/$tag.db" "$@" 2> "$T/$tag.err"
    rc=$?
    [ $rc -le 1 ] || fail "ingest $mode exit $rc: $(head -3 "$T/$tag.err")"
    # Paths differ by nothing; the export must match byte for byte.
    "$M" export --db "$T/$tag.db" > "$T/$tag.jsonl" || fail "export $mode"
    "$M" entities --db "$T/$tag.db" --json > "$T/$tag.ent" || fail "entities $mode"
    "$M" quotes --db "$T/$tag.db" --json > "$T/$tag.quo" || fail "quotes $mode"
    "$M" stories --db "$T/$tag.db" --json > "$T/$tag.sto" || fail "stories $mode"
done
n=$(wc -l < "$T/1.jsonl")
[ "$n" -ge 29 ] || fail "only $n articles stored"
for tag in 2 3; do
    for f in jsonl ent quo sto; do
        cmp -s "$T/1.$f" "$T/$tag.$f" || fail "threads $tag differs from one thread in $f"
    done
    cmp -s "$T/1.err" "$T/$tag.err" || fail "threads $tag reports rejections differently"
done
# Transactions of several batches of work (commit groups) store what
# one batch per transaction stores.  A second copy of the corpus makes
# raw duplicates of records stored earlier in the same, still open group:
# they must be recognised before extraction, or they would be counted
# again for boilerplate learning and the tables below would differ.
mkdir "$T/copy" && cp -R examples/corpus "$T/copy/a" || fail "copying the corpus"
for mode in "--batch 7" "--batch 1000 --work 7"; do
    tag=g$(echo "$mode" | tr -dc 0-9)
    # shellcheck disable=SC2086
    "$M" ingest $mode --threads 2 --db "$T/$tag.db" "$@" "$T/copy" 2>/dev/null |
        sed 's/, [0-9.]* s)$/)/' > "$T/$tag.out"
    "$M" export --db "$T/$tag.db" > "$T/$tag.jsonl" || fail "export $mode"
    # The index, built from terms written down on the workers, must be
    # what tokenizing the stored columns again gives (FTS5 integrity-check).
    "$M" stats --check --db "$T/$tag.db" > /dev/null || fail "index check $mode"
    "$M" stats --db "$T/$tag.db" | grep -v -e '^database' -e '^size' > "$T/$tag.stats" || fail "stats $mode"
done
grep -q "already stored" "$T/g7.out" || fail "no summary: $(cat "$T/g7.out")"
cmp -s "$T/g7.out" "$T/g10007.out" || fail "groups count differently: $(cat "$T/g7.out") / $(cat "$T/g10007.out")"
cmp -s "$T/g7.jsonl" "$T/g10007.jsonl" || fail "groups store other articles"
cmp -s "$T/g7.stats" "$T/g10007.stats" || fail "groups learn other boilerplate"
if command -v sqlite3 >/dev/null 2>&1; then
    q='SELECT count(*), sum(pages) FROM tpl_lines'
    [ "$(sqlite3 "$T/g7.db" "$q")" = "$(sqlite3 "$T/g10007.db" "$q")" ] ||
        fail "groups count boilerplate lines differently"
fi

# A re-ingest through the pipeline adds nothing.
"$M" ingest -q --batch 7 --db "$T/2.db" "$@" 2>/dev/null
"$M" export --db "$T/2.db" > "$T/again.jsonl"
cmp -s "$T/1.jsonl" "$T/again.jsonl" || fail "re-ingest changed the store"
echo "ok: $n articles, the same with 1, 2 and 3 threads"
