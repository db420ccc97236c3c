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
# A re-ingest through the pipeline adds nothing.
"$M" ingest -q --batch 7 --db "$T/2.db" "$@" 2>/dev/null
"$M" export --db "$T/2.db" > "$T/again.jsonl"
cmp -s "$T/1.jsonl" "$T/again.jsonl" || fail "re-ingest changed the store"
echo "ok: $n articles, the same with 1, 2 and 3 threads"
