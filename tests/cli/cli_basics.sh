#!/bin/sh
# cli_basics.sh -- the `muhabir` command end to end on pages made up here:
# --help on every command, --version, exit 2 on usage errors, ingest of
# files and folders with rejected inputs named (exit 1, the rest goes in),
# idempotent re-ingest, JSONL on stdin, show by id and by path, search
# (plain and --json, filters, bad queries), export (jsonl, csv), stats,
# analyze, $MUHABIR_DB, and silence on a pipe.
set -u
BUILD=${BUILD:-build}
M=$BUILD/muhabir
case $M in /*) ;; *) M=$(pwd)/$M ;; esac
[ -x "$M" ] || { echo "FAIL: no binary $M"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/t.db
fail() { echo "FAIL: $*"; exit 1; }
T="timeout 60"

# expect CODE CMD... : run, compare the exit status.
expect() {
    want=$1
    shift
    $T "$@" >"$tmp/o" 2>"$tmp/e" </dev/null
    got=$?
    [ "$got" -eq "$want" ] || fail "exit $got (want $want): $* -- $(head -c 400 "$tmp/e")"
}

# ---- help, version, usage errors ----
expect 0 "$M" --help
grep -q "usage: muhabir" "$tmp/o" || fail "muhabir --help"
expect 0 "$M" --version
grep -q "^muhabir [0-9]" "$tmp/o" || fail "--version: $(cat "$tmp/o")"
for c in ingest export show search analyze stats; do
    expect 0 "$M" $c --help
    grep -q "usage: muhabir $c" "$tmp/o" || fail "$c --help: $(head -3 "$tmp/o")"
    expect 0 "$M" help $c
done
expect 2 "$M"
expect 2 "$M" frobnicate
expect 2 "$M" ingest
expect 2 "$M" ingest --bogus x
expect 2 "$M" ingest --db
expect 2 "$M" ingest --batch 0 x
expect 2 "$M" ingest - -
expect 2 "$M" export --format xml
expect 2 "$M" export extra
expect 2 "$M" show
expect 2 "$M" show 1 2
expect 2 "$M" search
expect 2 "$M" search --limit 0 x
expect 2 "$M" search --limit many x
expect 2 "$M" search --limit 5000 x
expect 2 "$M" analyze a b
expect 2 "$M" analyze --bogus
expect 2 "$M" stats extra
grep -q "muhabir stats" "$tmp/e" || fail "usage error does not name the command"
# A database that does not exist is an error, not a new empty file.
expect 1 "$M" search --db "$tmp/none.db" x
[ -e "$tmp/none.db" ] && fail "search created a database"

# ---- inputs ----
mkdir -p "$tmp/in/sub" "$tmp/in/.hidden"
page() {  # file n : a made-up page
    {
        printf 'Liman kentinde %s numaralı proje tanıtıldı\n\n' "$2"
        printf 'Proje %s kapsamında İstanbul’daki ekipler yeni rıhtımı inceledi. ' "$2"
        printf 'Yetkililer görüşmelerin sürdüğünü açıkladı.\n\n'
        printf 'Çalışmaların %s ay süreceği belirtildi; vatandaşlar süreci izliyor.\n' "$2"
    } >"$1"
}
page "$tmp/in/a.txt" 1
page "$tmp/in/b.txt" 2
page "$tmp/in/sub/c.txt" 3
page "$tmp/in/.hidden/d.txt" 4
page "$tmp/in/.e.txt" 5
printf 'ikili\000\001\002\003veri\000\000\000' >"$tmp/bad_binary.txt"
: >"$tmp/bad_empty.txt"

# Three good pages from a folder (hidden entries skipped), three rejects.
$T "$M" ingest --db "$db" "$tmp/in" "$tmp/bad_binary.txt" "$tmp/bad_empty.txt" \
    "$tmp/missing.txt" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc -eq 1 ] || fail "ingest with bad inputs: exit $rc (want 1)"
grep -q "^3 new, 0 already stored, 3 rejected" "$tmp/o" || fail "summary: $(cat "$tmp/o")"
for b in bad_binary.txt bad_empty.txt missing.txt; do
    grep -q "$b.*rejected: ." "$tmp/e" || fail "rejection of $b not named: $(cat "$tmp/e")"
done
[ "$(grep -c rejected "$tmp/e")" -eq 3 ] || fail "other rejections: $(cat "$tmp/e")"

# Again: nothing new, nothing rejected, silent stderr on a pipe.
$T "$M" ingest --db "$db" "$tmp/in" >"$tmp/o" 2>"$tmp/e" || fail "re-ingest exit $?"
grep -q "^0 new, 3 already stored, 0 rejected" "$tmp/o" || fail "re-ingest: $(cat "$tmp/o")"
[ -s "$tmp/e" ] && fail "stderr not quiet when piped: $(cat "$tmp/e")"

# JSONL on stdin: two records, then one malformed line.
printf '%s\n' \
    '{"title": "Stdin haberi bir", "content": "Stdin haberi bir\n\nKıyı şeridinde yeni bir park açıldı ve ziyaretçiler akın etti.", "url": "https://ornek.com.tr/haber/1", "date": "2025-10-28"}' \
    '' \
    '{"title": "Stdin haberi iki", "content": "Stdin haberi iki\n\nDağ köyünde okul yeniden açıldı; öğrenciler derslere başladı.", "url": "https://ornek.com.tr/haber/2", "date": "2025-11-02"}' \
    >"$tmp/good.jsonl"
$T "$M" ingest --db "$db" - <"$tmp/good.jsonl" >"$tmp/o" 2>"$tmp/e" || fail "stdin ingest exit $? $(cat "$tmp/e")"
grep -q "^2 new" "$tmp/o" || fail "stdin: $(cat "$tmp/o") $(cat "$tmp/e")"
{ cat "$tmp/good.jsonl"; echo '{"title": "kırık'; } | $T "$M" ingest --db "$db" - >"$tmp/o" 2>"$tmp/e"
[ $? -eq 1 ] || fail "malformed JSONL line: want exit 1"
grep -q "^0 new, 2 already stored, 1 rejected" "$tmp/o" || fail "stdin again: $(cat "$tmp/o")"
grep -q -- "-: record 3" "$tmp/e" || fail "bad line not named by number: $(cat "$tmp/e")"

# $MUHABIR_DB.
MUHABIR_DB=$tmp/env.db $T "$M" ingest -q "$tmp/in/a.txt" || fail "ingest with MUHABIR_DB"
[ -s "$tmp/env.db" ] || fail "MUHABIR_DB not used"
MUHABIR_DB=$tmp/env.db expect 0 "$M" stats
grep -q "articles: *1$" "$tmp/o" || fail "stats via MUHABIR_DB: $(cat "$tmp/o")"

# ---- stats ----
expect 0 "$M" stats --db "$db"
grep -q "^articles: *5$" "$tmp/o" || fail "stats: $(cat "$tmp/o")"
expect 0 "$M" stats --db "$db" --json
grep -q '"articles":[[:space:]]*5,' "$tmp/o" || fail "stats --json: $(cat "$tmp/o")"
expect 0 "$M" stats --db "$db" --check

# ---- show ----
expect 0 "$M" show --db "$db" 1
grep -q "^#1 " "$tmp/o" || fail "show 1: $(head -3 "$tmp/o")"
expect 0 "$M" show --db "$db" --json 2
grep -q '^{"id":2,' "$tmp/o" || fail "show --json 2: $(head -c 200 "$tmp/o")"
expect 0 "$M" show --db "$db" --json "$tmp/in/sub/c.txt"
grep -q '"path":"[^"]*in/sub/c.txt"' "$tmp/o" || fail "show PATH: $(head -c 300 "$tmp/o")"
grep -q 'proje' "$tmp/o" || fail "show PATH body"
# Another spelling of the same file.
(cd "$tmp/in" && $T "$M" show --db "$db" ./sub/../sub/c.txt) >"$tmp/o" 2>"$tmp/e" ||
    fail "show by relative path: $(cat "$tmp/e")"
expect 1 "$M" show --db "$db" 999
expect 1 "$M" show --db "$db" "$tmp/in/nothing.txt"

# ---- search ----
expect 0 "$M" search --db "$db" istanbul
[ "$(grep -c '#[0-9]*$' "$tmp/o")" -eq 3 ] || fail "istanbul: want 3 hits: $(cat "$tmp/o")"
grep -q "\[İstanbul'daki\]" "$tmp/o" || fail "no [highlight]: $(cat "$tmp/o")"
expect 0 "$M" search --db "$db" --json --limit 2 gorusme
[ "$(grep -c '"id":' "$tmp/o")" -eq 2 ] || fail "--limit 2: $(cat "$tmp/o")"
for k in id path title date outlet score snippet; do
    grep -q "\"$k\":" "$tmp/o" || fail "search --json without $k"
done
expect 0 "$M" search --db "$db" --json --from 2025-11-01 açıldı
grep -q "Stdin haberi iki" "$tmp/o" || fail "--from: $(cat "$tmp/o")"
grep -q "Stdin haberi bir" "$tmp/o" && fail "--from let an older article in"
expect 0 "$M" search --db "$db" --json --outlet "Nowhere At All" istanbul
[ "$(tr -d ' \n\t' <"$tmp/o")" = "[]" ] || fail "--outlet filter: $(cat "$tmp/o")"
expect 1 "$M" search --db "$db" '"unterminated'
grep -q "quote" "$tmp/e" || fail "bad query message: $(cat "$tmp/e")"
expect 1 "$M" search --db "$db" -- -excluded
expect 2 "$M" search --db "$db" --from 2025-13-40 x
expect 0 "$M" search --db "$db" zzqxw
[ -s "$tmp/o" ] && fail "no-match output on stdout: $(cat "$tmp/o")"

# ---- export ----
expect 0 "$M" export --db "$db"
[ "$(wc -l <"$tmp/o")" -eq 5 ] || fail "export: $(wc -l <"$tmp/o") lines"
while IFS= read -r line; do
    for k in id path url outlet source title date category lead body removed sentences; do
        case $line in *"\"$k\":"*) ;; *) fail "export line without $k: $line" ;; esac
    done
    case $line in *'"sentences":[['*) ;; *) fail "no sentence offsets: $line" ;; esac
done <"$tmp/o"
grep -q '"date":"2025-10-28"' "$tmp/o" || fail "export date"
grep -q '"date":null' "$tmp/o" || fail "export null date"
expect 0 "$M" export --db "$db" --format csv
head -1 "$tmp/o" | grep -q "^id,path,record,url,outlet,source,title,date,category,lead,body,removed,sentences" ||
    fail "csv header: $(head -1 "$tmp/o")"

# ---- analyze ----
printf 'İstanbul’daki görüşmeler sürdü. Lavrov konuştu.\n' >"$tmp/an.txt"
expect 0 "$M" analyze --json "$tmp/an.txt"
grep -q '"text":"İstanbul'"'"'daki görüşmeler sürdü. Lavrov konuştu."' "$tmp/o" ||
    fail "analyze text: $(cat "$tmp/o")"
grep -q '"sentences":\[\[0,' "$tmp/o" || fail "analyze sentences: $(cat "$tmp/o")"
grep -q '{"start":0,"end":9,"norm":"istanbul","stem":"istanbul"}' "$tmp/o" ||
    fail "analyze token offsets: $(cat "$tmp/o")"
$T "$M" analyze <"$tmp/an.txt" >"$tmp/o" 2>"$tmp/e" || fail "analyze stdin exit $?"
grep -q "sentence 2" "$tmp/o" || fail "analyze text output: $(cat "$tmp/o")"
expect 1 "$M" analyze "$tmp/missing.txt"
echo "cli basics: ok"
