#!/bin/sh
# tests/e2e/run.sh -- the web page end to end in real headless Chromium:
# ingest the sample corpus into a temporary database, start `muhabir
# serve` on a free loopback port, run e2e.mjs (playwright-core driving
# Debian's /usr/bin/chromium), stop the server and check it exited
# cleanly.  Installs the npm dependencies (package-lock.json) when they
# are missing.  Exit 0 pass, 1 fail, 77 skip (no chromium, node or npm, or
# no corpus).  Screenshots: tests/e2e/screenshots/.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SHARED=${MUHABIR_SHARED:-../shared}
M=$BUILD/muhabir

[ -x "$CHROMIUM" ] || { echo "e2e: $CHROMIUM not installed (apt-get install chromium), skipped"; exit 77; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "e2e: node/npm not installed, skipped"; exit 77; }
[ -x "$M" ] || { echo "e2e: no $M (make -j2 $M)"; exit 1; }
if [ -d examples/corpus ] && [ -n "$(ls -A examples/corpus 2>/dev/null)" ]; then
    corpus=examples/corpus
elif [ -d "$SHARED/seeds" ]; then
    corpus=$SHARED/seeds
else
    echo "e2e: no corpus (examples/corpus or \$MUHABIR_SHARED/seeds), skipped"; exit 77
fi
if [ ! -f tests/e2e/node_modules/playwright-core/package.json ]; then
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error) || { echo "e2e: npm ci failed"; exit 1; }
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$M" ingest --db "$tmp/e2e.db" "$corpus" >"$tmp/ingest.log" 2>&1 || { cat "$tmp/ingest.log"; echo "e2e: ingest failed"; exit 1; }
"$M" serve --db "$tmp/e2e.db" --listen 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
pid=$!
port=
i=0
while [ $i -lt 100 ]; do
    port=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$tmp/serve.log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
[ -n "$port" ] || { cat "$tmp/serve.log"; echo "e2e: server did not start"; exit 1; }

MUHABIR_URL=http://127.0.0.1:$port CHROMIUM=$CHROMIUM timeout 300 node tests/e2e/e2e.mjs
rc=$?

kill -TERM "$pid"
wait "$pid"
src=$?
pid=
if [ "$src" -ne 0 ]; then
    echo "e2e: server exited with status $src"; cat "$tmp/serve.log"; rc=1
fi
exit $rc
