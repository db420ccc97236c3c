#!/bin/sh
# quotes.sh -- who said what on the seed pages: `muhabir quotes --speaker
# Lavrov` lists Lavrov's statements and no one else's; spelling variants
# find the same person; entities, entity, timeline and export answer.
# The expected attribution is tests/cli/quotes_seeds.tsv (keys, not text).
# Skips (77) without the seeds ($MUHABIR_SHARED, default ../shared).
BUILD=${BUILD:-build}
SHARED=${MUHABIR_SHARED:-../shared}
BIN=$BUILD/muhabir
ANN=tests/cli/quotes_seeds.tsv
[ -d "$SHARED/seeds" ] || { echo "no seed pages under $SHARED"; exit 77; }
[ -x "$BIN" ] || { echo "no $BIN"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$BIN" ingest --db "$tmp/db" "$SHARED/seeds" >"$tmp/ingest.log" 2>&1 || fail "ingest: $(cat "$tmp/ingest.log")"

keys() { grep -o '"key":"[0-9a-f]*"' "$1" | cut -d'"' -f4 | sort -u; }

"$BIN" quotes --db "$tmp/db" --speaker Lavrov --json >"$tmp/lavrov.json" || fail "quotes --speaker Lavrov"
keys "$tmp/lavrov.json" >"$tmp/got"
grep -v '^#' "$ANN" | awk -F'\t' '$2 == "Sergey Lavrov" { print $1 }' | sort -u >"$tmp/want"
grep -v '^#' "$ANN" | awk -F'\t' '$2 != "Sergey Lavrov" { print $1 }' | sort -u >"$tmp/others"

got=$(wc -l <"$tmp/got"); want=$(wc -l <"$tmp/want")
wrong=$(comm -12 "$tmp/got" "$tmp/others" | wc -l)
unknown=$(comm -23 "$tmp/got" "$tmp/want" | wc -l)
hit=$(comm -12 "$tmp/got" "$tmp/want" | wc -l)
echo "Lavrov: $got listed, $hit of $want annotated, $wrong of others, $unknown unannotated"
[ "$got" -gt 0 ] || fail "no statement of Lavrov"
# No one else's statement.
[ "$wrong" -eq 0 ] || fail "statements of others listed as Lavrov's"
# Every listed speaker is Lavrov (canonical spelling).
spk=$(grep -o '"speaker":"[^"]*"' "$tmp/lavrov.json" | sort -u)
[ "$spk" = '"speaker":"Sergey Lavrov"' ] || fail "speakers: $spk"
# Recall of at least 90% of the hand-checked statements.
[ $((hit * 10)) -ge $((want * 9)) ] || fail "recall $hit of $want"

# Another spelling is the same person; another person has none of his.
"$BIN" quotes --db "$tmp/db" --speaker "Sergei Lavrov" --json >"$tmp/sergei.json" || fail "Sergei"
keys "$tmp/sergei.json" | cmp -s - "$tmp/got" || fail "Sergei Lavrov differs from Lavrov"
"$BIN" quotes --db "$tmp/db" --speaker Putin --json >"$tmp/putin.json" || fail "Putin"
[ "$(keys "$tmp/putin.json" | comm -12 - "$tmp/want" | wc -l)" -eq 0 ] || fail "Putin has Lavrov's"
[ -s "$tmp/putin.json" ] && grep -q '"speaker":"Vladimir Putin"' "$tmp/putin.json" || fail "no Putin"

# Text output, filters, usage errors.
"$BIN" quotes --db "$tmp/db" --speaker Lavrov >"$tmp/lavrov.txt" || fail "text output"
grep -q "statements$" "$tmp/lavrov.txt" || fail "no summary line"
"$BIN" quotes --db "$tmp/db" --about "NÜKLEER deneme" --json >"$tmp/about.json" || fail "--about"
grep -q '"key"' "$tmp/about.json" || fail "--about found nothing"
"$BIN" quotes --db "$tmp/db" --speaker "Nobody Atall" --json >"$tmp/none.json" || fail "unknown speaker"
[ "$(cat "$tmp/none.json")" = "[]" ] || fail "unknown speaker gave statements"
"$BIN" quotes --db "$tmp/db" --from 2025-10-01 --to 2025-10 --json >/dev/null || fail "--from/--to"
"$BIN" quotes --db "$tmp/db" --from yesterday >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad date not a usage error"
"$BIN" quotes --db "$tmp/db" --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad option not a usage error"

# Entities: merged spellings, roles, timeline, export fields.
"$BIN" entities --db "$tmp/db" --type person --json >"$tmp/ents.json" || fail "entities"
grep -q '"name":"Sergey Lavrov"' "$tmp/ents.json" || fail "Lavrov not an entity"
grep -q '"type":"place"' "$tmp/ents.json" && fail "--type person lists places"
"$BIN" entity --db "$tmp/db" Kyiv --json >"$tmp/kiev.json" || fail "entity Kyiv"
grep -q '"name":"Kiev"' "$tmp/kiev.json" || fail "Kyiv is not Kiev"
"$BIN" entity --db "$tmp/db" Lavrov --json >"$tmp/ent.json" || fail "entity Lavrov"
grep -q '"alias":"Sergei Lavrov"' "$tmp/ent.json" || fail "Sergei not an alias of Lavrov"
grep -q '"role":"Rusya Dışişleri Bakanı"' "$tmp/ent.json" || fail "no role"
"$BIN" entity --db "$tmp/db" "Nobody Atall" >/dev/null 2>&1; [ $? -eq 1 ] || fail "unknown entity"
"$BIN" timeline --db "$tmp/db" Lavrov --json >"$tmp/tl.json" || fail "timeline"
grep -q '"statements":\[{' "$tmp/tl.json" || fail "timeline has no statements"
"$BIN" export --db "$tmp/db" >"$tmp/export.jsonl" || fail "export"
n=$(grep -c '"entities":\[{' "$tmp/export.jsonl"); [ "$n" -eq 5 ] || fail "export entities on $n articles"
grep -q '"quotes":\[{"text"' "$tmp/export.jsonl" || fail "export quotes"
echo "ok"
exit 0
