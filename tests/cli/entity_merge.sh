#!/bin/sh
# tests/cli/entity_merge.sh -- a person first stored under the surname
# alone (an article that never gives the full name) is read as the one
# stored person with that last name; a second namesake makes the surname
# stand alone again (never a guess).  Also: a body's surname takes the
# full name its lead gives.  The articles are invented here.
set -u
BUILD=${BUILD:-build}
M="$BUILD/muhabir"
[ -x "$M" ] || { echo "no $M"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$T/a.jsonl" <<'JSON'
{"title":"Enerji zammı tartışması sürüyor","content":"Enerji fiyatları Meclis'te yine konuşuldu.\n\nYavuzer, \"Bu kış faturalar artmayacak\" dedi. Muhalefet ise açıklamaya tepki gösterdi.","date":"2025-03-01","url":"https://ornek.test/a1","outlet":"Örnek Haber"}
JSON
cat > "$T/b.jsonl" <<'JSON'
{"title":"Bakanlıktan doğalgaz açıklaması","content":"Enerji ve Tabii Kaynaklar Bakanı Kemal Yavuzer, Ankara'da gazetecilerle bir araya geldi.\n\nYavuzer, \"Depolama kapasitemiz iki katına çıktı\" diye konuştu.","date":"2025-03-05","url":"https://ornek.test/b1","outlet":"Örnek Haber"}
JSON
cat > "$T/c.jsonl" <<'JSON'
{"title":"Kurula yeni üye","content":"Ekonomist Ayşe Yavuzer, merkez bankasının yeni kurul üyesi oldu.\n\nYavuzer, \"Enflasyonla mücadele önceliğimiz\" ifadesini kullandı.","date":"2025-03-09","url":"https://ornek.test/c1","outlet":"Örnek Haber"}
JSON
DB="$T/t.db"
count() { grep -o "$1" "$2" | wc -l; }

# Session 1: only the surname is known.
"$M" ingest -q --db "$DB" "$T/a.jsonl" || fail "ingest a"
"$M" entities --db "$DB" --type person --json > "$T/e1" || fail "entities 1"
grep -q '"name":"Yavuzer"' "$T/e1" || fail "the surname alone is not an entity"

# Session 2: the full name arrives; the surname is read as it.
"$M" ingest -q --db "$DB" "$T/b.jsonl" || fail "ingest b"
"$M" entities --db "$DB" --type person --json > "$T/e2" || fail "entities 2"
grep -q '"name":"Kemal Yavuzer","type":"person","articles":2' "$T/e2" ||
    fail "Kemal Yavuzer is not one person in 2 articles: $(cat "$T/e2")"
grep -q '"name":"Yavuzer"' "$T/e2" && fail "the surname is still listed apart"
"$M" quotes --db "$DB" --speaker "Kemal Yavuzer" --json > "$T/q2" || fail "quotes 2"
[ "$(count '"speaker":"Kemal Yavuzer"' "$T/q2")" -eq 2 ] || fail "not both statements: $(cat "$T/q2")"
grep -q '"speaker_role":"Enerji ve Tabii Kaynaklar Bakanı"' "$T/q2" ||
    fail "the body's surname did not take the lead's full name and role"
"$M" export --db "$DB" > "$T/x2" || fail "export"
head -1 "$T/x2" | grep -q '"text":"Yavuzer","name":"Kemal Yavuzer"' ||
    fail "the first article's mention is not read as the full name"
"$M" entity --db "$DB" Yavuzer --json > "$T/n2" || fail "entity"
grep -q '^{"id":[0-9]*,"name":"Kemal Yavuzer"' "$T/n2" || fail "entity Yavuzer: $(head -c 200 "$T/n2")"

# Session 3: a namesake; the lone surname no longer says who.
"$M" ingest -q --db "$DB" "$T/c.jsonl" || fail "ingest c"
"$M" entities --db "$DB" --type person --json > "$T/e3" || fail "entities 3"
for n in '"name":"Yavuzer"' '"name":"Kemal Yavuzer"' '"name":"Ayşe Yavuzer"'; do
    grep -q "$n" "$T/e3" || fail "$n missing after the namesake: $(cat "$T/e3")"
done
"$M" quotes --db "$DB" --speaker "Kemal Yavuzer" --json > "$T/q3" || fail "quotes 3"
[ "$(count '"speaker":' "$T/q3")" -eq 1 ] || fail "Kemal Yavuzer keeps a statement that is no longer his"
# An abbreviation: an article gives it in brackets after the full name, a
# later one uses it alone; both are the one organisation.
cat > "$T/d.jsonl" <<'JSON'
{"title":"Konut satışları arttı","content":"Konut satışları ekim ayında arttı.\n\nTürkiye Emlak Müşavirleri Derneği (TEMDER) Genel Başkanı Hakan Akdoğan, satışların arttığını söyledi.","date":"2025-03-11","url":"https://ornek.test/d1","outlet":"Örnek Haber"}
JSON
cat > "$T/e.jsonl" <<'JSON'
{"title":"Kiralar yükseliyor","content":"Kira artışları sürüyor.\n\nTEMDER'in açıklamasına göre kiralar yüzde 40 yükseldi. Uzmanlar artışın süreceğini söyledi.","date":"2025-03-12","url":"https://ornek.test/e1","outlet":"Örnek Haber"}
JSON
"$M" ingest -q --db "$DB" "$T/d.jsonl" || fail "ingest d"
"$M" ingest -q --db "$DB" "$T/e.jsonl" || fail "ingest e"
"$M" entities --db "$DB" --type org --json > "$T/e4" || fail "entities 4"
grep -q '"name":"Türkiye Emlak Müşavirleri Derneği","type":"org","articles":2' "$T/e4" ||
    fail "the abbreviation alone is not the organisation: $(cat "$T/e4")"
grep -q '"name":"TEMDER"' "$T/e4" && fail "the abbreviation is listed apart"
echo "ok"
