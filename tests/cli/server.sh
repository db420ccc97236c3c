#!/bin/sh
# tests/cli/server.sh -- `muhabir serve` over real HTTP on loopback: every
# endpoint of docs/api.md against a freshly ingested sample corpus, then
# hostile requests (malformed percent-encoding and UTF-8, a 1 MB query
# string, huge offsets, unknown parameters, path traversal, slow clients,
# more connections than allowed, a burst of parallel requests), a live
# ingest beside the running server (new articles must appear without a
# restart, through the response cache), and a clean shutdown.  The server
# must answer each with a clean 4xx and keep serving.
#
# Bounded: every request has a time limit, load is a few hundred requests,
# the whole test takes about 15 s.  Needs curl and jq; exits 77 without
# them or without a corpus (examples/corpus, else the seed pages in
# $MUHABIR_SHARED/seeds).
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
# Writes to a socket the server has closed (as it should, on a 1 MB
# request) must fail with EPIPE, not kill the test.
trap '' PIPE
BUILD=${BUILD:-build}
M=$BUILD/muhabir
SHARED=${MUHABIR_SHARED:-../shared}

command -v curl >/dev/null || { echo "curl not installed"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed"; exit 77; }
[ -x "$M" ] || { echo "no $M"; exit 1; }
if [ -d examples/corpus ] && [ -n "$(ls -A examples/corpus 2>/dev/null)" ]; then
    corpus=examples/corpus
elif [ -d "$SHARED/seeds" ]; then
    corpus=$SHARED/seeds
else
    echo "no corpus (examples/corpus or \$MUHABIR_SHARED/seeds)"; exit 77
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }

db=$tmp/t.db
"$M" ingest --db "$db" "$corpus" >"$tmp/ingest.log" 2>&1 || { cat "$tmp/ingest.log"; echo "ingest failed"; exit 1; }

"$M" serve --db "$db" --listen 127.0.0.1:0 --timeout 2 --max-connections 40 --per-ip 30 \
    >"$tmp/serve.log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$tmp/serve.log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/serve.log"; echo "server did not start"; exit 1; }
B=http://127.0.0.1:$port
echo "server on $B"

# get PATH -> writes body to $tmp/body, prints the status code
get() { curl -s -g --path-as-is --max-time 5 -o "$tmp/body" -w '%{http_code}' "$B$1"; }
# expect STATUS PATH [JQ-TEST]: status matches and, for JSON, the jq test holds
expect() {
    local want=$1 path=$2 test=${3:-}
    local got
    got=$(get "$path")
    if [ "$got" != "$want" ]; then
        bad "$path: status $got, want $want: $(head -c 200 "$tmp/body")"; return 1
    fi
    if ! jq -e . "$tmp/body" >/dev/null 2>&1; then
        bad "$path: body is not JSON: $(head -c 200 "$tmp/body")"; return 1
    fi
    if [ "${want#4}" != "$want" ] || [ "${want#5}" != "$want" ]; then
        if ! jq -e --argjson s "$want" '.error.status == $s and (.error.message | length > 0)' "$tmp/body" >/dev/null; then
            bad "$path: error body lacks status/message: $(head -c 200 "$tmp/body")"; return 1
        fi
    fi
    if [ -n "$test" ] && ! jq -e "$test" "$tmp/body" >/dev/null; then
        bad "$path: jq test '$test' failed on $(head -c 300 "$tmp/body")"; return 1
    fi
    ok
}
alive() { expect 200 /healthz '.status == "ok"'; }

# ---------------- the API ----------------
alive
expect 200 /api/stats '.articles > 0 and (.outlets | type == "array") and (.features.search == true)'
narticles=$(jq .articles "$tmp/body")

# A word from a stored title (nothing about the corpus is hard-coded).
id=; word=
for i in $(seq 1 30); do
    [ "$(get /api/articles/$i)" = 200 ] || continue
    word=$(jq -r '.title // "" | [splits("[^\\p{L}]+")] | map(select(length >= 5)) | sort_by(-length) | .[0] // empty' "$tmp/body")
    [ -n "$word" ] && { id=$i; break; }
done
[ -n "$id" ] || { bad "no article with a usable title"; id=1; word=haber; }
title=$(jq -r .title "$tmp/body")
expect 200 "/api/articles/$id" "(.id == $id) and (.title | length > 0) and (.body | length > 0) and (.removed | type == \"array\")"
qword=$(jq -rn --arg w "$word" '$w | @uri')
expect 200 "/api/search?q=$qword&limit=100" "(.count >= 1) and ([.results[].id] | index($id) != null) and ([.results[].snippet_parts[] | select(.match)] | length >= 1) and .query.q == \"$word\""
expect 200 "/api/search?q=$qword&limit=1" '.count == 1 and .limit == 1 and .offset == 0'
if jq -e .has_more "$tmp/body" >/dev/null; then
    first=$(jq '.results[0].id' "$tmp/body")
    expect 200 "/api/search?q=$qword&limit=1&offset=1" ".count == 1 and .offset == 1 and .results[0].id != $first"
fi
# Same query, other spelling of the parameters: same answer (normalised key).
expect 200 "/api/search?limit=100&q=++$qword++" "[.results[].id] | index($id) != null"
outlet=$(curl -s --max-time 5 "$B/api/articles/$id" | jq -r '.outlet // empty')
if [ -n "$outlet" ]; then
    qo=$(jq -rn --arg w "$outlet" '$w | @uri')
    expect 200 "/api/search?q=$qword&outlet=$qo&limit=100" "(.count >= 1) and all(.results[]; .outlet == \"$outlet\")"
fi
expect 200 "/api/search?q=$qword&from=1900-01-01&to=1900-01-02" '.count == 0 and .has_more == false'
expect 400 "/api/search"
expect 400 "/api/search?q="
expect 404 "/api/articles/999999999"
expect 400 "/api/articles/abc"
expect 400 "/api/articles/-1"
expect 400 "/api/articles/0"
expect 400 "/api/articles/99999999999999999999999"
# Endpoints of later stages: real answers when /api/stats says the feature
# is there, else an honest 501.
feature() { curl -s --max-time 5 "$B/api/stats" | jq -e ".features.$1 == true" >/dev/null; }
uri() { jq -rn --arg w "$1" '$w | @uri'; }
if feature related; then
    expect 200 "/api/articles/$id/related?limit=5" "(.id == $id) and .count <= 5 and all(.results[]; .id != $id and (.title | type == \"string\"))"
    expect 404 "/api/articles/999999999/related"
else
    expect 501 "/api/articles/$id/related"
fi
if feature stories; then
    expect 200 "/api/stories?limit=5" '(.count == (.results | length)) and all(.results[]; (.id > 0) and (.outlet_names | type == "array"))'
    sid=$(jq '.results[0].id // empty' "$tmp/body")
    [ -n "$sid" ] && expect 200 "/api/stories/$sid" "(.id == $sid) and (.members | length >= 1)"
    expect 200 "/api/stories?from=1900-01-01&to=1900-01-01" '.count == 0'
    expect 404 "/api/stories/999999999"
    expect 400 "/api/stories?outlet=x"
else
    expect 501 "/api/stories"
fi
if feature entities; then
    expect 200 "/api/entities?limit=5" 'all(.results[]; (.name | length > 0) and (.type == "person" or .type == "place" or .type == "org"))'
    ename=$(jq -r '.results[0].name // empty' "$tmp/body")
    if [ -n "$ename" ]; then
        expect 200 "/api/entities/$(uri "$ename")" "(.name == \"$ename\") and (.mentions | type == \"array\") and (.quotes | type == \"array\")"
    fi
    expect 200 "/api/entities?type=person&limit=3" 'all(.results[]; .type == "person")'
    expect 200 "/api/entities?type=organisation&limit=3" 'all(.results[]; .type == "org")'
    expect 400 "/api/entities?type=planet"
    expect 404 "/api/entities/Zzqxw$$"
else
    expect 501 "/api/entities"
fi
if feature quotes; then
    speaker=$(curl -s --max-time 5 "$B/api/entities?type=person&limit=50" | jq -r '[.results[] | select(.quotes > 0)][0].name // empty')
    if [ -n "$speaker" ]; then
        expect 200 "/api/quotes?speaker=$(uri "$speaker")&limit=100" '.count >= 1 and all(.results[]; (.text | length > 0) and (.articles | length >= 1))'
    fi
    expect 200 "/api/quotes?q=$qword&limit=3" '.count <= 3'
    expect 200 "/api/quotes?speaker=Zzqxw$$" '.count == 0'
else
    expect 501 "/api/quotes?q=x"
fi
expect 404 /api/nothing
expect 404 /api/search/extra
# HEAD works and has no body; other methods are refused with Allow.
h=$(curl -s -I --max-time 5 "$B/api/stats" | head -1)
case $h in *200*) ok;; *) bad "HEAD /api/stats: $h";; esac
h=$(curl -s -i -X POST --max-time 5 -d 'x=1' "$B/api/search?q=a")
grep -q '^HTTP/1.1 405 ' <<<"$h" && grep -qi '^Allow: GET, HEAD' <<<"$h" && ok || bad "POST: ${h:0:200}"
h=$(curl -s -i -X DELETE --max-time 5 "$B/api/articles/$id" | head -1)
case $h in *405*) ok;; *) bad "DELETE: $h";; esac
# JSON content type and security headers.
h=$(curl -s -D - -o /dev/null --max-time 5 "$B/api/stats")
grep -qi '^Content-Type: application/json; charset=utf-8' <<<"$h" && ok || bad "content type: $h"
grep -qi '^X-Content-Type-Options: nosniff' <<<"$h" && ok || bad "nosniff missing"

# ---------------- the page ----------------
for a in / /index.html /app.js /style.css; do
    s=$(curl -s --max-time 5 -o "$tmp/body" -w '%{http_code}' "$B$a")
    [ "$s" = 200 ] && [ -s "$tmp/body" ] && ok || bad "GET $a: $s"
done
curl -s --max-time 5 "$B/app.js" | grep -q 'Kaldırılan metni göster' && ok || bad "app.js lacks the Turkish interface"
curl -s --max-time 5 "$B/" | grep -q '<html lang="tr">' && ok || bad "index.html not served"
h=$(curl -s -D - -o /dev/null --max-time 5 "$B/")
grep -qi "^Content-Security-Policy: default-src 'none'" <<<"$h" && ok || bad "CSP missing: $h"
# No external resource is referenced by the page.
if curl -s --max-time 5 "$B/" "$B/app.js" "$B/style.css" | grep -Eqi '(src|href)=["'"'"']?(https?:)?//|@import|url\(["'"'"']?https?:'; then
    bad "the page references an external resource"
else
    ok
fi

# ---------------- hostile requests ----------------
expect 400 "/api/search?q=%zz"
expect 400 "/api/search?q=abc%"
expect 400 "/api/search?q=abc%4"
expect 400 "/api/search?q=%ff%fe"
expect 400 "/api/search?q=%C0%AF"            # overlong UTF-8 for '/'
expect 400 "/api/search?q=%ED%A0%80"         # a UTF-16 surrogate in UTF-8
expect 400 "/api/search?q=a%00b"
expect 400 "/api/search?q=x&offset=99999999999999999999"
expect 400 "/api/search?q=x&offset=10001"
expect 400 "/api/search?q=x&offset=-1"
expect 400 "/api/search?q=x&limit=0"
expect 400 "/api/search?q=x&limit=101"
expect 400 "/api/search?q=x&limit=1e3"
expect 400 "/api/search?q=x&unknown=1"
expect 400 "/api/search?q=x&q=y"
expect 400 "/api/search?q=x&from=2025-02-30"
expect 400 "/api/search?q=x&from=2025-03-01&to=2025-02-01"
expect 400 "/api/stats?q=x"
expect 400 "/api/entities?type=%3Cscript%3E"
for p in "/../../etc/passwd" "/%2e%2e/%2e%2e/etc/passwd" "/..%2f..%2fetc%2fpasswd" \
         "/app.js/../../../etc/passwd" "/.%2e/.%2e/etc/passwd" "/%5c..%5c..%5cetc%5cpasswd" \
         "/./index.html"; do
    s=$(get "$p")
    case $s in 400|404) ok;; *) bad "traversal $p: status $s";; esac
    grep -q 'root:' "$tmp/body" && bad "traversal $p leaked a file"
done
# Every query string echoed in an error is escaped JSON, never raw markup.
expect 400 "/api/search?q=x&%3Cimg%20src%3Dx%3E=1"
grep -q '<img' "$tmp/body" && ! jq -e . "$tmp/body" >/dev/null && bad "unescaped echo"

# A 1 MB query string (too long for argv: sent through a raw socket).
exec 3<>"/dev/tcp/127.0.0.1/$port" || bad "connect"
{
    printf 'GET /api/search?q='
    head -c 1048576 /dev/zero | tr '\0' 'a'
    printf ' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
} >&3 2>/dev/null
status=$(timeout 5 head -1 <&3 | tr -d '\r')
exec 3<&- 3>&-
case $status in "HTTP/1.1 4"*) ok;; *) bad "1 MB query: '$status'";; esac
# A 4 KiB+ target that fits the daemon's buffer is refused by the router.
long=$(head -c 5000 /dev/zero | tr '\0' 'b')
expect 414 "/api/search?q=$long"
# A 200 KiB header block.
s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' 'c')" "$B/healthz" 2>/dev/null)
case $s in 4*|000) ok;; *) bad "huge header: $s";; esac
# Raw request lines a browser never sends.
for line in 'GET * HTTP/1.1' 'GET http://evil.example/ HTTP/1.1' 'GET /api/stats?#x HTTP/1.1' \
            'GET /api/stats%20HTTP/1.1' 'BREW /pot HTTP/1.1'; do
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '%s\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$line" >&3 2>/dev/null
    status=$(timeout 5 head -1 <&3 | tr -d '\r')
    exec 3<&- 3>&-
    case $status in "HTTP/1.1 4"*|"HTTP/1.0 4"*) ok;; *) bad "raw '$line': '$status'";; esac
done
alive

# Slowloris: a client that never finishes its headers is dropped after the
# timeout (2 s here) while others are served meanwhile.
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' >&4
alive
t0=$(date +%s)
timeout 8 cat <&4 >/dev/null 2>&1
t1=$(date +%s)
exec 4<&- 4>&-
if [ $((t1 - t0)) -le 6 ]; then ok; else bad "slow client held for $((t1 - t0)) s"; fi

# More idle connections than allowed (40 total, 30 per address): the excess
# is refused at once, the rest time out, and the server serves again.
fds=()
for _ in $(seq 1 45); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null && fds+=("$fd")
done
sleep 3.5
for fd in "${fds[@]}"; do exec {fd}<&- {fd}>&-; done
alive

# A bounded burst: 300 requests, 8 at a time, all answered.
seq 1 300 | sed "s|.*|$B/api/search?q=$qword\&limit=5|" > "$tmp/urls"
codes=$(xargs -P 8 -I{} curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' {} < "$tmp/urls" | sort | uniq -c | tr -s ' ')
case $codes in " 300 200") ok;; *) bad "burst: $codes";; esac

# ---------------- live ingest beside the server ----------------
# A made-up word that no corpus contains; cached answer first, then an
# ingest, then the same request must find the new article.
marker="zembereklikuşkonmaz$$"
qm=$(jq -rn --arg w "$marker" '$w | @uri')
expect 200 "/api/search?q=$qm" '.count == 0'
expect 200 "/api/search?q=$qm" '.count == 0'
printf '{"title":"Deneme haberi %s","url":"https://example.com/deneme/%s","date":"2025-03-01","source":"muhabir test","content":"Bu deneme haberi %s kelimesini içerir. Sunucu yeniden başlatılmadan görünmesi beklenir. Haberin ikinci cümlesi de burada yer alıyor."}\n' \
    "$marker" "$$" "$marker" > "$tmp/new.jsonl"
"$M" ingest --db "$db" "$tmp/new.jsonl" >"$tmp/ingest2.log" 2>&1 || bad "second ingest: $(cat "$tmp/ingest2.log")"
found=0
for _ in $(seq 1 20); do
    [ "$(get "/api/search?q=$qm")" = 200 ] && jq -e '.count == 1' "$tmp/body" >/dev/null && { found=1; break; }
    sleep 0.2
done
[ "$found" = 1 ] && ok || bad "new article not visible without restart: $(cat "$tmp/body")"
expect 200 /api/stats ".articles == $((narticles + 1))"

# ---------------- shutdown ----------------
alive
kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
    bad "server did not stop on SIGTERM"
else
    wait "$pid"; rc=$?
    [ "$rc" = 0 ] && ok || bad "server exit status $rc"
    grep -qi 'runtime error\|AddressSanitizer\|LeakSanitizer' "$tmp/serve.log" && bad "sanitizer: $(cat "$tmp/serve.log")"
fi
pid=

echo "server.sh: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
