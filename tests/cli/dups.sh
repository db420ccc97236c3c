#!/bin/sh
# tests/cli/dups.sh -- `muhabir dups`, `stories`, `story`, `related` and the
# export fields end to end, on the golden cases of tests/golden/dups (turned
# into JSONL here): copy groups with their first publisher, re-ingest, a
# later session joining a group, exit codes of bad arguments.
set -u
BUILD=${BUILD:-build}
M="$BUILD/muhabir"
[ -x "$M" ] || { echo "no $M"; exit 77; }
G=tests/golden/dups
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Golden file -> JSONL, one record per article (label in the URL).
tojsonl() {
    awk '
    function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
    function flush() {
        if (label != "") {
            sub(/(\\n)+$/, "", body)
            printf "{\"title\":\"%s\",\"content\":\"%s\",\"date\":\"%s\",\"outlet\":\"%s\",\"url\":\"https://golden.test/%s\"}\n", esc(title), body, date, esc(outlet), label
        }
        label = ""
    }
    /^--- expect/ { flush(); stop = 1 }
    stop { next }
    /^=== / { flush(); label = $2; date = $3; outlet = $0; sub(/^=== [^ ]+ [^ ]+ /, "", outlet); title = ""; body = ""; want_title = 1; next }
    label == "" { next }
    want_title { title = $0; want_title = 0; next }
    { body = body esc($0) "\\n" }
    END { flush() }' "$1"
}

tojsonl "$G/exact.txt" > "$T/exact.jsonl"
[ "$(wc -l < "$T/exact.jsonl")" -eq 4 ] || fail "fixture conversion"
# Session 1 gets the unrelated article and one copy, session 2 the rest.
grep -e '/yagis"' -e '/sitec"' "$T/exact.jsonl" > "$T/one.jsonl"
grep -e '/ajans"' -e '/siteb"' "$T/exact.jsonl" > "$T/two.jsonl"
DB="$T/t.db"
"$M" ingest --db "$DB" "$T/one.jsonl" >/dev/null 2>&1 || fail "ingest one"
"$M" ingest --db "$DB" "$T/two.jsonl" >/dev/null 2>&1 || fail "ingest two"

# Ids by label.
id_of() { "$M" export --db "$DB" | grep "golden.test/$1\"" | sed 's/^{"id":\([0-9]*\),.*/\1/'; }
AJ=$(id_of ajans); SB=$(id_of siteb); SC=$(id_of sitec); YA=$(id_of yagis)
[ -n "$AJ" ] && [ -n "$YA" ] || fail "ids"

# Export: dup_of points at the agency text for both copies.
"$M" export --db "$DB" > "$T/export.jsonl"
for x in "$SB" "$SC"; do
    grep "^{\"id\":$x," "$T/export.jsonl" | grep -q "\"dup_of\":$AJ,\"dup_group\":$AJ," ||
        fail "article $x should be a copy of $AJ"
done
grep "^{\"id\":$AJ," "$T/export.jsonl" | grep -q "\"dup_of\":null,\"dup_group\":$AJ," ||
    fail "the agency text is its group's first"
grep "^{\"id\":$YA," "$T/export.jsonl" | grep -q '"dup_of":null,"dup_group":null,' ||
    fail "unrelated article has no group"
[ "$(grep -c '"story":[0-9]' "$T/export.jsonl")" -eq 4 ] || fail "story on every article"

# dups: one group of three, first publisher the agency.
"$M" dups --db "$DB" > "$T/dups.txt" || fail "dups"
grep -q "^group $AJ: 3 copies, first #$AJ 2025-03-02 Ajans Haber" "$T/dups.txt" || {
    cat "$T/dups.txt"; fail "dups text"; }
[ "$(grep -c '^  #' "$T/dups.txt")" -eq 3 ] || fail "dups members"
# Outlets in order of publication: the agency, then the two of 3 March
# (the one ingested first before the other).
"$M" dups --db "$DB" --json | grep -q '"outlets":\["Ajans Haber","Site C","Site B"\]' ||
    fail "dups json outlets"

# Re-ingest changes nothing.
"$M" ingest --db "$DB" "$T/exact.jsonl" > "$T/re.txt" 2>&1 || fail "re-ingest"
grep -q '^0 new, 4 already stored' "$T/re.txt" || { cat "$T/re.txt"; fail "re-ingest counts"; }
"$M" dups --db "$DB" | cmp -s - "$T/dups.txt" || fail "dups changed after re-ingest"

# stories: the ferry story leads 2-3 March with three outlets.
"$M" stories --db "$DB" --from 2025-03-02 --to 2025-03-03 --json > "$T/st.json" || fail stories
S=$(sed 's/^\[{"id":\([0-9]*\),.*/\1/' "$T/st.json")
grep -q '"articles":3,"outlets":3,"first_outlet":"Ajans Haber"' "$T/st.json" || fail "stories json"
"$M" story --db "$DB" "$S" > "$T/story.txt" || fail story
grep -q "copy of #$AJ" "$T/story.txt" || fail "story members"
"$M" related --db "$DB" --limit 3 "$AJ" --json > "$T/rel.json" || fail related
grep -q "\"id\":$SB," "$T/rel.json" && fail "related lists a copy"

# Bad arguments.
"$M" story --db "$DB" 999 >/dev/null 2>&1; [ $? -eq 1 ] || fail "unknown story exit"
"$M" story --db "$DB" abc >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad id exit"
"$M" related --db "$DB" --limit 0 1 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad limit exit"
"$M" stories --db "$DB" --from 2025-13 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad date exit"
"$M" dups --db "$DB" extra >/dev/null 2>&1; [ $? -eq 2 ] || fail "extra arg exit"
"$M" dups --help | grep -q '^usage: muhabir dups' || fail "help"

# The copy-detection benchmark in its seconds-long smoke mode (real data
# only when $MUHABIR_SHARED has it; the bench says so and exits 0 if not).
if [ ! -x "$BUILD/bench/copies" ]; then
    make -s BUILD="$BUILD" "$BUILD/bench/copies" >/dev/null || fail "cannot build bench/copies"
fi
"$BUILD/bench/copies" --smoke > "$T/smoke.txt" 2>&1 || { cat "$T/smoke.txt"; fail "copies --smoke"; }
grep -q -e '^  OVERALL' -e '^copies: skipped' "$T/smoke.txt" || { cat "$T/smoke.txt"; fail "smoke output"; }
echo "dups: ok"
