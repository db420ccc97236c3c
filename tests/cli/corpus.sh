#!/bin/sh
# corpus.sh -- the sample corpus (examples/corpus) end to end: ingest,
# export with every field, idempotent re-ingest, show by id and by path,
# stats, and the pathological inputs (tests/pathological/) ingested beside
# it: each rejected one named with a reason on stderr, exit 1 only then,
# the corpus still fully stored, no crash, no hang.  Skips while
# examples/corpus does not exist.
set -u
BUILD=${BUILD:-build}
M=$BUILD/muhabir
case $M in /*) ;; *) M=$(pwd)/$M ;; esac
CORPUS=$(pwd)/examples/corpus
PATHO=$(pwd)/tests/pathological
[ -d "$CORPUS" ] || { echo "no sample corpus at $CORPUS"; exit 77; }
[ -x "$M" ] || { echo "FAIL: no binary $M"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/c.db
fail() { echo "FAIL: $*"; exit 1; }

# ingest DB PATH... : run, keep stdout/stderr, check the exit status
# against the rejections on stderr (1 exactly when something was
# rejected) and that each rejection names an input.
ingest() {
    d=$1
    shift
    timeout 300 "$M" ingest --db "$d" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    case $rc in
        0) [ -s "$tmp/err" ] && fail "exit 0 but stderr: $(head -5 "$tmp/err")" ;;
        1) grep -q "rejected: ." "$tmp/err" || fail "exit 1 without a named rejection: $(head -5 "$tmp/err")" ;;
        *) fail "ingest exit $rc (crash or hang?): $(tail -5 "$tmp/err")" ;;
    esac
    if [ -s "$tmp/err" ]; then
        grep -v "^muhabir: .*: rejected: ." "$tmp/err" && fail "unexpected stderr lines"
    fi
    return $rc
}

ingest "$db" "$CORPUS"
first_rc=$?
new=$(awk '{ print $1 }' "$tmp/out")
[ "$new" -gt 0 ] || fail "nothing stored from the corpus: $(cat "$tmp/out")"
echo "corpus: $(cat "$tmp/out")"
[ $first_rc -eq 0 ] || echo "note: the corpus has rejected inputs: $(cat "$tmp/err")"

# Export: one object per article with every field.
timeout 60 "$M" export --db "$db" >"$tmp/exp" || fail "export exit $?"
[ "$(wc -l <"$tmp/exp")" -eq "$new" ] || fail "export: $(wc -l <"$tmp/exp") lines for $new articles"
while IFS= read -r line; do
    for k in id path url outlet source title date category lead body removed sentences; do
        case $line in *"\"$k\":"*) ;; *) fail "export line without $k: $(echo "$line" | head -c 300)" ;; esac
    done
    case $line in *'"removed":['*) ;; *) fail "removed is not an array" ;; esac
    case $line in *'"date":null'* | *'"date":"'[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"'*) ;;
        *) fail "date neither YYYY-MM-DD nor null: $(echo "$line" | head -c 300)" ;;
    esac
done <"$tmp/exp"
timeout 60 "$M" export --db "$db" --format csv >"$tmp/csv" || fail "csv export exit $?"
head -1 "$tmp/csv" | grep -q "^id,path," || fail "csv header"

# Idempotent.
ingest "$db" "$CORPUS"
grep -q "^0 new, $new already stored" "$tmp/out" || fail "re-ingest: $(cat "$tmp/out")"

# Show by id and by the path of the first article.
timeout 30 "$M" show --db "$db" --json 1 >"$tmp/one" || fail "show 1"
grep -q '^{"id":1,' "$tmp/one" || fail "show --json 1: $(head -c 200 "$tmp/one")"
p=$(sed -n 's/^{"id":1,"path":"\([^"]*\)".*/\1/p' "$tmp/one")
[ -n "$p" ] || fail "no path in show output"
if [ "$p" != "-" ]; then
    timeout 30 "$M" show --db "$db" "$p" >"$tmp/bypath" || fail "show $p"
    grep -q "^#1 " "$tmp/bypath" || fail "show by path did not give article 1"
fi
timeout 30 "$M" stats --db "$db" --check >"$tmp/stats" || fail "stats --check"
grep -q "^articles: *$new$" "$tmp/stats" || fail "stats: $(cat "$tmp/stats")"

# Pathological inputs beside the corpus, in a fresh database.
if [ -d "$PATHO" ] && [ -n "$(ls "$PATHO")" ]; then
    ingest "$tmp/p.db" "$CORPUS" "$PATHO"
    echo "with pathological inputs: $(cat "$tmp/out")"
    got=$(timeout 30 "$M" stats --db "$tmp/p.db" | awk '/^articles:/ { print $2 }')
    [ "$got" -ge "$new" ] || fail "pathological inputs cost corpus articles: $got < $new"
    timeout 120 "$M" stats --db "$tmp/p.db" --check >/dev/null || fail "check after pathological inputs"
fi
# Table columns are padded by characters, not bytes: in `entities` the
# type column starts at the same character on every row, whatever
# Turkish letters the names before it hold (cli_pad).
if locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
    timeout 30 "$M" entities --db "$tmp/c.db" > "$tmp/ents.txt" || fail "entities"
    grep -q 'ğ\|ş\|ı\|ç' "$tmp/ents.txt" || fail "no Turkish letters in the entity names to test padding"
    # The name column with its padding, measured in characters; a name
    # longer than the 32 characters is left whole.
    bad=$(LC_ALL=C.UTF-8 sed -nE 's/^(.*) (person|place|org) +[0-9]+ articles.*$/\1/p' "$tmp/ents.txt" |
        while IFS= read -r col; do
            w=$(printf '%s' "$col" | LC_ALL=C.UTF-8 wc -m)
            name=$(printf '%s' "$col" | sed 's/ *$//')
            nw=$(printf '%s' "$name" | LC_ALL=C.UTF-8 wc -m)
            [ "$nw" -le 32 ] && [ "$w" -ne 32 ] && echo "$name"
        done | wc -l)
    [ "$bad" -eq 0 ] || fail "entities: $bad rows whose type column is not at character 34"
fi
# The minister's statements in the sample corpus (written for it): the
# role is the whole joined title even where it opens the body, and the
# occasion before an indirect statement ("..., açılış töreninde,") is not
# part of the words, so the three outlets that carry it carry one
# statement.
"$M" quotes --db "$db" --speaker Karaoğlu --json >"$tmp/k.json" || fail "quotes --speaker Karaoğlu"
roles=$(grep -o '"speaker_role":"[^"]*"' "$tmp/k.json" | sort -u | tr '\n' '/')
[ "$roles" = '"speaker_role":"Bakan"/"speaker_role":"Ulaştırma ve Altyapı Bakanı"/' ] ||
    fail "Karaoğlu's roles: $roles"
"$M" entity --db "$db" --json Karaoğlu >"$tmp/ke.json" || fail "entity Karaoğlu"
grep -q '"role":"Ulaştırma ve Altyapı Bakanı"' "$tmp/ke.json" || fail "no joined title"
! grep -q '"role":"Altyapı Bakanı"' "$tmp/ke.json" || fail "a joined title cut at its \"ve\""
"$M" entities --db "$db" --json >"$tmp/ents.json" || fail "entities --json"
grep -q '"name":"Ulaştırma"' "$tmp/ents.json" && fail "the first half of a joined title is an entity"
# A common word opening a quotation in single quotes is no name.
grep -q '"name":"Boru"' "$tmp/ents.json" && fail "a word opening a single-quoted quotation is an entity"
grep -q '"text":"projenin dört yılda tamamlandığını","speaker":"Selim Karaoğlu","speaker_role":"Ulaştırma ve Altyapı Bakanı","verb":"belirtti","kind":"indirect","first_seen":"2025-11-12","sources":3' "$tmp/k.json" ||
    fail "the statement of the opening is not one statement from three articles"
# Story terms read as words: a stem is shown as the shortest word it came
# from ("liman", not the stem "lima"), a name as written, and a word that
# is a top term both as a stem and as a name is listed once.
"$M" stories --db "$db" --json >"$tmp/st.json" || fail "stories --json"
terms=$(tr -d '\n' <"$tmp/st.json" | grep -o '"headline":"Karadeniz[^"]*"[^]]*"terms":\[[^]]*\]' |
    sed 's/.*"terms":\[//; s/\]$//')
[ -n "$terms" ] || fail "no terms for the harbour story"
case ",$terms," in *',"liman",'*) ;; *) fail "harbour story terms: $terms" ;; esac
case ",$terms," in *',"lima",'*|*',"karadeniz",'*|*',"karaoğlu",'*) fail "stems or doubles in terms: $terms" ;; esac
case ",$terms," in *',"Karadeniz",'*) ;; *) fail "harbour story terms: $terms" ;; esac
echo "corpus: ok"
