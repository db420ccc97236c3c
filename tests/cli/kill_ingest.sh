#!/bin/sh
# kill_ingest.sh -- kill -9 in the middle of an ingest: nothing reported
# stored is lost, the database stays consistent (SQLite integrity check and
# the FTS5 index against the articles), and running the ingest again
# completes the set.  Pages are generated here.
set -u
BUILD=${BUILD:-build}
M=$BUILD/muhabir
case $M in /*) ;; *) M=$(pwd)/$M ;; esac
[ -x "$M" ] || { echo "FAIL: no binary $M"; exit 1; }

tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
db=$tmp/kill.db
fail() { echo "FAIL: $*"; exit 1; }
N=${KILL_PAGES:-12000}

mkdir "$tmp/pages"
awk -v d="$tmp/pages" -v n="$N" 'BEGIN {
    for (i = 0; i < n; i++) {
        f = sprintf("%s/p%05d.txt", d, i)
        printf "Belediye meclisi %d numaralı oturumda toplandı\n\n", i > f
        printf "Meclis üyeleri %d numaralı gündem maddesini görüştü ve kararı oyladı. ", i > f
        printf "Başkan, çalışmaların %d. haftasında yeni adımlar atılacağını söyledi.\n\n", i % 97 > f
        printf "Vatandaşlar kararın ayrıntılarını ilçe binasında öğrenebilecek; kayıt %d bu hafta açılıyor.\n", i * 7 > f
        close(f)
    }
}' || fail "generating pages"

count() {
    "$M" stats --db "$db" 2>/dev/null | awk '/^articles:/ { print $2 }'
}

"$M" ingest --db "$db" --batch 100 "$tmp/pages" >"$tmp/out1" 2>"$tmp/err1" &
pid=$!
# Wait for the first commits, then kill without warning.
before=0
i=0
while [ $i -lt 600 ]; do
    c=$(count)
    if [ -n "$c" ] && [ "$c" -gt 0 ]; then
        before=$c
        break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
    i=$((i + 1))
done
[ "$before" -gt 0 ] || fail "no commit seen before the ingest ended: $(cat "$tmp/err1")"
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
after_kill=$(count)
echo "articles seen before kill: $before, after kill: $after_kill of $N"
[ -n "$after_kill" ] || fail "database unreadable after kill"
[ "$after_kill" -ge "$before" ] || fail "lost committed articles: $before -> $after_kill"
[ "$after_kill" -lt "$N" ] || echo "note: the ingest finished before the kill landed"

timeout 120 "$M" stats --check --db "$db" >/dev/null 2>"$tmp/err2" ||
    fail "database damaged after kill -9: $(cat "$tmp/err2")"
if command -v sqlite3 >/dev/null 2>&1; then
    r=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
    [ "$r" = ok ] || fail "sqlite3 integrity_check: $r"
fi

timeout 300 "$M" ingest --db "$db" "$tmp/pages" >"$tmp/out3" 2>"$tmp/err3" ||
    fail "re-ingest: exit $? $(cat "$tmp/err3")"
new=$(awk '{ print $1 }' "$tmp/out3")
old=$(awk '{ print $3 }' "$tmp/out3")
[ $((new + old)) -eq "$N" ] || fail "re-ingest: $new new + $old stored != $N: $(cat "$tmp/out3")"
[ "$old" -ge "$after_kill" ] || fail "re-ingest saw fewer stored ($old) than committed ($after_kill)"
[ "$(count)" -eq "$N" ] || fail "after re-ingest: $(count) articles, want $N"
timeout 120 "$M" stats --check --db "$db" >/dev/null || fail "check after re-ingest"

# The last page is searchable.
last=$((N - 1))
timeout 30 "$M" search --db "$db" --json "\"$last numaralı oturumda\"" >"$tmp/hits" ||
    fail "search exit $?"
grep -q "p$(printf %05d $last).txt" "$tmp/hits" || fail "last page not found"
echo "kill -9 ingest: ok"
